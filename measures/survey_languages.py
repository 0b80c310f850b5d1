"""Which language a student reads, and the language links a survey page offers.

The survey's own words are marked for translation (gettext, `locale/`); the wording of an
instrument lives in its data, in the languages the instrument lists (`Instrument.languages`).
Pages with no instrument (the code page, "not found", "thank you") offer the languages the
interface is translated into (`settings.LANGUAGES`).
"""

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation.trans_real import parse_accept_lang_header


def interface_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def pick_language(request, languages: tuple[str, ...] | list[str] | None = None) -> str:
    """?lang= wins, then the form's lang field, then the browser's preference, then the first language."""
    languages = tuple(languages or interface_languages())
    for value in (request.GET.get("lang"), request.POST.get("lang")):
        if value in languages:
            return value
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        for candidate in (code.lower(), code.lower().split("-")[0]):
            if candidate in languages:
                return candidate
    return languages[0]


def interface_language(language: str) -> str:
    """The language our own words are shown in: the student's, when the site is translated into it.

    An instrument may be worded in a language the interface is not (yet) translated into; its
    buttons and hints then stay in the site's default language, tagged as such."""
    return language if language in interface_languages() else settings.LANGUAGE_CODE


def foreign_attrs(language: str) -> str:
    """HTML attributes for our words on a page in `language`: empty when they are in it."""
    ui = interface_language(language)
    return "" if ui == language else f' lang="{ui}" dir="{"rtl" if is_rtl(ui) else "ltr"}"'


def is_rtl(language: str) -> bool:
    try:
        return bool(get_language_info(language)["bidi"])
    except KeyError:
        return False


def language_links(languages, current: str) -> list[dict]:
    """The other languages, each named in itself (a Vietnamese student reads "Tiếng Việt")."""
    links = []
    for code in languages:
        if code == current:
            continue
        try:
            name = get_language_info(code)["name_local"]
        except KeyError:
            name = code
        links.append({"code": code, "name": name, "rtl": is_rtl(code)})
    return links

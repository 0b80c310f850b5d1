"""Public student survey pages: no login, no IP stored, work without JavaScript.

Every malformed request gets a 4xx page, never a 500. A retry, a double click or a replay of
the same form counts once (the submission token is unique), and a replay of answers already saved
gets the same thank-you, however often it is sent. While the database is unreachable (a restart,
a failover) a student gets a short "try again in a moment" page (503, Retry-After) that still holds
their answers and token, so pressing the button again sends the same submission. Anything else
unexpected gets the survey's own translated 500 page, logged as Django logs a 500.

The path is short because a bell brings a class at once: the join code comes from the shared
cache (survey_cache) in the same round trip as the POST's rate limits, the blank page is this
process's pre-rendered bytes with the token spliced in, and the answers are one statement that
saves only into a survey still open in the database (services.response_submit).
"""

import logging
import re
import secrets
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signals
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import ratelimit, services, survey_cache
from .models import Administration, Audience, Instrument, Item, Option
from .survey_languages import (
    foreign_attrs,
    interface_language,
    interface_languages,
    is_rtl,
    language_links,
    pick_language,
)

log = logging.getLogger(__name__)

# What a database restart or an unreachable server raises (psycopg and sqlite, through Django).
_DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
_ANSWER_FIELD = re.compile(r"i[0-9]{1,12}")


def _page(request, template, lang, status=200, *, languages=None, **context):
    """A survey page in `lang`: gettext for our words (tagged when the interface is not translated
    into `lang`), the instrument's data for its own."""
    context.update(
        lang=lang,
        rtl=is_rtl(lang),
        ui=mark_safe(foreign_attrs(lang)),  # our own constant attributes, no user input
        switch=language_links(languages or interface_languages(), lang),
    )
    with translation.override(interface_language(lang)):
        return render(request, f"survey/{template}.html", context, status=status)


def _message(request, lang, key, status, code=""):
    return _page(request, "message", lang, status=status, key=key, code=code)


def _closed(request, lang, administration):
    """Closed: by the teacher for a class, by the facilitator for a PD session's participants."""
    adults = administration.instrument.audience == Audience.ADULTS
    return _page(request, "message", lang, status=410, key="closed", code="", adults=adults)


@login_not_required
@require_http_methods(["GET"])
def enter(request):
    lang = pick_language(request)
    raw = request.GET.get("code")
    if raw is not None:
        code = services.normalize_code(raw)
        if code:
            return redirect(f"{reverse('survey:survey', args=[code])}?lang={lang}")
    return _page(request, "enter", lang)


def _find(code: str, limits: list[tuple[str, int]] | None = None) -> tuple[Administration | None, bool]:
    """(the open administration with this code, else the latest closed one (to say it is closed);
    whether the rate `limits` allow this request).

    An open one comes from the shared cache when a classmate asked for it a moment ago (see
    survey_cache), in the same round trip that counts the rate limits; else through the partial
    unique index on open codes. Closed ones are the rare case. Its instrument is this process's
    copy of that version (see _instrument).
    """
    allowed, cached = ratelimit.check(limits or [], fetch=survey_cache.key(code))
    found = survey_cache.from_cached(code, cached)
    if found is None:
        found = Administration.objects.filter(code=code, closed_at__isnull=True).first()
        if found is not None:
            survey_cache.remember_open(found)
    if found is None:
        found = Administration.objects.filter(code=code).order_by("-opened_at").first()
    if found is not None:
        found.instrument = _instrument(found.instrument_id)
    return found, allowed


# Unknown codes one client may try a minute: a class sharing one address mistypes a few, a
# guesser needs millions (31^6 codes, a few hundred open).
UNKNOWN_CODES_PER_MINUTE = 40

_ITEMS_TTL = 60.0
_items_cache: dict[int, tuple[float, Instrument, list[Item]]] = {}


def _instrument_and_items(instrument_id: int) -> tuple[Instrument, list[Item]]:
    """An instrument version and its items and options, kept in this process for a minute.

    Every student of a class loads the same instrument version within a minute or two; an
    instrument with answers never changes (editing it makes a new version), and one without
    answers shows an edit at most a minute late.
    """
    now = time.monotonic()
    hit = _items_cache.get(instrument_id)
    if hit is not None and now - hit[0] < _ITEMS_TTL:
        return hit[1], hit[2]
    instrument = Instrument.objects.get(pk=instrument_id)
    options = Prefetch("options", queryset=Option.objects.order_by("order"))
    items = list(instrument.items.order_by("order").prefetch_related(options))
    if len(_items_cache) > 256:
        _items_cache.clear()
    _items_cache[instrument_id] = (now, instrument, items)
    return instrument, items


def _instrument(instrument_id: int) -> Instrument:
    return _instrument_and_items(instrument_id)[0]


def _items(administration: Administration) -> list[Item]:
    return _instrument_and_items(administration.instrument_id)[1]


@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, code):
    lang = pick_language(request)
    try:
        return _survey(request, code, lang)
    except _DATABASE_DOWN as exc:
        log.warning("survey %s: database unavailable: %s", request.method, exc)
        return _busy(request, lang)
    except Exception:  # noqa: BLE001 - a student gets the survey's own page, logged as Django logs a 500
        log.exception("survey %s %s failed", request.method, request.path)
        signals.got_request_exception.send(sender=None, request=request)
        return _message(request, lang, "error", 500)


def _survey(request, code, lang):
    normal = services.normalize_code(code)
    if not normal:
        return _message(request, lang, "unknown", 404)
    if normal != code:
        return redirect(f"{reverse('survey:survey', args=[normal])}?lang={lang}")
    limits = []
    if request.method == "POST":
        if services.unsign_submission_token(request.POST.get("token", "")) is None:
            # Only a page this server rendered holds a signed token. A forged one is refused before
            # the survey is looked up, and counts against its sender's throttle, never against the
            # class's budget (junk sent to a join code on the board would otherwise shut the class out).
            return _probe(request, lang, "bad", 400)
        limits = [
            (f"code:{code}", settings.PDC_SURVEY_RATE_LIMIT_PER_MINUTE),
            (f"token:{request.POST.get('token', '')[:80]}", 10),
        ]
    administration, allowed = _find(code, limits) if len(code) == services.JOIN_CODE_LENGTH else (None, True)
    if administration is not None and administration.closed_long_ago():
        administration = None  # an old code answers like one never issued: guesses learn nothing
    if administration is None:
        return _probe(request, lang, "unknown", 404)
    # The student chooses among the languages this instrument is written in.
    lang = pick_language(request, administration.instrument.languages)
    if request.method == "POST":
        response, saved = _submit(request, administration, lang, limited=not allowed)
        if not saved:
            # The class's budget counts answers saved: a POST that saved nothing (refused, incomplete,
            # a replay, over a limit) gives its count back, so junk sent with tokens fetched from the
            # page itself cannot shut the class out.
            ratelimit.give_back(limits[0][0])
        return response
    if not administration.is_open():
        return _closed(request, lang, administration)
    return _form(request, administration, lang, token=services.make_submission_token(administration))


def _probe(request, lang, message: str, status: int):
    """A request that could not have come from a student of an open survey (an unknown code, a
    forged token): throttled per client (a keyed hash of the address, kept a minute)."""
    if not ratelimit.allow(f"probe:{ratelimit.client_pseudonym(request)}", UNKNOWN_CODES_PER_MINUTE):
        response = _message(request, lang, "slow", 429)
        response["Retry-After"] = "60"
        return response
    return _message(request, lang, message, status)


def _busy(request, lang):
    """503 while the database is unreachable; a POST's own fields come back in a form to resend.

    Only the fields our form sends (token, lang, answers) are echoed, escaped by the template.
    """
    kept = []
    if request.method == "POST":
        for key in request.POST:
            if key in ("token", "lang") or _ANSWER_FIELD.fullmatch(key):
                kept += [(key, value[:2000]) for value in request.POST.getlist(key)[:50]]
    response = _page(request, "busy", lang, status=503, kept=kept[:500], again=request.get_full_path())
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _form(request, administration, lang, *, token, chosen=None, missing=None, status=200, busy=False):
    if not (chosen or missing or busy or status != 200):
        # The blank form is the same page for every survey of this instrument and language, but for
        # the survey's code and the token: the page is rendered once and both spliced in.
        page = _blank_page(administration, lang, token)
        if page is not None:
            return HttpResponse(page)
    return _page(
        request,
        "survey",
        lang,
        status=status,
        languages=administration.instrument.languages,
        **_form_context(administration, lang),
        questions=_questions(_items(administration), lang, chosen or {}, missing or {}),
        token=token,
        has_errors=bool(missing),
        busy=busy,
    )


def _form_context(administration, lang) -> dict:
    return {"survey_code": administration.code, "instrument_name": administration.instrument.display_name(lang)}


# Stand for the token and the survey's code in a rendered blank page: letters and digits only, so
# escaping leaves them as they are, and random per process, so no instrument's wording can hold one.
_TOKEN_SLOT = f"PDCTOKEN{secrets.token_hex(12)}"
_CODE_SLOT = f"PDCCODE{secrets.token_hex(12)}"
_SLOTS = re.compile(f"({_TOKEN_SLOT}|{_CODE_SLOT})")
_html_cache: dict[tuple[int, str], tuple[float, list]] = {}


def _blank_page(administration, lang, token: str) -> bytes | None:
    """The blank survey page in `lang` with this survey's code and the student's token spliced in
    (None if it cannot be pre-rendered: the caller renders it whole).

    The rest is the same for every survey of the instrument, so it is rendered once per instrument
    and language and kept in this process as long as the instrument itself (see
    _instrument_and_items). Rendered as `_page` renders it, without the request: the survey
    templates read nothing from the request (no CSRF token, no user, no session).
    """
    key = (administration.instrument_id, lang)
    now = time.monotonic()
    hit = _html_cache.get(key)
    if hit is None or now - hit[0] >= _ITEMS_TTL:
        hit = _html_cache[key] = (now, _render_blank(administration, lang))
        if len(_html_cache) > 512:
            _html_cache.clear()
            _html_cache[key] = hit
    if hit[1] is None:
        return None
    values = {_TOKEN_SLOT: token.encode(), _CODE_SLOT: administration.code.encode()}
    return b"".join(values.get(part, part) if isinstance(part, str) else part for part in hit[1])


def _render_blank(administration, lang) -> list | None:
    """The page as bytes between slot names (str), each slot printed exactly once, or None."""
    instrument = administration.instrument
    context = {
        "lang": lang,
        "rtl": is_rtl(lang),
        "ui": mark_safe(foreign_attrs(lang)),  # our own constant attributes, no user input
        "switch": language_links(instrument.languages, lang),
        **_form_context(administration, lang),
        "survey_code": _CODE_SLOT,
        "questions": _questions(_items(administration), lang, {}, {}),
        "token": _TOKEN_SLOT,
        "has_errors": False,
        "busy": False,
    }
    with translation.override(interface_language(lang)):
        html = render_to_string("survey/survey.html", context)
    pieces = _SLOTS.split(html)
    slots = pieces[1::2]
    if sorted(slots) != sorted([_TOKEN_SLOT, _CODE_SLOT]):
        return None  # the wording holds a slot's letters: this page is rendered whole each time
    return [piece if i % 2 else piece.encode() for i, piece in enumerate(pieces)]


def survey_questions(items, lang: str) -> list[dict]:
    """The blank questions in one language, as the student sees them (the leader's preview uses it)."""
    return _questions(items, lang, {}, {})


def _questions(items, lang, chosen, missing):
    """Plain dicts for the template: the template only prints."""
    questions = []
    for number, item in enumerate(items, start=1):
        picked = {str(v) for v in chosen.get(item.pk, ())}
        questions.append(
            {
                "number": number,
                "field": f"i{item.pk}",
                "prompt": item.prompt(lang),
                "kind": item.kind,
                "multiple": item.kind == "multiple",
                "text": item.kind == "text",
                "required": item.required,
                "error": item.pk in missing,
                "value": chosen.get(item.pk, ("",))[0] if item.kind == "text" else "",
                "options": [
                    {"id": o.pk, "label": o.label(lang), "checked": str(o.pk) in picked} for o in item.options.all()
                ],
            }
        )
    return questions


def _submit(request, administration, lang, *, limited) -> tuple[HttpResponse, bool]:
    """The answer to a POST, and whether it saved a new response. `limited`: over the code's or the
    token's rate limit (counted with the look-up, see _find)."""
    raw_token = request.POST.get("token", "")
    token = services.read_submission_token(raw_token, administration)
    if limited:
        return _limited(request, administration, lang, token), False
    if token is None:
        return _message(request, lang, "bad", 400), False
    items = _items(administration)
    try:
        answers, missing = services.parse_answers(request.POST, items)
    except services.MalformedSubmission:
        return _message(request, lang, "bad", 400), False
    if not administration.is_open():
        return _after_close(request, administration, lang, token, answers), False
    chosen = {**answers.choices, **{k: (v,) for k, v in answers.texts.items()}}
    if missing:
        return _form(request, administration, lang, token=raw_token, chosen=chosen, missing=missing), False
    try:
        _, created = services.response_submit(
            administration=administration, token=token, answers=answers, language=lang, require_open=True
        )
    except services.TokenConflict:
        return _message(request, lang, "conflict", 409), False
    except services.SurveyClosed:  # closed (or deleted) since the page read it
        return _after_close(request, administration, lang, token, answers), False
    except _DATABASE_DOWN as exc:
        # The answers are not saved: show them again, same token, so the next press sends them once.
        log.warning("survey answer not saved, database unavailable: %s", exc)
        response = _form(request, administration, lang, token=raw_token, chosen=chosen, status=503, busy=True)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, False
    return _thanks(administration, lang), created


def _after_close(request, administration, lang, token, answers):
    # A replay of an answer sent while the survey was open still gets its thank-you.
    if services.response_exists(token=token, answers=answers):
        return redirect(f"{reverse('survey:thanks', args=[administration.code])}?lang={lang}")
    return _closed(request, lang, administration)


def _limited(request, administration, lang, token):
    """Over a rate limit: a resend of answers already saved still gets its 303 (idempotent), else 429.

    The check runs only once a limit is reached, so the common path keeps its single INSERT.
    """
    if token is not None:
        try:
            answers, _ = services.parse_answers(request.POST, _items(administration))
        except services.MalformedSubmission:
            answers = None
        if answers is not None and services.response_exists(token=token, answers=answers):
            return _thanks(administration, lang)
    response = _message(request, lang, "slow", 429)
    response["Retry-After"] = "60"
    return response


def _thanks(administration, lang):
    response = redirect(f"{reverse('survey:thanks', args=[administration.code])}?lang={lang}")
    response.status_code = 303
    return response


@login_not_required
@require_http_methods(["GET"])
def thanks(request, code):
    return _message(request, pick_language(request), "thanks", 200, code=code)

"""The committed .mo files are the compiled form of the committed .po files.

A translator edits a .po and forgets `make messages`: the server keeps showing the old words. This
test reads each .po with a small parser and the .mo with Python's own gettext reader, and fails
when they disagree.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGS = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))
_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def po_entries(path: Path) -> dict[str, str | tuple[str, ...]]:
    """Translated, non-fuzzy entries, keyed as gettext keys them ("context\\x04msgid")."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif match := _LINE.match(line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            elif line.startswith("#~"):
                current = None
        msgid = fields.get("msgid")
        if not msgid or fuzzy:
            continue
        key = f"{fields['msgctxt']}\x04{msgid}" if "msgctxt" in fields else msgid
        if "msgid_plural" in fields:
            forms = tuple(fields[k] for k in sorted(f for f in fields if f.startswith("msgstr[")))
            if all(forms):
                entries[key] = forms
        elif fields.get("msgstr"):
            entries[key] = fields["msgstr"]
    return entries


def mo_entries(path: Path) -> dict[str, str | tuple[str, ...]]:
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    entries: dict = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):  # a plural form: (msgid, n)
            entries.setdefault(key[0], {})[key[1]] = text
        elif key:
            entries[key] = text
    return {k: tuple(v[n] for n in sorted(v)) if isinstance(v, dict) else v for k, v in entries.items()}


def test_there_is_a_spanish_catalog():
    assert Path(settings.LOCALE_PATHS[0]).is_dir()
    assert any(path.parent.parent.name == "es" for path in CATALOGS)
    assert "es" in dict(settings.LANGUAGES)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_each_compiled_catalog_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.name} is missing: run `make messages`"
    assert mo_entries(mo) == po_entries(po), f"{po} changed since it was compiled: run `make messages`"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda path: path.parent.parent.name)
def test_no_entry_is_left_fuzzy_or_untranslated_in_the_student_survey(po):
    """The student pages are complete in every catalog: none of their strings falls back to English."""
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "templates/survey/" not in block or block.startswith("#~"):
            continue
        assert "fuzzy" not in block, block
        assert not block.rstrip().endswith('msgstr ""'), block

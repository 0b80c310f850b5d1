"""Reading an uploaded CSV file for an all-or-nothing import (the roster, recommendations).

Owns what every import reads the same way: the text encoding (CSV UTF-8 with or without a BOM,
else what Excel on Windows saves), an optional size limit, the header (names stripped and matched
case-insensitively; extra columns ignored), line numbers as a spreadsheet shows them, and the
shapes of the results (`RowError`, `Tally`). Checking the values of a row is the importer's job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    file: str  # "" when the import reads one unnamed file
    line: int | None  # as a spreadsheet numbers rows: the header is 1; None: the file as a whole
    reason: str

    def __str__(self) -> str:
        line = _("line %(line)s") % {"line": self.line} if self.line else ""
        where = ", ".join(part for part in (self.file, line) if part)
        return f"{where}: {self.reason}" if where else self.reason


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class Unreadable(Exception):
    """The file cannot be used at all; `line` is None for the file as a whole."""

    def __init__(self, line: int | None, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


def decode(content: bytes | str) -> str | None:
    """The file's text, or None when it is not text in an encoding a spreadsheet saves."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):  # CSV UTF-8, then what Excel on Windows saves
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def rows(
    content: bytes | str, *, required: Iterable[str], optional: Iterable[str] = (), max_bytes: int | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-blank row as (line, {column: stripped value}) for the required and optional columns.

    Columns are keyed as the caller names them. Raises `Unreadable` for a file too large, not
    text, without a header, missing a required column, or not CSV from some line on; rows
    already yielded stay valid, so an importer may report their problems too.
    """
    if max_bytes is not None and len(content) > max_bytes:
        raise Unreadable(None, _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    text = decode(content)
    if text is None:
        raise Unreadable(None, _("Not a text file; save it as “CSV UTF-8”."))
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0  # the last record read
    try:
        header = next(reader, None)
        line = 1
        if not header or not any(cell.strip() for cell in header):
            raise Unreadable(1, _("The file is empty (no header row)."))
        positions = {col.strip().lower(): i for i, col in enumerate(header)}
        required = list(required)
        missing = [col for col in required if col.lower() not in positions]
        if missing:
            raise Unreadable(1, _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        wanted = {col: positions[col.lower()] for col in [*required, *optional] if col.lower() in positions}
        for line, record in enumerate(reader, start=2):
            if any("\x00" in cell for cell in record):
                # PostgreSQL stores no NUL character: the file is refused here, not by a failed save.
                raise Unreadable(line, _("Contains a NUL character; the file may be damaged."))
            if any(cell.strip() for cell in record):
                yield line, {col: record[i].strip() if i < len(record) else "" for col, i in wanted.items()}
    except csv.Error as exc:
        raise Unreadable(line + 1, _("Unreadable CSV (%(error)s).") % {"error": exc}) from exc

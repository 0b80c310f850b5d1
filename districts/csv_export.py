"""The one CSV writer for every download: formula-safe cells and a UTF-8 byte-order mark.

Participant names and students' written answers end up in spreadsheets. A cell that begins with
= + - @ (or | %, or a tab or carriage return before one) is a formula to Excel and LibreOffice, so
such cells are prefixed with an apostrophe (defusedcsv, plus the tab/CR cases it leaves alone);
numbers, including negative ones, stay numbers. The byte-order mark makes Excel read UTF-8, so
Spanish accents show as written.
"""

from collections.abc import Iterable

from defusedcsv import csv as safe_csv
from django.http import HttpResponse

BOM = "\ufeff"
_CONTROL_STARTS = ("\t", "\r", "\n")


def _cell(value):
    if isinstance(value, str) and value.startswith(_CONTROL_STARTS):
        return "'" + value
    return value


class _Writer:
    def __init__(self, stream):
        self._writer = safe_csv.writer(stream)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, *, bom: bool = True) -> _Writer:
    """A csv.writer look-alike for `stream` (a file, or an HttpResponse) that neutralises formulas."""
    if bom:
        stream.write(BOM)
    return _Writer(stream)


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """An attachment download of `rows` (the first row is the header)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer(response).writerows(rows)
    return response

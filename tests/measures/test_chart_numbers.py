"""A run chart's "Show the numbers" table, built in Python (measures.charts.numbers_rows)."""

from datetime import date

from django.utils import translation

from measures import aggregation, charts
from measures.aggregation import SeriesPoint


def _series():
    return aggregation.series_of(
        [
            SeriesPoint(date(2026, 12, 7), 24, 48, 30, False),
            SeriesPoint(date(2026, 12, 14), 0, 0, 0, True, reason="fewer than 3 <teachers>"),
            SeriesPoint(date(2026, 12, 21), 0, 0, 0, True),
            SeriesPoint(date(2026, 12, 28), 12, 0, 0, False),
        ],
        min_n=10,
    )


def test_each_week_shows_its_responses_and_share_or_why_it_is_withheld():
    html = str(charts.numbers_rows(_series()))
    rows = html.split("</tr>")[:-1]
    assert len(rows) == 4
    assert rows[0] == "<tr><td>Dec. 7, 2026</td><td>24</td><td>62%</td>"  # 30 of 48, rounded
    assert "withheld: fewer than 3 &lt;teachers&gt;" in rows[1]  # escaped, never raw markup
    assert "withheld: fewer than the minimum group size" in rows[2]
    assert rows[3].endswith("<td>12</td><td>—</td>")  # nothing answered: no share


def test_the_table_reads_in_spanish():
    with translation.override("es"):
        html = str(charts.numbers_rows(_series()))
    assert html.startswith("<tr><td>7 de diciembre de 2026</td><td>24</td><td>62%</td></tr>")
    assert "retenido: menos que el tamaño mínimo de grupo" in html
    assert "withheld" not in html and "Dec" not in html

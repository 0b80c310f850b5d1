"""The classroom trend page in a browser: summary first, small multiples, marker labels that neither
overlap nor run off their chart, even for PD sessions and a cycle a few days apart."""

import datetime

import pytest
from playwright.sync_api import expect

from measures import aggregation
from pd.models import Attendance, PDSeries, PDSession
from tests.cycles.factories import CycleFactory
from tests.factories import make_instrument
from tests.measures.helpers import survey_in_week

from .conftest import assert_accessible, charts_ready, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _boxes(page):
    """Per chart: its box and the boxes of its marker labels, as the browser laid them out."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-figure]')].map(el => ({
            chart: el.getBoundingClientRect().toJSON(),
            labels: [...el.querySelectorAll('g.annotation')].map(a => a.getBoundingClientRect().toJSON()),
        }))"""
    )


def _overlap(a, b):
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


def test_marker_labels_are_readable_and_apart_on_every_small_multiple(page, live_server, personas, shoot):
    instrument = make_instrument(name="Discussion check", items=4)
    for week, good in zip(range(10, 0, -1), [4, 5, 6, 5, 4, 12, 13, 14, 12, 13], strict=True):
        survey_in_week(personas.classroom, instrument, week, productive=good, unproductive=18 - good)
    aggregation.rebuild_all()
    today = datetime.date.today()
    series = PDSeries.objects.create(district=personas.district, title="Pilot", school_year=2026)
    for days_ago, title in ((36, "Cycle 1 pilot teacher PD: Mixing Juice"), (33, "Cycle 2 pilot teacher PD: Mug Wump")):
        session = PDSession.objects.create(series=series, title=title, date=today - datetime.timedelta(days=days_ago))
        Attendance.objects.create(session=session, user=personas.teacher, method="code")
    CycleFactory(classroom=personas.classroom, title="Sentence starters", start=today - datetime.timedelta(days=35))

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, "teacher@example.org")
    page.goto(f"{live_server.url}/measures/classrooms/{personas.classroom.pk}/")
    charts_ready(page)
    expect(page.locator("[data-trend-summary] tbody tr")).to_have_count(1 + 4)
    expect(page.locator("[data-small-multiples] [data-figure]")).to_have_count(4)
    expect(page.locator("[data-marks]")).to_contain_text("PD session: Cycle 1 pilot teacher PD: Mixing Juice")
    shoot(page, "trend-01-classroom-small-multiples")

    charts = _boxes(page)
    assert len(charts) == 5
    for chart in charts:
        labels, box = chart["labels"], chart["chart"]
        assert len(labels) == 4  # two PD sessions, the cycle's start and end
        for i, a in enumerate(labels):
            assert box["left"] - 1 <= a["left"] and a["right"] <= box["right"] + 1, (a, box)  # not clipped
            assert box["top"] - 1 <= a["top"], (a, box)
            for b in labels[i + 1 :]:
                assert not _overlap(a, b), (a, b)
    # The small multiples sit side by side at this width, each well under the old 340 px.
    small = charts[1:]
    assert small[0]["chart"]["top"] == small[1]["chart"]["top"]
    assert all(c["chart"]["height"] < 260 for c in small)
    assert_accessible(page)

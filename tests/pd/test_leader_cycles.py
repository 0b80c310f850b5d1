"""The four-phase math-leader cycle (co-plan → math-leader PD → pilot teacher PD → review memo):
phase statuses by date, and the review done once the pilot has an analytic memo."""

import datetime

import pytest
from django.urls import reverse

from pd import selectors as pd_selectors
from pd import services as pd_services
from pd.models import PDSeries, PDSession, PDSessionKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 1)


@pytest.fixture
def series(personas):
    series = PDSeries.objects.create(
        district=personas.district, title="Math leaders 2025", school_year=2025, audience_roles=["teacher", "coach"]
    )
    series.facilitators.set([personas.coach])
    return series


def make(series, kind, date, cycle, title):
    return PDSession.objects.create(series=series, title=title, kind=kind, date=date, cycle=cycle)


def test_phases_are_done_planned_or_missing_by_date(series):
    make(series, PDSessionKind.CO_PLANNING, datetime.date(2025, 10, 1), 1, "Co-plan 1")
    make(series, PDSessionKind.LEADER_PD, TODAY, 1, "Leader PD 1")
    pilot = make(series, PDSessionKind.PULL_OUT, datetime.date(2025, 11, 20), 1, "Pilot 1")
    make(series, PDSessionKind.LEADER_PD, datetime.date(2025, 12, 1), 2, "Leader PD 2")
    PDSession.objects.create(series=series, title="No cycle", kind=PDSessionKind.NETWORK, date=TODAY)

    cycles = pd_selectors.leader_cycles(series, TODAY)
    assert [c.number for c in cycles] == [1, 2]
    one, two = cycles
    assert [p.status for p in one.phases] == ["done", "done", "planned"]
    assert [p.session.title for p in one.phases] == ["Co-plan 1", "Leader PD 1", "Pilot 1"]
    # The pilot is not held yet: nothing to review.
    assert (one.review.status, one.review.session) == ("missing", pilot)
    assert [p.status for p in two.phases] == ["missing", "planned", "missing"]
    assert (two.review.status, two.review.session) == ("missing", None)


def test_the_review_is_done_when_the_pilot_has_a_memo(personas, series):
    make(series, PDSessionKind.CO_PLANNING, datetime.date(2025, 10, 1), 1, "Co-plan 1")
    make(series, PDSessionKind.LEADER_PD, datetime.date(2025, 10, 8), 1, "Leader PD 1")
    pilot = make(series, PDSessionKind.PULL_OUT, datetime.date(2025, 10, 22), 1, "Pilot 1")
    assert pd_selectors.leader_cycles(series, TODAY)[0].review.status == "planned"
    pd_services.memo_save(session=pilot, text="The leaders pressed on ideas in the second half.", by=personas.partner)
    (one,) = pd_selectors.leader_cycles(series, TODAY)
    assert [p.status for p in one.phases] == ["done", "done", "done"]
    assert one.review.status == "done" and one.review.session == pilot


def test_a_blank_memo_does_not_count_as_the_review(series):
    pilot = make(series, PDSessionKind.COLLABORATIVE, TODAY, 1, "Pilot")
    pilot.memo = "  \n "
    pilot.save()
    cycle = pd_selectors.leader_cycles(series, TODAY)[0]
    assert cycle.phases[2].session == pilot and cycle.phases[2].status == "done"
    assert cycle.review.status == "planned"


@pytest.mark.parametrize("kind", [PDSessionKind.PULL_OUT, PDSessionKind.NETWORK, PDSessionKind.COLLABORATIVE])
def test_every_teacher_facing_kind_is_a_pilot(series, kind):
    make(series, kind, TODAY, 3, "Pilot")
    (cycle,) = pd_selectors.leader_cycles(series, TODAY)
    assert cycle.number == 3
    assert [p.status for p in cycle.phases] == ["missing", "missing", "done"]


def test_sessions_without_a_cycle_make_no_cycles(series):
    make(series, PDSessionKind.LEADER_PD, TODAY, None, "Stand-alone")
    assert pd_selectors.leader_cycles(series, TODAY) == []


def test_the_series_page_shows_the_cycles(client, personas, series):
    long_ago = datetime.date(2020, 1, 1)
    make(series, PDSessionKind.CO_PLANNING, long_ago, 1, "Co-plan 1")
    make(series, PDSessionKind.LEADER_PD, long_ago, 1, "Leader PD 1")
    pilot = make(series, PDSessionKind.PULL_OUT, long_ago, 1, "Pilot 1")
    pd_services.memo_save(session=pilot, text="Memo.", by=personas.partner)
    client.force_login(personas.leader)
    r = client.get(reverse("pd:series", args=[series.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Math-leader cycles" in page and "Written" in page
    assert reverse("pd:session_review", args=[pilot.pk]) in page
    assert [p.status for p in r.context["cycles"][0].phases] == ["done", "done", "done"]


def test_last_time_means_the_last_session_for_the_same_audience(personas, series):
    from measures.instruments import adult_instruments_for

    instrument = adult_instruments_for(personas.district).first()
    pilot_1 = make(series, PDSessionKind.PULL_OUT, datetime.date(2025, 10, 1), 1, "Pilot 1")
    leader_pd_2 = make(series, PDSessionKind.LEADER_PD, datetime.date(2025, 10, 8), 2, "Leader PD 2")
    pilot_2 = make(series, PDSessionKind.PULL_OUT, datetime.date(2025, 10, 22), 2, "Pilot 2")
    for session in (pilot_1, leader_pd_2):
        pd_services.feedback_open(session=session, instrument=instrument, opened_by=personas.leader)
    assert pd_selectors.previous_session_with_feedback(pilot_2) == pilot_1
    leader_pd_3 = make(series, PDSessionKind.LEADER_PD, datetime.date(2025, 11, 5), 3, "Leader PD 3")
    assert pd_selectors.previous_session_with_feedback(leader_pd_3) == leader_pd_2

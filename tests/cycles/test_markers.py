"""Cycle dates appear as markers on a classroom's run charts (the measures.markers hook)."""

import datetime

import pytest
from django.urls import reverse

from cycles import services
from cycles.markers import classroom_markers
from cycles.models import CycleStatus
from measures import aggregation, markers
from tests.measures.helpers import survey_in_week

from .factories import CycleFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_provider_is_registered_at_start_up():
    assert classroom_markers in markers._providers


def test_a_classroom_gets_the_start_and_end_of_its_cycles(personas):
    cycle = CycleFactory(classroom=personas.classroom, start=D(2026, 1, 5), end=D(2026, 1, 30), title="Talk moves")
    CycleFactory(classroom=personas.other_classroom, start=D(2026, 1, 5), end=D(2026, 1, 30))
    CycleFactory(classroom=personas.classroom, status=CycleStatus.ABANDONED)
    found = markers.for_classroom(personas.classroom)
    assert [(m.day, m.label, m.kind, m.detail) for m in found if m.kind == "cycle"] == [
        (cycle.start, "▶ cycle", "cycle", "Cycle starts: Talk moves"),
        (cycle.end, "■ end", "cycle", "Cycle ends: Talk moves"),
    ]


def test_markers_respect_the_date_filter(personas):
    CycleFactory(classroom=personas.classroom, start=D(2026, 1, 5), end=D(2026, 1, 30))
    assert classroom_markers(classroom=personas.classroom, since=D(2026, 2, 1)) == []
    assert len(classroom_markers(classroom=personas.classroom, since=D(2026, 1, 10))) == 1


def test_a_cycle_measured_on_a_classroom_marks_that_classroom(personas, instrument):
    cycle = services.cycle_create(
        district=personas.district, owner=personas.teacher, title="My practice", aim="x", scope="teacher",
        school=personas.school, start=D(2026, 1, 5), end=D(2026, 1, 30),
    )  # fmt: skip
    services.measure_link(
        cycle=cycle, lineage=instrument.lineage, item_order=0, scope="classroom", scope_id=personas.classroom.pk
    )
    assert len(classroom_markers(classroom=personas.classroom)) == 2


def test_the_classroom_run_chart_shows_the_cycle(client, personas, instrument):
    for weeks_ago in range(6, 0, -1):
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=10, unproductive=5)
    aggregation.rebuild_all()
    today = datetime.date.today()
    CycleFactory(classroom=personas.classroom, title="Sentence starters", start=today - datetime.timedelta(weeks=3))
    client.force_login(personas.teacher)
    html = client.get(reverse("measures:classroom", args=[personas.classroom.pk])).content.decode()
    assert "Cycle starts: Sentence starters" in html  # the marker's full text: on hover and in the key


def test_a_classroom_run_chart_marks_the_teacher_pd_sessions_its_teacher_attended(personas):
    from pd.markers import pd_markers
    from pd.models import Attendance, PDSeries, PDSession, PDSessionKind

    series = PDSeries.objects.create(district=personas.district, title="Discourse", school_year=2025)
    pilot = PDSession.objects.create(series=series, title="Pressing on ideas", date=D(2026, 1, 14))
    leaders = PDSession.objects.create(series=series, title="Leaders", kind=PDSessionKind.LEADER_PD, date=D(2026, 1, 7))
    other = PDSession.objects.create(series=series, title="Summaries", date=D(2026, 2, 4))
    for session in (pilot, leaders):
        Attendance.objects.create(session=session, user=personas.teacher, method="code")
    Attendance.objects.create(session=other, user=personas.other_teacher, method="code")

    assert pd_markers in markers._providers
    found = [(m.day, m.label, m.detail) for m in markers.for_classroom(personas.classroom) if m.kind == "pd"]
    assert found == [(D(2026, 1, 14), "PD", "PD session: Pressing on ideas")]  # not the leaders' PD, not a colleague's
    assert pd_markers(classroom=personas.classroom, since=D(2026, 1, 15)) == []
    assert pd_markers(classroom=personas.other_classroom) != []

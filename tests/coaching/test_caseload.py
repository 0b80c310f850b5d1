"""The coach's caseload: teachers assigned, active cycles, days since last contact, who went quiet,
events by kind per month; and the markers coaching puts on a classroom's run chart."""

import datetime

import pytest

from coaching import selectors, services
from coaching.models import CoachingEvent, CycleStatus, EventKind
from districts.models import Role
from measures import markers
from tests.factories import ClassroomFactory, CoachAssignmentFactory, MembershipFactory, UserFactory

from .factories import CoachingCycleFactory, CoachingEventFactory, GroupSessionFactory, observe

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def _second_coachee(personas):
    teacher = UserFactory(email="second@example.org", full_name="Second Teacher")
    MembershipFactory(user=teacher, district=personas.district, school=personas.school, role=Role.TEACHER)
    ClassroomFactory(school=personas.school, teacher=teacher)
    CoachAssignmentFactory(district=personas.district, coach=personas.coach, teacher=teacher)
    return teacher


def _event(cycle, kind, day):
    return CoachingEventFactory(cycle=cycle, kind=kind, date=day)


def test_the_caseload_counts_cycles_and_days_since_the_last_contact(personas, cycle):
    second = _second_coachee(personas)
    _event(cycle, EventKind.PRE_CONFERENCE, datetime.date(2026, 11, 2))
    _event(cycle, EventKind.OBSERVATION, datetime.date(2026, 11, 16))
    _event(cycle, EventKind.DEBRIEF, datetime.date(2026, 12, 1))  # planned: not a contact yet
    done = CoachingCycleFactory(
        school=personas.school, coach=personas.coach, teacher=personas.teacher, status=CycleStatus.COMPLETED
    )
    _event(done, EventKind.DEBRIEF, datetime.date(2026, 9, 1))
    # The second teacher was last seen at a group session five weeks ago.
    session = GroupSessionFactory(school=personas.school, coach=personas.coach, date=TODAY - datetime.timedelta(35))
    session.attendees.set([second])

    rows = {r.teacher: r for r in selectors.caseload(coach=personas.coach, today=TODAY)}

    assert set(rows) == {personas.teacher, second}
    mine = rows[personas.teacher]
    assert (mine.active_cycles, mine.cycles, mine.current_cycle) == (1, 2, cycle)
    assert (mine.last_contact, mine.days_since, mine.quiet) == (datetime.date(2026, 11, 16), 7, False)
    other = rows[second]
    assert (other.active_cycles, other.days_since, other.quiet) == (0, 35, True)
    # With a longer window, five weeks is not quiet.
    rows = {r.teacher: r for r in selectors.caseload(coach=personas.coach, today=TODAY, quiet_weeks=6)}
    assert not rows[second].quiet


def test_an_observation_counts_as_contact_and_a_teacher_never_seen_is_quiet(personas):
    second = _second_coachee(personas)
    observe(personas, day=TODAY - datetime.timedelta(days=3))
    rows = {r.teacher: r for r in selectors.caseload(coach=personas.coach, today=TODAY)}
    assert rows[personas.teacher].days_since == 3
    assert rows[second].last_contact is None and rows[second].quiet


def test_another_coachs_work_is_not_this_coachs_contact(personas, cycle):
    from .factories import make_coach

    other = make_coach(personas.district, personas.school)
    CoachAssignmentFactory(district=personas.district, coach=other, teacher=personas.teacher)
    theirs = CoachingCycleFactory(school=personas.school, coach=other, teacher=personas.teacher)
    _event(theirs, EventKind.DEBRIEF, TODAY)
    row = selectors.caseload(coach=personas.coach, today=TODAY)[0]
    assert row.last_contact is None


def test_events_are_counted_by_kind_per_month_with_empty_months_kept(personas, cycle):
    _event(cycle, EventKind.PRE_CONFERENCE, datetime.date(2026, 9, 3))
    _event(cycle, EventKind.PRE_CONFERENCE, datetime.date(2026, 9, 20))
    _event(cycle, EventKind.CO_TEACHING, datetime.date(2026, 9, 21))
    _event(cycle, EventKind.DEBRIEF, datetime.date(2026, 11, 2))

    counts = selectors.events_by_month(CoachingEvent.objects.filter(cycle__coach=personas.coach))

    assert counts.months == (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
    assert counts.by_kind == {"Pre-conference / co-plan": (2, 0, 0), "Co-teaching": (1, 0, 0), "Debrief": (0, 0, 1)}
    assert counts.total == 4


def test_the_caseload_page_shows_the_figures_in_a_bounded_number_of_queries(
    client, personas, cycle, django_assert_max_num_queries
):
    _second_coachee(personas)
    _event(cycle, EventKind.PRE_CONFERENCE, datetime.date.today())
    client.force_login(personas.coach)
    with django_assert_max_num_queries(25):
        response = client.get("/coaching/")
    page = response.content.decode()
    monthly = response.context["monthly_chart"]["figure"]
    assert [(t["name"], sum(t["y"])) for t in monthly["data"]] == [("Pre-conference / co-plan", 1)]
    assert 'id="stat-teachers">2<' in page
    assert 'id="stat-active">1<' in page
    assert 'id="stat-quiet">1<' in page
    assert 'data-figure="chart-months"' in page and 'id="chart-months"' in page
    assert "<script>" not in page  # figures arrive as JSON, drawn by static/js/charts.js


def test_the_principal_sees_a_school_aggregate_in_a_bounded_number_of_queries(
    client, personas, cycle, django_assert_max_num_queries
):
    _event(cycle, EventKind.PRE_CONFERENCE, datetime.date.today())
    client.force_login(personas.principal)
    with django_assert_max_num_queries(15):
        assert client.get(f"/coaching/schools/{personas.school.pk}/").status_code == 200


def test_coaching_events_are_markers_on_the_classroom_run_chart(personas, cycle):
    _event(cycle, EventKind.PRE_CONFERENCE, datetime.date(2026, 10, 5))
    _event(cycle, EventKind.OBSERVATION, datetime.date(2026, 10, 7))
    found = [m for m in markers.for_classroom(personas.classroom) if m.kind == "coaching"]
    assert [(m.day, m.label) for m in found] == [
        (datetime.date(2026, 10, 5), "Co-plan"),
        (datetime.date(2026, 10, 7), "Observation"),
    ]
    assert not [m for m in markers.for_classroom(personas.other_classroom) if m.kind == "coaching"]
    since = [m for m in markers.for_classroom(personas.classroom, since=datetime.date(2026, 10, 6))]
    assert [m.label for m in since if m.kind == "coaching"] == ["Observation"]


def test_a_cycle_without_a_classroom_marks_each_of_the_teachers_classrooms(personas):
    cycle = services.cycle_start(
        coach=personas.coach, teacher=personas.teacher, district=personas.district, focus_practice="x", goal="y"
    )
    _event(cycle, EventKind.MODELING, datetime.date(2026, 10, 5))
    assert [m.label for m in markers.for_classroom(personas.classroom) if m.kind == "coaching"] == ["Modeling"]


def test_the_coachs_home_page_flags_teachers_with_no_contact(client, personas, cycle):
    client.force_login(personas.coach)
    page = client.get("/").content.decode()
    assert "Coaching" in page and "1 active cycle" in page and "no contact in 3 weeks" in page


def test_the_classroom_run_chart_shows_coaching_events(client, personas, cycle):
    from measures import aggregation
    from tests.factories import make_instrument
    from tests.measures.helpers import survey_in_week

    instrument = make_instrument()
    for weeks_ago in (3, 2, 1):
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=8, unproductive=4)
    aggregation.rebuild_all()
    _event(cycle, EventKind.DEBRIEF, datetime.date.today() - datetime.timedelta(days=10))
    client.force_login(personas.teacher)
    page = client.get(f"/measures/classrooms/{personas.classroom.pk}/").content.decode()
    assert '"text":"Debrief"' in page.replace(" ", "")

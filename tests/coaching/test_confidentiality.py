"""Coaching notes are the coach's and the teacher's: principals and leaders see counts, not notes;
a note the coach keeps private is the coach's alone; survey results follow the teacher's sharing."""

import pytest

from coaching import services
from coaching.models import EventKind
from measures import aggregation
from tests.factories import make_instrument
from tests.measures.helpers import survey_in_week

from .factories import GroupSessionFactory, observe

pytestmark = pytest.mark.django_db

SHARED = "We agreed to try a turn-and-talk before the whole-class discussion."
FEEDBACK = "Students at table 3 compared strategies without prompting."
PRIVATE = "She seemed anxious about the upcoming evaluation."
GOAL = "I want my students to explain why, not only how."


@pytest.fixture
def logged(personas, cycle):
    services.event_log(
        cycle=cycle,
        by=personas.coach,
        kind=EventKind.PRE_CONFERENCE,
        next_steps=SHARED,
        note="Shared planning note",
    )
    services.event_log(
        cycle=cycle,
        by=personas.coach,
        kind=EventKind.OBSERVATION,
        feedback=FEEDBACK,
        note=PRIVATE,
        note_is_private=True,
    )
    return cycle


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("who", ["principal", "leader"])
def test_principals_and_leaders_see_that_a_cycle_exists_its_focus_and_counts_but_no_notes(
    client, personas, logged, who
):
    status, page = _page(client, getattr(personas, who), logged.get_absolute_url())

    assert status == 200
    assert "Pressing for reasoning" in page
    assert "Pre-conference / co-plan: 1" in page and "Observation with feedback: 1" in page
    for secret in (SHARED, FEEDBACK, PRIVATE, GOAL, "Shared planning note"):
        assert secret not in page


def test_the_teacher_sees_the_notes_but_not_the_coachs_private_note(client, personas, logged):
    status, page = _page(client, personas.teacher, logged.get_absolute_url())

    assert status == 200
    assert SHARED in page and FEEDBACK in page and GOAL in page and "Shared planning note" in page
    assert PRIVATE not in page


def test_the_coach_sees_every_note_including_the_private_one(client, personas, logged):
    status, page = _page(client, personas.coach, logged.get_absolute_url())

    assert status == 200
    assert PRIVATE in page and "only you" in page
    assert SHARED in page


def test_the_school_activity_page_shows_counts_and_kinds_without_notes(client, personas, logged):
    GroupSessionFactory(school=personas.school, coach=personas.coach, notes="Group secret")
    status, page = _page(client, personas.principal, f"/coaching/schools/{personas.school.pk}/")

    assert status == 200
    assert 'id="stat-cycles">1<' in page and 'id="stat-events">2<' in page
    assert "Analyzing student work: 1" in page
    for secret in (SHARED, FEEDBACK, PRIVATE, GOAL, "Group secret"):
        assert secret not in page


def test_the_teachers_home_page_shows_the_next_steps(client, personas, logged):
    status, page = _page(client, personas.teacher, "/")
    assert status == 200 and SHARED in page
    status, page = _page(client, personas.principal, "/")
    assert SHARED not in page


def test_observation_scores_and_evidence_are_for_the_observer_and_the_teacher(client, personas, cycle):
    observation = observe(personas, cycle=cycle)
    assert _page(client, personas.coach, observation.get_absolute_url())[0] == 200
    status, page = _page(client, personas.teacher, observation.get_absolute_url())
    assert status == 200 and "Evidence for Potential of the Task" in page
    assert _page(client, personas.principal, observation.get_absolute_url())[0] == 403
    assert _page(client, personas.leader, observation.get_absolute_url())[0] == 403
    assert _page(client, personas.outsider_leader, observation.get_absolute_url())[0] == 404


def test_group_session_notes_are_for_the_coach_and_attendees(client, personas):
    session = GroupSessionFactory(school=personas.school, coach=personas.coach, notes="We analyzed student work")
    session.attendees.set([personas.teacher])
    assert "We analyzed student work" in _page(client, personas.teacher, session.get_absolute_url())[1]
    status, page = _page(client, personas.principal, session.get_absolute_url())
    assert status == 200 and "We analyzed student work" not in page and "1 teacher" in page
    assert _page(client, personas.other_teacher, session.get_absolute_url())[0] == 403
    assert _page(client, personas.principal_b, session.get_absolute_url())[0] == 403
    assert _page(client, personas.outsider_leader, session.get_absolute_url())[0] == 404


# --- survey results linked to a cycle ---------------------------------------------------------


@pytest.fixture
def linked_survey(personas, cycle):
    instrument = make_instrument(name="Discussion check")
    survey = survey_in_week(personas.classroom, instrument, 1, productive=8, unproductive=4)
    aggregation.rebuild_all()
    services.event_log(cycle=cycle, by=personas.coach, kind=EventKind.OBSERVATION, administrations=[survey])
    return survey


def test_linked_surveys_show_their_results_inline_to_the_coach(client, personas, cycle, linked_survey):
    status, page = _page(client, personas.coach, cycle.get_absolute_url())
    assert status == 200
    assert "12 responses" in page and "67%" in page


def test_a_teacher_who_withdraws_sharing_hides_results_from_the_coach(client, personas, cycle, linked_survey):
    client.force_login(personas.teacher)
    client.post("/measures/sharing/", {})  # every box unticked: the coach no longer sees the classroom

    status, page = _page(client, personas.coach, cycle.get_absolute_url())
    assert "12 responses" not in page
    assert "has not shared these results" in page
    assert (
        _page(client, personas.coach, f"/coaching/teachers/{personas.teacher.pk}/")[1].count("chosen not to share") == 1
    )
    # The teacher still sees their own.
    assert "12 responses" in _page(client, personas.teacher, cycle.get_absolute_url())[1]


def test_linked_results_from_fewer_than_the_minimum_are_withheld(client, personas, cycle):
    instrument = make_instrument(name="Small")
    survey = survey_in_week(personas.classroom, instrument, 1, productive=3, unproductive=2)
    aggregation.rebuild_all()
    services.event_log(cycle=cycle, by=personas.coach, kind=EventKind.OBSERVATION, administrations=[survey])

    page = _page(client, personas.coach, cycle.get_absolute_url())[1]
    assert "Results withheld: 5 responses, fewer than 10" in page

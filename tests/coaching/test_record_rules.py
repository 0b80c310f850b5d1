"""districts.access.may_change_coaching_record: only the record's coach changes a coaching record,
and the pages ask it (edit links on the cycle and group-session pages, the cycle an observation joins)."""

import pytest

from coaching import selectors
from coaching.models import GroupSessionKind
from districts import access
from districts.models import Role
from tests.factories import CoachAssignmentFactory, MembershipFactory, SchoolFactory, UserFactory

from .factories import GroupSessionFactory, make_coach

pytestmark = pytest.mark.django_db


def _may(user, record):
    return access.may_change_coaching_record(user, district_id=record.district_id, coach_id=record.coach_id)


def test_the_cycles_coach_may_change_it(personas, cycle):
    assert _may(personas.coach, cycle)


def test_the_cycles_teacher_and_the_leader_may_not(personas, cycle):
    assert not _may(personas.teacher, cycle)
    assert not _may(personas.leader, cycle)
    assert not _may(personas.principal, cycle)


def test_a_coach_of_another_school_may_not(personas, cycle):
    assert not _may(make_coach(personas.district, personas.school_b, name="coach_b"), cycle)


def test_a_member_of_another_district_may_not(personas, cycle):
    assert not _may(personas.outsider_leader, cycle)
    outsider_coach = UserFactory(email="outsider_coach@example.org")
    MembershipFactory(user=outsider_coach, district=personas.outsider_district, role=Role.COACH)
    assert not _may(outsider_coach, cycle)


def test_the_coach_who_lost_the_coach_role_may_not(personas, cycle):
    personas.coach.memberships.filter(role=Role.COACH).update(role=Role.TEACHER)
    access.forget(personas.coach)
    assert not _may(personas.coach, cycle)


def test_the_cycle_page_shows_edit_links_to_its_coach_only(client, personas, cycle):
    for user, expected in ((personas.coach, True), (personas.teacher, False)):
        client.force_login(user)
        response = client.get(cycle.get_absolute_url())
        assert response.status_code == 200
        assert response.context["is_coach"] is expected


def test_the_group_session_page_shows_edit_links_to_its_coach_only(client, personas):
    session = GroupSessionFactory(school=personas.school, coach=personas.coach, kind=GroupSessionKind.STUDENT_WORK)
    session.attendees.set([personas.teacher])
    for user, expected in ((personas.coach, True), (personas.teacher, False), (personas.principal, False)):
        client.force_login(user)
        response = client.get(session.get_absolute_url())
        assert response.status_code == 200
        assert response.context["is_coach"] is expected
    client.force_login(personas.outsider_leader)
    assert client.get(session.get_absolute_url()).status_code == 404


def test_an_observation_joins_only_the_observers_own_cycle(client, personas, cycle):
    url = f"/coaching/teachers/{personas.teacher.pk}/observations/new/?cycle={cycle.pk}"
    client.force_login(personas.coach)
    assert client.get(url).context["cycle"] == cycle
    # A second coach assigned to the same teacher may observe, but not into the first coach's cycle.
    second = make_coach(personas.district, personas.school)
    CoachAssignmentFactory(district=personas.district, coach=second, teacher=personas.teacher)
    client.force_login(second)
    response = client.get(url)
    assert response.status_code == 200 and response.context["cycle"] is None


def test_the_group_session_list_holds_the_users_own_in_their_districts_only(personas):
    other_school = SchoolFactory(district=personas.outsider_district)
    mine = GroupSessionFactory(school=personas.school, coach=personas.coach)
    GroupSessionFactory(school=other_school, coach=personas.coach)  # a stale row in a district they left
    assert list(selectors.group_sessions_for(personas.coach)) == [mine]

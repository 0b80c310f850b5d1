"""Who changes a PD session (districts.access.may_change_pd_session), the math-leader PD included,
and who sees a series' facilitation review (may_see_facilitation_review).

The rule for a math-leader PD session: the series' facilitators (the math leaders, often coaches)
edit it, its agenda and its attendance like any other session of their series; a coach who is only
in its audience (the series is for coaches, or they attended) sees the agenda and may not edit."""

import datetime

import pytest
from django.urls import reverse

from districts import access
from districts.models import Role
from pd import selectors as pd_selectors
from pd import services as pd_services
from pd.models import EvidenceDirection, FacilitationGoal, PDSeries, PDSession, PDSessionKind
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EDIT_PAGES = ("pd:session_edit", "pd:activity_add", "pd:session_attendance")


def _coach(personas, name, school, district=None):
    user = UserFactory(email=f"{name}@example.org", full_name=name.replace("_", " ").title())
    MembershipFactory(user=user, district=district or personas.district, school=school, role=Role.COACH)
    return user


@pytest.fixture
def leader_pd(personas):
    """A math-leader series facilitated by the home coach, for coaches; its math-leader PD session."""
    series = PDSeries.objects.create(
        district=personas.district, title="Leading summary discussions", school_year=2025, audience_roles=["coach"]
    )
    series.facilitators.set([personas.coach])
    return PDSession.objects.create(
        series=series, title="Cycle 1 math-leader PD", kind=PDSessionKind.LEADER_PD, date=datetime.date(2025, 10, 2)
    )


def _may(user, session):
    facts = pd_selectors.series_facts(session.series)
    return access.may_change_pd_session(user, district=facts["district"], facilitator_ids=facts["facilitator_ids"])


# --- the rule ------------------------------------------------------------------------------------


def test_a_coach_who_facilitates_the_series_may_change_its_math_leader_pd(personas, leader_pd):
    assert _may(personas.coach, leader_pd)
    assert _may(personas.leader, leader_pd)


def test_other_roles_may_not(personas, leader_pd):
    assert not _may(personas.teacher, leader_pd)
    assert not _may(personas.principal, leader_pd)
    assert not _may(personas.partner, leader_pd)


def test_a_coach_of_another_school_in_the_audience_may_not(personas, leader_pd):
    audience_coach = _coach(personas, "coach_b", personas.school_b)
    pd_services.mark_attendance(session=leader_pd, present_ids={audience_coach.pk}, allowed_ids={audience_coach.pk})
    assert access.may_see_pd_series(audience_coach, **pd_selectors.series_facts(leader_pd.series))
    assert not _may(audience_coach, leader_pd)


def test_a_member_of_another_district_may_not(personas, leader_pd):
    assert not _may(personas.outsider_leader, leader_pd)
    assert not _may(_coach(personas, "outsider_coach", None, personas.outsider_district), leader_pd)


# --- the pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_the_facilitating_coach_opens_the_math_leader_pd_pages(client, personas, leader_pd, name):
    client.force_login(personas.coach)
    assert client.get(reverse(name, args=[leader_pd.pk])).status_code == 200


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_a_coach_only_in_the_audience_gets_403(client, personas, leader_pd, name):
    audience_coach = _coach(personas, "coach_b", personas.school_b)
    client.force_login(audience_coach)
    assert client.get(reverse("pd:session", args=[leader_pd.pk])).status_code == 200  # sees the agenda
    assert client.get(reverse(name, args=[leader_pd.pk])).status_code == 403


def test_a_coach_only_in_the_audience_cannot_post_an_activity(client, personas, leader_pd):
    audience_coach = _coach(personas, "coach_b", personas.school_b)
    client.force_login(audience_coach)
    r = client.post(reverse("pd:activity_add", args=[leader_pd.pk]), {"title": "Mine", "kind": "other", "minutes": 5})
    assert r.status_code == 403 and not leader_pd.activities.exists()


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_another_district_gets_404(client, personas, leader_pd, name):
    client.force_login(personas.outsider_leader)
    assert client.get(reverse(name, args=[leader_pd.pk])).status_code == 404


def test_the_session_page_offers_editing_only_to_those_who_may(client, personas, leader_pd):
    audience_coach = _coach(personas, "coach_b", personas.school_b)
    for user, expected in ((personas.coach, True), (personas.leader, True), (audience_coach, False)):
        client.force_login(user)
        assert client.get(reverse("pd:session", args=[leader_pd.pk])).context["may_change"] is expected


# --- the facilitation review ---------------------------------------------------------------------


def _sees_review(user, session, **extra):
    facts = pd_selectors.series_facts(session.series)
    return access.may_see_facilitation_review(
        user, district=facts["district"], facilitator_ids=facts["facilitator_ids"], **extra
    )


def test_the_reviewed_facilitator_leaders_and_partners_see_the_review(personas, leader_pd):
    assert _sees_review(personas.coach, leader_pd)
    assert _sees_review(personas.leader, leader_pd)
    assert _sees_review(personas.partner, leader_pd)


def test_a_teacher_and_another_schools_principal_do_not(personas, leader_pd):
    assert not _sees_review(personas.teacher, leader_pd)
    assert not _sees_review(personas.principal_b, leader_pd)


def test_someone_evidence_was_recorded_about_does(personas, leader_pd):
    assert _sees_review(personas.principal_b, leader_pd, has_own_evidence=True)


def test_another_district_does_not_even_with_evidence(personas, leader_pd):
    assert not _sees_review(personas.outsider_leader, leader_pd, has_own_evidence=True)


def test_the_series_page_links_the_review_for_those_who_see_it(client, personas, leader_pd):
    pd_services.evidence_add(
        session=leader_pd,
        recorded_by=personas.partner,
        leader=personas.coach,
        goal=FacilitationGoal.PRESS,
        direction=EvidenceDirection.IMPROVEMENT,
        note="Asked what a teacher meant.",
    )
    audience_coach = _coach(personas, "coach_b", personas.school_b)
    for user, expected in ((personas.coach, True), (personas.partner, True), (audience_coach, False)):
        client.force_login(user)
        assert client.get(reverse("pd:series", args=[leader_pd.series_id])).context["may_see_review"] is expected

"""Who may reach coaching pages: the assigned coach, the teacher, principals and leaders for summaries;
an unassigned coach, another school's principal and another district are kept out (403 / 404)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import services
from coaching.models import CoachingCycle, CoachingEvent, EventKind
from districts import access

from .factories import make_coach

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas, cycle):
    return services.event_log(cycle=cycle, by=personas.coach, kind=EventKind.PRE_CONFERENCE, note="n")


def _status(client, user, url, method="get", data=None):
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def test_the_assigned_coach_starts_a_cycle_from_the_teachers_page(client, personas):
    client.force_login(personas.coach)
    assert client.get(f"/coaching/teachers/{personas.teacher.pk}/").status_code == 200
    response = client.post(
        f"/coaching/teachers/{personas.teacher.pk}/cycles/new/",
        {
            "classroom": personas.classroom.pk,
            "focus_practice": "Launching tasks",
            "goal": "Students start without me.",
            "started_on": "2026-01-12",
        },
    )
    cycle = CoachingCycle.objects.get()
    assert response.status_code == 302 and response.url == cycle.get_absolute_url()
    assert (cycle.coach, cycle.teacher, cycle.school) == (personas.coach, personas.teacher, personas.school)


def test_a_coach_not_assigned_to_the_teacher_is_refused(client, personas, cycle, event):
    other = make_coach(personas.district, personas.school)
    teacher = personas.teacher.pk
    assert _status(client, other, f"/coaching/teachers/{teacher}/") == 403
    assert _status(client, other, f"/coaching/teachers/{teacher}/cycles/new/") == 403
    assert _status(client, other, f"/coaching/teachers/{teacher}/observations/new/") == 403
    assert _status(client, other, cycle.get_absolute_url()) == 403
    assert _status(client, other, f"/coaching/cycles/{cycle.pk}/events/new/") == 403
    assert _status(client, other, f"/coaching/events/{event.pk}/edit/") == 403
    assert _status(client, other, f"/coaching/events/{event.pk}/delete/", "post") == 403
    assert CoachingEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(ValidationError):
        services.cycle_start(
            coach=other, teacher=personas.teacher, district=personas.district, focus_practice="x", goal="y"
        )


def test_the_teacher_reads_but_does_not_change_the_cycle(client, personas, cycle, event):
    assert _status(client, personas.teacher, cycle.get_absolute_url()) == 200
    assert _status(client, personas.teacher, f"/coaching/cycles/{cycle.pk}/edit/") == 403
    assert _status(client, personas.teacher, f"/coaching/cycles/{cycle.pk}/events/new/") == 403
    assert _status(client, personas.teacher, f"/coaching/events/{event.pk}/delete/", "post") == 403


@pytest.mark.parametrize("who", ["principal", "leader"])
def test_principals_and_leaders_cannot_log_or_change_coaching(client, personas, cycle, event, who):
    user = getattr(personas, who)
    assert _status(client, user, f"/coaching/cycles/{cycle.pk}/edit/") == 403
    assert _status(client, user, f"/coaching/cycles/{cycle.pk}/events/new/") == 403
    assert _status(client, user, f"/coaching/events/{event.pk}/edit/") == 403
    assert _status(client, user, f"/coaching/teachers/{personas.teacher.pk}/") == 403


def test_another_schools_principal_and_another_teacher_are_refused(client, personas, cycle):
    assert _status(client, personas.principal_b, cycle.get_absolute_url()) == 403
    assert _status(client, personas.principal_b, f"/coaching/schools/{personas.school.pk}/") == 403
    assert _status(client, personas.other_teacher, cycle.get_absolute_url()) == 403
    assert _status(client, personas.coach, f"/coaching/schools/{personas.school.pk}/") == 403


def test_another_district_gets_404(client, personas, cycle, event):
    for user in (personas.outsider_leader, personas.outsider_teacher):
        assert _status(client, user, cycle.get_absolute_url()) == 404
        assert _status(client, user, f"/coaching/events/{event.pk}/edit/") == 404
        assert _status(client, user, f"/coaching/teachers/{personas.teacher.pk}/") == 404
        assert _status(client, user, f"/coaching/schools/{personas.school.pk}/") == 404


def test_the_coach_deletes_an_event_after_confirming(client, personas, cycle, event):
    client.force_login(personas.coach)
    page = client.get(f"/coaching/events/{event.pk}/delete/")
    assert page.status_code == 200 and "Delete the pre-conference" in page.content.decode()
    assert CoachingEvent.objects.filter(pk=event.pk).exists()
    assert client.post(f"/coaching/events/{event.pk}/delete/").status_code == 302
    assert not CoachingEvent.objects.filter(pk=event.pk).exists()


def test_a_coach_cannot_link_a_survey_of_another_classroom(personas, cycle):
    from tests.factories import make_instrument
    from tests.measures.helpers import survey_in_week

    foreign = survey_in_week(personas.other_classroom, make_instrument(), 1)
    with pytest.raises(ValidationError):
        services.event_log(cycle=cycle, by=personas.coach, kind=EventKind.DEBRIEF, administrations=[foreign])


def test_a_coaching_cycle_needs_the_teachers_own_classroom(personas):
    with pytest.raises(ValidationError):
        services.cycle_start(
            coach=personas.coach,
            teacher=personas.teacher,
            district=personas.district,
            classroom=personas.other_classroom,
            focus_practice="x",
            goal="y",
        )


# --- the sharing rule (districts.access) --------------------------------------------------------


def test_the_results_rule_follows_the_teachers_choices(personas):
    from tests.measures.sharing import share

    room = personas.classroom

    def rule(user):
        access.forget(user)
        return access.may_see_classroom_results(user, room)

    assert rule(personas.coach) and not rule(personas.principal)
    share(room, coach=False, principal=True)
    assert rule(personas.teacher)
    assert not rule(personas.coach)
    assert not rule(make_coach(personas.district, personas.school))
    assert rule(personas.principal)
    assert not rule(personas.principal_b)
    assert not rule(personas.leader)
    assert not rule(personas.outsider_leader)


def test_the_coaching_page_sends_the_teacher_to_who_sees_my_results(client, personas):
    client.force_login(personas.teacher)
    assert reverse("measures:sharing") in client.get("/coaching/").content.decode()

"""The cycle form offers only what the user may start (scopes, classrooms, schools); a refusal keeps
what was typed; classrooms carry their teacher and are grouped by school; a refused page renders
in the app's layout with its reason."""

import datetime

import pytest
from django.urls import reverse

from cycles.models import ImprovementCycle
from districts import access
from tests.factories import ClassroomFactory

from .factories import CycleFactory, PriorityFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _form(client, user):
    client.force_login(user)
    return client.get(reverse("cycles:cycle_add")).context["form"]


def _scopes(form):
    return [value for value, _ in form.fields["scope"].choices]


def _posted(personas, **extra):
    return {
        "kind": "pdsa",
        "title": "Talk moves in the closing discussion",
        "aim": "Most students build on a classmate's idea.",
        "cadence": "weekly",
        "start": TODAY.isoformat(),
        "end": (TODAY + datetime.timedelta(days=13)).isoformat(),
        **extra,
    }


def test_a_leader_is_offered_no_classroom_but_the_district_and_every_school(client, personas):
    form = _form(client, personas.leader)
    assert _scopes(form) == ["teacher", "school", "district", "network"]
    assert "classroom" not in form.fields  # only the teacher or their coach starts a classroom cycle
    assert set(form.fields["school"].queryset) == {personas.school, personas.school_b}
    assert form.initial["scope"] == "district"


def test_a_principal_is_offered_their_own_school_only(client, personas):
    form = _form(client, personas.principal)
    assert _scopes(form) == ["teacher", "school"]
    assert list(form.fields["school"].queryset) == [personas.school]


def test_a_teacher_is_offered_their_own_classrooms_and_a_coach_their_coachees(client, personas):
    form = _form(client, personas.teacher)
    assert _scopes(form) == ["classroom", "teacher"]
    assert list(form.fields["classroom"].queryset) == [personas.classroom]
    form = _form(client, personas.coach)
    assert "classroom" in _scopes(form)
    assert list(form.fields["classroom"].queryset) == [personas.classroom]  # not other_teacher's
    form = _form(client, personas.other_teacher)
    assert list(form.fields["classroom"].queryset) == [personas.other_classroom]


def test_a_scope_not_offered_is_a_form_error_with_the_typed_input_kept(client, personas):
    client.force_login(personas.leader)
    response = client.post(
        reverse("cycles:cycle_add"), _posted(personas, scope="classroom", classroom=personas.classroom.pk)
    )
    assert response.status_code == 200 and not ImprovementCycle.objects.exists()
    assert response.context["form"].errors["scope"]
    assert "Talk moves in the closing discussion" in response.content.decode()


def test_a_refusal_after_a_valid_post_redisplays_the_form_with_its_reason(client, personas, monkeypatch):
    # The menus offer only what may_start_cycle allows; if the rule still says no (a role changed while
    # the form was open), the page comes back with everything typed and says why, never a bare 403.
    monkeypatch.setattr(access, "may_start_cycle", lambda *a, **k: False)
    client.force_login(personas.teacher)
    response = client.post(
        reverse("cycles:cycle_add"), _posted(personas, scope="classroom", classroom=personas.classroom.pk)
    )
    assert response.status_code == 200 and not ImprovementCycle.objects.exists()
    html = response.content.decode()
    assert "You may not start a cycle for this classroom" in html
    assert "Talk moves in the closing discussion" in html and "build on a classmate&#x27;s idea" in html


def test_editing_keeps_the_cycles_own_classroom_on_offer_but_refuses_moving_it_elsewhere(client, personas):
    cycle = CycleFactory(classroom=personas.classroom)
    cycle.team.add(personas.other_teacher)  # a team member may change it, but does not run that class
    client.force_login(personas.other_teacher)
    url = reverse("cycles:cycle_edit", args=[cycle.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["classroom"].queryset) == {personas.classroom, personas.other_classroom}
    data = _posted(
        personas, scope="classroom", classroom=personas.classroom.pk, status="active", team=[personas.other_teacher.pk]
    )
    assert client.post(url, data).status_code == 302
    ClassroomFactory(school=personas.school_b, teacher=personas.teacher_b, name="Math 8B")
    response = client.post(url, {**data, "scope": "school", "school": personas.school.pk})
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    cycle.refresh_from_db()
    assert cycle.scope == "classroom"


def test_classrooms_show_their_teacher_grouped_by_school(client, personas):
    room = personas.classroom
    twin = ClassroomFactory(school=personas.school_b, teacher=personas.teacher, name=room.name, period=room.period)
    form = _form(client, personas.teacher)
    choices = list(form.fields["classroom"].choices)[1:]  # after the empty choice
    groups = [(group, [label for _, label in options]) for group, options in choices]
    assert str(room) == str(twin) and groups == [
        ("Adams Middle", [f"{room} — Teacher"]),
        ("Banneker Middle", [f"{room} — Teacher"]),
    ]
    html = str(form["classroom"])
    assert '<optgroup label="Adams Middle">' in html and '<optgroup label="Banneker Middle">' in html
    assert f'value="{twin.pk}"' in html


def test_a_forbidden_action_renders_the_app_403_with_its_reason_and_a_way_on(client, personas):
    priority = PriorityFactory(district=personas.district, school=personas.school)  # the principal's to change
    client.force_login(personas.principal)
    response = client.post(reverse("cycles:priority_move", args=[priority.pk]), {"direction": "up"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Only district leaders rank the district&#x27;s priorities." in html
    assert 'aria-label="Main"' in html and "Go to the home page" in html

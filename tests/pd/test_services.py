"""pd.services writes: keyword-only, validated before saving (a refused write leaves nothing behind),
and a refusal goes back onto the form the view re-displays."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pd import services as pd_services
from pd.models import Activity, ActivityKind, FacilitationEvidence, PDSeries, PDSession, SeriesGoal, SessionGoal
from tests.cycles.factories import PriorityFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 10, 7)


@pytest.fixture
def series(personas):
    return pd_services.series_create(
        district=personas.district,
        created_by=personas.leader,
        title="Discourse in grade 7",
        school_year=2025,
        audience_roles=["teacher"],
        facilitators=[personas.coach],
        goals=["Notice reasoning", "Press on ideas"],
    )


@pytest.fixture
def session(series):
    return pd_services.session_create(series=series, title="Launching tasks", date=DAY, minutes=90, goals=["Notice"])


# --- series --------------------------------------------------------------------------------------


def test_series_create_saves_the_series_its_people_and_goals(personas, series):
    assert (series.district, series.created_by) == (personas.district, personas.leader)
    assert list(series.facilitators.all()) == [personas.coach]
    assert list(series.goals.values_list("order", "text")) == [(1, "Notice reasoning"), (2, "Press on ideas")]


def test_the_services_take_keywords_only(personas, series):
    with pytest.raises(TypeError):
        pd_services.series_update(series, title="Positional")
    with pytest.raises(TypeError):
        pd_services.series_update(series=series, district=personas.outsider_district)  # not a field one changes


def test_a_series_with_a_priority_of_another_district_is_refused_and_nothing_is_saved(personas):
    foreign = PriorityFactory(district=personas.outsider_district)
    with pytest.raises(ValidationError) as exc:
        pd_services.series_create(
            district=personas.district,
            created_by=personas.leader,
            title="Mixed up",
            school_year=2025,
            priority=foreign,
            facilitators=[personas.coach],
            goals=["A goal"],
        )
    assert "priority" in exc.value.message_dict
    assert not PDSeries.objects.exists() and not SeriesGoal.objects.exists()


def test_a_series_without_a_title_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        pd_services.series_create(district=personas.district, created_by=None, title="", school_year=2025)
    assert "title" in exc.value.message_dict
    assert not PDSeries.objects.exists()


def test_a_refused_series_update_keeps_the_stored_series(personas, series):
    with pytest.raises(ValidationError):
        pd_services.series_update(
            series=series, title="New title", audience_schools=[personas.outsider_classroom.school], goals=["Other"]
        )
    series.refresh_from_db()
    assert series.title == "Discourse in grade 7"
    assert list(series.goals.values_list("text", flat=True)) == ["Notice reasoning", "Press on ideas"]


def test_series_update_keeps_what_it_is_not_given(personas, series):
    pd_services.series_update(series=series, title="Renamed")
    series.refresh_from_db()
    assert series.title == "Renamed" and list(series.facilitators.all()) == [personas.coach]
    assert series.goals.count() == 2


# --- sessions ------------------------------------------------------------------------------------


def test_session_create_saves_its_goals(session):
    assert list(session.goals.values_list("text", flat=True)) == ["Notice"]


def test_a_session_of_impossible_length_is_refused_and_nothing_is_saved(series):
    with pytest.raises(ValidationError) as exc:
        pd_services.session_create(series=series, title="Marathon", date=DAY, minutes=5000, goals=["Endure"])
    assert "minutes" in exc.value.message_dict
    assert not PDSession.objects.exists() and not SessionGoal.objects.exists()


def test_a_refused_session_update_changes_nothing(session):
    with pytest.raises(ValidationError):
        pd_services.session_update(session=session, title="Renamed", cycle=99, goals=["Other"])
    session.refresh_from_db()
    assert session.title == "Launching tasks" and list(session.goals.values_list("text", flat=True)) == ["Notice"]


def test_a_session_whose_memo_author_is_gone_can_still_be_edited(session):
    # memo_by is SET_NULL when an account goes: that must not block an edit.
    pd_services.session_update(session=session, title="Renamed")
    assert PDSession.objects.get().title == "Renamed"


# --- the agenda ----------------------------------------------------------------------------------


def test_activity_add_validates_and_appends(session):
    first = pd_services.activity_add(session=session, kind=ActivityKind.SOLVE, title="Solve", minutes=20)
    with pytest.raises(ValidationError) as exc:
        pd_services.activity_add(session=session, kind=ActivityKind.SOLVE, title="Too long", minutes=0)
    assert "minutes" in exc.value.message_dict
    assert list(session.activities.values_list("title", "order")) == [("Solve", 1)]
    second = pd_services.activity_add(
        session=session, kind=ActivityKind.VIDEO, title="Watch", minutes=10, builds_on_activity=first
    )
    assert second.order == 2


def test_an_activity_may_not_build_on_another_series(personas, series, session):
    other_series = pd_services.series_create(
        district=personas.district, created_by=personas.leader, title="Another", school_year=2025
    )
    other = pd_services.session_create(series=other_series, title="Elsewhere", date=DAY, goals=["Their goal"])
    theirs = pd_services.activity_add(session=other, kind=ActivityKind.SOLVE, title="Theirs", minutes=10)
    with pytest.raises(ValidationError) as exc:
        pd_services.activity_add(
            session=session,
            kind=ActivityKind.SOLVE,
            title="Mine",
            minutes=10,
            builds_on_activity=theirs,
            builds_on_goal=other.goals.get(),
        )
    assert set(exc.value.message_dict) == {"builds_on_activity", "builds_on_goal"}
    assert not session.activities.exists()


def test_a_refused_activity_update_changes_nothing(session):
    activity = pd_services.activity_add(session=session, kind=ActivityKind.SOLVE, title="Solve", minutes=20)
    with pytest.raises(ValidationError):
        pd_services.activity_update(activity=activity, title="Renamed", builds_on_activity=activity)
    assert Activity.objects.get().title == "Solve"


# --- the facilitation review ---------------------------------------------------------------------


def test_evidence_whose_clip_ends_before_it_starts_is_refused(personas, session):
    with pytest.raises(ValidationError):
        pd_services.evidence_add(
            session=session,
            recorded_by=personas.partner,
            leader=personas.coach,
            goal="press",
            direction="improvement",
            note="Pressed.",
            clip_start=120,
            clip_end=60,
        )
    assert not FacilitationEvidence.objects.exists()


# --- the views hand service errors back to the form ----------------------------------------------


def test_a_service_refusal_redisplays_the_series_form_with_what_was_typed(client, personas, series, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"title": "Not that title.", "goals": "Too many goals."})

    monkeypatch.setattr(pd_services, "series_update", refuse)
    client.force_login(personas.leader)
    r = client.post(
        reverse("pd:series_edit", args=[series.pk]),
        {"title": "Typed title", "school_year": 2025, "audience_roles": ["teacher"], "goals": "Typed goal"},
    )
    assert r.status_code == 200
    assert r.context["form"].errors["title"] == ["Not that title."]
    assert r.context["form"].errors["goals"] == ["Too many goals."]
    assert "Typed title" in r.content.decode() and "Typed goal" in r.content.decode()
    series.refresh_from_db()
    assert series.title == "Discourse in grade 7"


def test_a_service_refusal_redisplays_the_activity_form(client, personas, session, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("The agenda is locked.")

    monkeypatch.setattr(pd_services, "activity_add", refuse)
    client.force_login(personas.coach)
    data = {"title": "Solve", "kind": "solve", "minutes": 10, "learning_goal": "Notice strategies."}
    r = client.post(reverse("pd:activity_add", args=[session.pk]), data)
    assert r.status_code == 200
    assert r.context["form"].non_field_errors() == ["The agenda is locked."]
    assert not session.activities.exists()

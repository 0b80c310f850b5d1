"""PD sessions: the timed agenda (times, warnings, hints), reordering, goals kept by position,
video clock parsing, and the session page's warnings."""

import datetime

import pytest
from django.urls import reverse

from pd import selectors as pd_selectors
from pd import services as pd_services
from pd.models import Activity, ActivityKind, PDSeries, PDSession, PDSessionKind, SessionGoal

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 10, 7)


@pytest.fixture
def series(personas):
    series = PDSeries.objects.create(
        district=personas.district, title="Discourse in grade 7", school_year=2025, audience_roles=["teacher"]
    )
    series.facilitators.set([personas.coach])
    return series


@pytest.fixture
def session(series):
    return PDSession.objects.create(
        series=series, title="Launching tasks", date=DAY, starts_at=datetime.time(16, 0), minutes=60
    )


def add(session, title, minutes, *, goal="Notice how students reason.", **extra):
    return pd_services.activity_add(
        session=session, kind=ActivityKind.SOLVE, title=title, minutes=minutes, learning_goal=goal, **extra
    )


# --- timing ---------------------------------------------------------------------------------


def test_rows_carry_cumulative_minutes_and_clock_times(session):
    add(session, "Solve the task", 20)
    add(session, "Analyze student work", 20)
    add(session, "Co-plan", 15)
    result = pd_selectors.agenda(session)
    assert [(r.number, r.start, r.end) for r in result.rows] == [(1, 0, 20), (2, 20, 40), (3, 40, 55)]
    assert [r.clock for r in result.rows] == ["4:00–4:20", "4:20–4:40", "4:40–4:55"]
    assert result.planned == 55 and result.length == 60 and result.over_by == 0


def test_clock_crosses_the_hour_without_a_leading_zero(session):
    session.starts_at = datetime.time(9, 30)
    session.minutes = 120
    session.save()
    add(session, "Model a lesson", 45)
    add(session, "Debrief", 50)
    assert [r.clock for r in pd_selectors.agenda(session).rows] == ["9:30–10:15", "10:15–11:05"]


def test_without_a_start_time_there_are_no_clock_strings(session):
    session.starts_at = None
    session.save()
    add(session, "Solve the task", 20)
    row = pd_selectors.agenda(session).rows[0]
    assert row.clock == "" and (row.start, row.end) == (0, 20)


def test_an_activity_without_a_learning_goal_is_named_in_a_warning(session):
    add(session, "Solve the task", 20)
    add(session, "Watch the clip", 20, goal="   ")
    result = pd_selectors.agenda(session)
    assert [r.missing_goal for r in result.rows] == [False, True]
    assert result.warnings == ["Activity 2, “Watch the clip”, has no learning goal."]


def test_five_activities_without_a_goal_make_one_warning_not_five(client, personas, session):
    for n in range(5):
        add(session, f"Step {n}", 5, goal="")
    result = pd_selectors.agenda(session)
    assert result.warnings == [
        "5 activities have no learning goal (1, 2, 3, 4 and 5): say what participants should learn from each one."
    ]
    client.force_login(personas.leader)
    page = client.get(reverse("pd:session", args=[session.pk])).content.decode()
    assert page.count('class="alert alert-warning') == 1


def test_the_activity_form_asks_for_a_learning_goal(client, personas, session):
    client.force_login(personas.leader)
    url = reverse("pd:activity_add", args=[session.pk])
    assert "What should participants learn from this activity?" in client.get(url).content.decode()
    r = client.post(url, {"title": "Solve", "kind": "other", "minutes": 10, "learning_goal": "  "})
    assert r.status_code == 200 and not session.activities.exists()
    assert r.context["form"].errors["learning_goal"]
    r = client.post(url, {"title": "Solve", "kind": "other", "minutes": 10, "learning_goal": "Notice strategies."})
    assert r.status_code == 302 and session.activities.get().learning_goal == "Notice strategies."


def test_an_overrun_is_warned_with_minutes_over_and_the_first_activity_over(session):
    add(session, "Solve the task", 20)
    add(session, "Analyze student work", 30)
    add(session, "Co-plan", 25)
    result = pd_selectors.agenda(session)
    assert result.planned == 75 and result.over_by == 15
    assert [r.overruns for r in result.rows] == [False, False, True]
    assert result.warnings == [
        "The activities take 75 minutes but the session is 60: 15 minutes over, from activity 3 on."
    ]


def test_an_agenda_that_fits_exactly_has_no_warnings(session):
    add(session, "Solve the task", 20)
    add(session, "Analyze student work", 40)
    result = pd_selectors.agenda(session)
    assert result.warnings == []
    assert not any(r.overruns for r in result.rows)
    assert not any("not yet planned" in h for h in result.hints)


def test_unplanned_minutes_and_missing_session_goals_are_hints(session):
    add(session, "Solve the task", 20)
    hints = pd_selectors.agenda(session).hints
    assert "40 minutes are not yet planned." in hints
    assert any("no short-term goals yet" in h for h in hints)
    pd_services.set_session_goals(session=session, lines=["Press on reasoning"])
    assert not any("no short-term goals yet" in h for h in pd_selectors.agenda(session).hints)


def test_activities_after_the_first_should_build_on_something_earlier(session):
    first = add(session, "Solve the task", 15)
    add(session, "Analyze student work", 15)
    add(session, "Co-plan", 15)
    hints = pd_selectors.agenda(session).hints
    assert any(h.startswith("Activities 2, 3 build on nothing earlier") for h in hints)

    second = session.activities.get(title="Analyze student work")
    second.builds_on_activity = first
    second.save()
    result = pd_selectors.agenda(session)
    assert [r.connected for r in result.rows] == [False, True, False]
    assert any(h.startswith("Activity 3 builds on nothing earlier") for h in result.hints)

    pd_services.set_session_goals(session=session, lines=["Press on reasoning"])
    third = session.activities.get(title="Co-plan")
    third.builds_on_goal = session.goals.get()
    third.save()
    assert not any("nothing earlier" in h for h in pd_selectors.agenda(session).hints)


def test_a_single_activity_is_never_called_disconnected(session):
    add(session, "Solve the task", 15)
    assert not any("nothing earlier" in h for h in pd_selectors.agenda(session).hints)


# --- order ----------------------------------------------------------------------------------


def test_activity_add_appends_in_order(session):
    a, b, c = add(session, "A", 10), add(session, "B", 10), add(session, "C", 10)
    assert [a.order, b.order, c.order] == [1, 2, 3]


def test_activity_move_swaps_with_its_neighbour_and_retimes(session):
    a, _, c = add(session, "A", 10), add(session, "B", 20), add(session, "C", 30)
    pd_services.activity_move(activity=c, direction="up")
    rows = pd_selectors.agenda(session).rows
    assert [r.activity.title for r in rows] == ["A", "C", "B"]
    assert [(r.start, r.end) for r in rows] == [(0, 10), (10, 40), (40, 60)]
    pd_services.activity_move(activity=Activity.objects.get(pk=a.pk), direction="down")
    assert list(session.activities.values_list("title", flat=True)) == ["C", "A", "B"]


def test_moving_past_either_end_changes_nothing(session):
    a, b = add(session, "A", 10), add(session, "B", 10)
    pd_services.activity_move(activity=a, direction="up")
    pd_services.activity_move(activity=b, direction="down")
    assert list(session.activities.values_list("title", "order")) == [("A", 1), ("B", 2)]


def test_the_move_view_reorders_for_a_facilitator_and_refuses_other_directions(client, personas, session):
    a, b = add(session, "A", 10), add(session, "B", 10)
    client.force_login(personas.coach)
    r = client.post(reverse("pd:activity_move", args=[b.pk]), {"direction": "up"})
    assert r.status_code == 302 and r["Location"].endswith("#agenda")
    assert list(session.activities.values_list("title", flat=True)) == ["B", "A"]
    r = client.post(reverse("pd:activity_move", args=[a.pk]), {"direction": "sideways"})
    assert r.status_code == 400


# --- goals ----------------------------------------------------------------------------------


def test_goal_lines_strip_bullets_and_blank_lines():
    text = "- Notice reasoning\n\n• Press on ideas  \n  * Connect strategies\n\n"
    assert pd_services.goal_lines(text) == ["Notice reasoning", "Press on ideas", "Connect strategies"]
    assert pd_services.goal_lines("") == [] and pd_services.goal_lines(None) == []
    assert len(pd_services.goal_lines("x" * 400)[0]) == 300


def test_session_goals_are_kept_by_position_when_their_words_change(session):
    pd_services.set_session_goals(session=session, lines=["Notice", "Press", "Connect"])
    goals = list(session.goals.all())
    assert [(g.order, g.text) for g in goals] == [(1, "Notice"), (2, "Press"), (3, "Connect")]
    activity = add(session, "Discuss", 20, builds_on_goal=goals[1])

    pd_services.set_session_goals(session=session, lines=["Notice", "Press on students' ideas", "Connect"])
    activity.refresh_from_db()
    assert activity.builds_on_goal_id == goals[1].pk
    assert activity.builds_on_goal.text == "Press on students' ideas"
    assert list(session.goals.values_list("pk", flat=True)) == [g.pk for g in goals]


def test_dropping_goals_deletes_the_last_ones_and_adding_appends(session):
    pd_services.set_session_goals(session=session, lines=["Notice", "Press"])
    first, second = session.goals.all()
    activity = add(session, "Discuss", 20, builds_on_goal=second)
    pd_services.set_session_goals(session=session, lines=["Notice"])
    activity.refresh_from_db()
    assert activity.builds_on_goal is None
    assert list(session.goals.values_list("pk", flat=True)) == [first.pk]
    pd_services.set_session_goals(session=session, lines=["Notice", "Connect", "Justify"])
    assert list(session.goals.values_list("order", "text")) == [(1, "Notice"), (2, "Connect"), (3, "Justify")]
    assert session.goals.first().pk == first.pk


def test_editing_the_session_form_keeps_goal_rows(client, personas, session):
    pd_services.set_session_goals(session=session, lines=["Notice", "Press"])
    second = SessionGoal.objects.get(session=session, order=2)
    activity = add(session, "Discuss", 20, builds_on_goal=second)
    client.force_login(personas.coach)
    r = client.post(
        reverse("pd:session_edit", args=[session.pk]),
        {"title": session.title, "kind": PDSessionKind.PULL_OUT, "date": "2025-10-07", "starts_at": "16:00",
         "minutes": 60, "goals": "Notice\nPress on ideas"},
    )  # fmt: skip
    assert r.status_code == 302
    activity.refresh_from_db()
    assert activity.builds_on_goal_id == second.pk and activity.builds_on_goal.text == "Press on ideas"


# --- video clock ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("1:02:03", 3723), ("12:30", 750), ("95", 95), (" 1:05 ", 65), ("", None), (None, None), ("0:00", 0)],
)
def test_parse_clock(raw, seconds):
    assert pd_services.parse_clock(raw) == seconds


@pytest.mark.parametrize("raw", ["abc", "1:2:3:4", "-5", "1:75", "1:00:60", "1.5", "12:", ":30"])
def test_parse_clock_refuses_bad_input(raw):
    with pytest.raises(ValueError):
        pd_services.parse_clock(raw)


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, ""), (0, "0:00"), (65, "1:05"), (750, "12:30"), (3723, "1:02:03")]
)
def test_format_clock(seconds, text):
    assert pd_services.format_clock(seconds) == text


def test_format_and_parse_round_trip():
    for seconds in (0, 59, 61, 3599, 3600, 7322):
        assert pd_services.parse_clock(pd_services.format_clock(seconds)) == seconds


# --- the session page -------------------------------------------------------------------------


def test_the_session_page_shows_warnings_and_times_to_a_facilitator(client, personas, session):
    add(session, "Solve the task", 20)
    add(session, "Watch the clip", 30, goal="")
    add(session, "Co-plan", 25)
    client.force_login(personas.coach)
    r = client.get(reverse("pd:session", args=[session.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Activity 2, “Watch the clip”, has no learning goal." in page
    assert "15 minutes over, from activity 3 on." in page
    assert "4:00–4:20" in page and "4:50–5:15" in page
    assert "Over time" in page
    assert "build on nothing earlier" in page


def test_a_participant_sees_the_agenda_but_not_the_design_warnings(client, personas, session):
    add(session, "Solve the task", 20)
    add(session, "Watch the clip", 50, goal="")
    client.force_login(personas.teacher)
    r = client.get(reverse("pd:session", args=[session.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Watch the clip" in page and "4:20–5:10" in page
    assert "has no learning goal." not in page and "minutes over" not in page


def test_the_series_form_offers_practices_as_a_checkbox_list(client, personas):
    client.force_login(personas.leader)
    html = client.get(reverse("pd:series_add")).content.decode()
    assert 'name="practices" value=' in html and 'type="checkbox" class="form-check-input"  name="practices"' in html
    assert '<select name="practices"' not in html

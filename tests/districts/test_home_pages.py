"""Each role's home page answers "what needs me now", from the panels the apps register.

Leader: the district pulse (read through measures.publication.trend), cycles with their next step and
due date, the next PD session, the feedback-cycle window open now. Principal: how many teachers share,
coaching and PD activity. Coach: the caseload. Teacher: the open survey, each classroom's signal.
Partner: reports and reviews, in a partner's words.
"""

import datetime

import pytest
from django.urls import reverse

from coaching.models import CoachingCycle
from cycles import home as cycles_home
from cycles.models import CycleStep, StepKind
from districts.home import panels_for
from measures import aggregation, publication, runcharts
from measures import home as measures_home
from measures.aggregation import Series, SeriesPoint
from pd.models import Attendance, PDSeries, PDSession, PDSessionKind
from recommendations import home as recommendations_home
from recommendations.models import FeedbackReport, Finding, Recommendation
from tests.cycles.factories import CycleFactory
from tests.factories import current_school_year, make_instrument
from tests.measures.helpers import survey_in_week

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _series(values):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    points = tuple(
        SeriesPoint(week=monday - datetime.timedelta(weeks=len(values) - i), n_responses=20, n_answered=20,
                    n_productive=round(20 * v), suppressed=False)
        for i, v in enumerate(values)
    )  # fmt: skip
    return Series(points=points, analysis=runcharts.analyze([p.value for p in points]), min_n=10)


@pytest.fixture
def trend_calls(monkeypatch):
    """publication.trend replaced by a known series: the home page must show what it returns."""
    calls = []

    def fake_trend(user, *, scope, scope_id, lineage, **kwargs):
        calls.append((user, scope, scope_id))
        return _series([0.2, 0.25, 0.2, 0.3, 0.7, 0.75, 0.8, 0.85, 0.8, 0.9, 0.85, 0.9, 0.95])

    monkeypatch.setattr(publication, "trend", fake_trend)
    return calls


@pytest.fixture
def surveyed(personas):
    """Three teachers' classrooms with three weeks of surveys, summaries rebuilt."""
    instrument = make_instrument(name="Whole-class discussion")
    for room in (personas.classroom, personas.other_classroom, personas.classroom_b):
        for weeks_ago, productive in ((3, 4), (2, 8), (1, 9)):
            survey_in_week(room, instrument, weeks_ago, productive=productive, unproductive=12 - productive)
    aggregation.rebuild_all()
    return instrument


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


# --- district leader -------------------------------------------------------------------------


def test_the_leaders_pulse_shows_what_publication_trend_gives_this_leader(client, personas, surveyed, trend_calls):
    html = _home(client, personas.leader)
    assert "District pulse" in html
    assert "Whole-class discussion: <strong>95% productive</strong>" in html
    assert "Non-random change (Anhøj rules)" in html
    assert reverse("measures:district", args=[personas.district.pk]) in html
    assert (personas.leader, "district", personas.district.pk) in trend_calls


def test_the_leaders_pulse_with_real_data_names_the_latest_week(client, personas, surveyed):
    html = _home(client, personas.leader)
    assert "District pulse" in html and "75% productive" in html and "No non-random change yet" in html


def test_the_pulse_says_what_to_do_when_there_is_no_data(client, personas):
    html = _home(client, personas.leader)
    assert "No survey results yet. Teachers start a 3-minute student survey" in html


def test_the_leaders_home_lists_no_classrooms_without_a_reason(client, personas, surveyed):
    html = _home(client, personas.leader)
    assert "My classrooms" not in html and "Classrooms shared with you" not in html


def test_a_cycle_shows_its_next_step_and_due_date(client, personas):
    cycle = CycleFactory(classroom=personas.classroom, title="Talk moves PDSA")
    CycleStep.objects.create(cycle=cycle, kind=StepKind.PLAN, change_idea="Turn and talk")
    html = _home(client, personas.teacher)
    assert reverse("cycles:step", args=[cycle.pk, "do"]) in html and "Record Do" in html
    assert cycle.end.strftime("%b ") in html and "overdue" not in html


def test_a_first_step_is_due_at_the_start_and_marked_overdue_after_it(personas):
    cycle = CycleFactory(classroom=personas.classroom)
    assert cycles_home.next_step(cycle, set()) == ("plan", "Plan", cycle.start)
    assert cycles_home.next_step(cycle, {"plan", "do"}) == ("study", "Study", cycle.end)
    assert cycles_home.next_step(cycle, {"plan", "do", "study", "act"}) is None
    (panel,) = [p for p in panels_for(personas.teacher) if p.template == "cycles/_home_panel.html"]
    assert panel.context["cycles"][0].overdue  # its Plan was due two weeks ago


def test_the_next_pd_session_says_what_it_needs_from_its_facilitator(client, personas):
    series = PDSeries.objects.create(district=personas.district, title="Discussions", school_year=2026)
    session = PDSession.objects.create(series=series, title="Session 3", date=TODAY + datetime.timedelta(days=5))
    html = _home(client, personas.leader)
    assert "Next:" in html and "Session 3" in html and "Plan its agenda" in html
    assert reverse("pd:activity_add", args=[session.pk]) in html


def test_the_feedback_window_open_now_is_named(personas, monkeypatch):
    monkeypatch.setattr(recommendations_home.timezone, "localdate", lambda: datetime.date(2027, 2, 10))
    (panel,) = [p for p in panels_for(personas.leader) if p.template == "recommendations/_home_panel.html"]
    (row,) = panel.context["rows"]
    assert [p.name for p in row["now"]] == [
        "Document how they play out in schools and classrooms",
        "Analyze and write the feedback report",
    ]


def test_a_discussed_report_waits_for_its_uptake(client, personas):
    report = FeedbackReport.objects.create(
        district=personas.district, school_year=2025, title="Feedback 2025–26", meeting_on=TODAY
    )
    Recommendation.objects.create(finding=Finding.objects.create(report=report, text="x"), text="y", area="coaching")
    html = _home(client, personas.leader)
    assert "Feedback 2025–26" in html and "Discussed — uptake to record" in html


# --- principal -------------------------------------------------------------------------------


def test_the_principals_pulse_counts_the_teachers_who_share(client, personas, surveyed):
    personas.classroom.share_with_principal = True
    personas.classroom.save()
    html = _home(client, personas.principal)
    assert "School pulse" in html and "1 of 2 teachers share their classrooms with you." in html
    assert personas.school_b.name not in html


def test_the_principal_sees_coaching_and_pd_activity_as_counts(client, personas):
    CoachingCycle.objects.create(
        district=personas.district, school=personas.school, coach=personas.coach, teacher=personas.teacher,
        school_year=current_school_year(personas.district), focus_practice="Talk moves",
        goal="Students explain their thinking.",
    )  # fmt: skip
    series = PDSeries.objects.create(
        district=personas.district, title="Discussions", school_year=current_school_year(personas.district)
    )
    session = PDSession.objects.create(series=series, title="Session 1", date=TODAY - datetime.timedelta(days=3))
    Attendance.objects.create(session=session, user=personas.teacher)
    html = _home(client, personas.principal)
    assert "1 coaching cycle with 1 teacher" in html
    assert "1 of 2 teachers at Adams Middle took part in district PD this school year." in html
    assert "Talk moves" not in html  # no notes or goals reach an evaluator: counts only


# --- coach -----------------------------------------------------------------------------------


def test_the_coach_sees_the_caseload_first(client, personas, surveyed):
    personas.classroom.share_with_coach = True
    personas.classroom.save()
    html = _home(client, personas.coach)
    assert html.index("My caseload") < html.index("Classrooms shared with you")
    assert "No active cycle yet with" in html and reverse("coaching:cycle_start", args=[personas.teacher.pk]) in html
    # a coach's next move is with the teacher, not starting the class's survey
    assert reverse("measures:administration_start", args=[personas.classroom.pk]) not in html


# --- teacher ---------------------------------------------------------------------------------


def test_the_teacher_sees_the_open_survey_and_each_classrooms_signal(client, personas, surveyed, trend_calls):
    from measures import services

    survey = services.administration_open(classroom=personas.classroom, instrument=surveyed, opened_by=personas.teacher)
    html = _home(client, personas.teacher)
    assert "Open now:" in html and survey.code in html
    assert reverse("measures:administration_present", args=[survey.pk]) in html
    assert "My classrooms" in html and "95% productive" in html and "Non-random change" in html
    assert reverse("measures:administration_start", args=[personas.classroom.pk]) in html
    assert (personas.teacher, "classroom", personas.classroom.pk) in trend_calls


def test_a_teacher_without_classrooms_is_told_what_to_do(client, personas):
    personas.classroom.delete()
    html = _home(client, personas.teacher)
    assert "You have no classrooms here yet. Ask your district's math leader" in html


def test_a_teacher_never_sees_another_teachers_classroom(personas, surveyed):
    (panel,) = [p for p in panels_for(personas.teacher) if p.template == "measures/_home_panel.html"]
    assert [r.pk for r in panel.context["rooms"]] == [personas.classroom.pk]


# --- partner ---------------------------------------------------------------------------------


def test_the_partner_gets_reports_and_reviews_in_a_partners_words(client, personas):
    series = PDSeries.objects.create(district=personas.district, title="Math leaders", school_year=2026)
    past = PDSession.objects.create(
        series=series, title="Math-leader PD 1", kind=PDSessionKind.LEADER_PD, date=TODAY - datetime.timedelta(days=7)
    )
    html = _home(client, personas.partner)
    assert "Feedback reports and recommendations" in html and "No feedback reports yet" in html
    assert "Facilitation reviews to record" in html and reverse("pd:session_review", args=[past.pk]) in html
    assert "Try a change idea in a classroom" not in html and "My classrooms" not in html
    assert "District pulse" not in html  # the district does not share aggregates with partners


def test_a_partner_sees_the_district_pulse_when_the_district_shares(client, personas, surveyed):
    personas.district.share_with_partners = True
    personas.district.save()
    assert "District pulse" in _home(client, personas.partner)


def test_the_pulse_rows_are_built_for_each_led_district_only(personas, trend_calls):
    assert measures_home.district_pulse(user=personas.teacher) is None
    assert measures_home.school_pulse(user=personas.leader) is None

"""PD session feedback on the measures engine: opening the group survey, answering it at /s/CODE,
small-n suppression of counts and written answers, "last time" on the next session, who sees the
results, and no trend points for group surveys."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures import aggregation
from measures import services as measure_services
from measures.instruments import adult_instruments_for
from measures.models import Administration, AdministrationSummary, Audience, ItemKind, Response, TrendPoint
from pd import selectors as pd_selectors
from pd import services as pd_services
from pd.models import PDSeries, PDSession
from tests.factories import make_instrument

pytestmark = pytest.mark.django_db

PD_FEEDBACK = uuid.UUID("81e5d47a-21ef-44da-8d5c-e47fcc790977")
MIN_N = 5
TEXTS = ["zebra-striped pacing", "Apple timing was tight", "more time to solve", "Less talking by us"]


@pytest.fixture
def district(personas):
    district = personas.district
    district.min_group_size = MIN_N
    district.save(update_fields=["min_group_size"])
    return district


@pytest.fixture
def instrument(district):
    found = adult_instruments_for(district).get(lineage=PD_FEEDBACK)
    assert found.audience == Audience.ADULTS
    return found


@pytest.fixture
def series(personas, district):
    series = PDSeries.objects.create(
        district=district, title="Discourse in grade 7", school_year=2025, audience_roles=["teacher"]
    )
    series.facilitators.set([personas.coach])
    return series


@pytest.fixture
def session(series):
    return PDSession.objects.create(series=series, title="Launching tasks", date=datetime.date(2025, 10, 7))


@pytest.fixture
def next_session(series):
    return PDSession.objects.create(series=series, title="Analyzing student work", date=datetime.date(2025, 10, 21))


@pytest.fixture
def opened(session, instrument, personas):
    return pd_services.feedback_open(session=session, instrument=instrument, opened_by=personas.coach, minutes=15)


def _items(administration):
    items = list(administration.instrument.items.order_by("order").prefetch_related("options"))
    choice = [i for i in items if i.kind != ItemKind.TEXT]
    text = [i for i in items if i.kind == ItemKind.TEXT]
    assert len(choice) == 2 and len(text) == 1
    return choice, text[0]


def _option(item, label):
    return next(o for o in item.options.all() if o.label_en == label)


def answer_on_the_web(client, administration, *, agree: bool, text: str = ""):
    """A participant's phone: GET the survey for its token, POST the answers."""
    page = client.get(f"/s/{administration.code}")
    assert page.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    choice, text_item = _items(administration)
    data = {"token": token, "lang": "en", f"i{text_item.pk}": text}
    for item in choice:
        data[f"i{item.pk}"] = str(_option(item, "Agree" if agree else "Disagree").pk)
    reply = client.post(f"/s/{administration.code}", data)
    assert reply.status_code == 303, reply.content.decode()[:500]


def answer_by_service(administration, *, agree: bool, text: str = ""):
    choice, text_item = _items(administration)
    token = measure_services.read_submission_token(
        measure_services.make_submission_token(administration), administration
    )
    answers = measure_services.ParsedAnswers(
        {item.pk: (_option(item, "Agree" if agree else "Disagree").pk,) for item in choice},
        {text_item.pk: text} if text else {},
    )
    measure_services.response_submit(administration=administration, token=token, answers=answers)


def fill(client, administration, n, *, close=True):
    """n responses: the first three agree, the rest disagree; the first four write a comment.
    Then the facilitator closes the survey (results show only once it is closed)."""
    for index in range(n):
        text = TEXTS[index] if index < len(TEXTS) else ""
        if index % 2 == 0:
            answer_on_the_web(client, administration, agree=index < 3, text=text)
        else:
            answer_by_service(administration, agree=index < 3, text=text)
    aggregation.refresh_administrations([administration.pk])
    if close:
        measure_services.administration_close(administration=administration)


def _page(client, user, session):
    client.force_login(user)
    r = client.get(reverse("pd:session", args=[session.pk]))
    assert r.status_code == 200
    return r


# --- opening the survey ----------------------------------------------------------------------


def test_a_facilitator_opens_the_feedback_survey(client, personas, session, instrument):
    client.force_login(personas.coach)
    form = client.get(reverse("pd:feedback_open", args=[session.pk]))
    assert form.status_code == 200 and "PD session feedback" in form.content.decode()
    r = client.post(reverse("pd:feedback_open", args=[session.pk]), {"instrument": instrument.pk, "minutes": 15})
    assert r.status_code == 302 and r["Location"] == reverse("pd:feedback_present", args=[session.pk])
    session.refresh_from_db()
    survey = session.feedback
    assert survey is not None
    assert survey.classroom is None and survey.school is None
    assert survey.district == personas.district
    assert survey.instrument == instrument and survey.instrument.audience == Audience.ADULTS
    assert survey.opened_by == personas.coach and survey.lesson_note == "Launching tasks"
    assert survey.is_open()
    present = client.get(r["Location"])
    assert present.status_code == 200 and survey.code in present.content.decode()


def test_opening_twice_is_refused(client, personas, session, instrument):
    client.force_login(personas.coach)
    url = reverse("pd:feedback_open", args=[session.pk])
    client.post(url, {"instrument": instrument.pk, "minutes": 15})
    first = PDSession.objects.get(pk=session.pk).feedback_id
    r = client.post(url, {"instrument": instrument.pk, "minutes": 15})
    assert r.status_code == 302 and r["Location"] == reverse("pd:feedback_present", args=[session.pk])
    assert Administration.objects.count() == 1
    assert PDSession.objects.get(pk=session.pk).feedback_id == first
    with pytest.raises(ValidationError):
        pd_services.feedback_open(
            session=PDSession.objects.get(pk=session.pk), instrument=instrument, opened_by=personas.coach
        )
    assert Administration.objects.count() == 1


def test_a_students_instrument_is_refused_for_a_group_survey(personas, district):
    students = make_instrument(name="Student discussion")
    assert students.audience == Audience.STUDENTS
    with pytest.raises(ValueError):
        measure_services.group_survey_open(
            district_id=district.pk, instrument=students, opened_by=personas.coach, minutes=15
        )
    assert not Administration.objects.exists()


def test_the_open_form_offers_only_adult_instruments(client, personas, session, district):
    students = make_instrument(name="Student discussion", district=district)
    client.force_login(personas.coach)
    r = client.post(reverse("pd:feedback_open", args=[session.pk]), {"instrument": students.pk, "minutes": 15})
    assert r.status_code == 200 and "instrument" in r.context["form"].errors
    assert not Administration.objects.exists()


def test_closing_the_feedback_survey(client, personas, opened):
    client.force_login(personas.coach)
    r = client.post(reverse("pd:feedback_close", args=[opened.pk]))
    assert r.status_code == 302
    opened.feedback.refresh_from_db()
    assert not opened.feedback.is_open()
    assert client.get(f"/s/{opened.feedback.code}").status_code == 410


# --- suppression and results -------------------------------------------------------------------


def test_fewer_than_the_minimum_shows_the_suppression_message_and_no_answers(client, personas, opened):
    fill(client, opened.feedback, MIN_N - 1)
    assert Response.objects.filter(administration=opened.feedback).count() == MIN_N - 1
    r = _page(client, personas.coach, opened)
    page = r.content.decode()
    assert "4 responses: results show once at least 5 participants answer" in page
    for text in TEXTS:
        assert text not in page
    assert "anonymous responses" not in page
    fb = r.context["feedback"]
    assert fb.suppressed and fb.n == 4 and fb.texts == () and fb.results.items == ()


def test_while_the_survey_is_open_only_the_count_shows(client, personas, opened):
    fill(client, opened.feedback, MIN_N + 1, close=False)
    r = _page(client, personas.coach, opened)
    page = r.content.decode()
    assert "6 responses so far." in page
    assert "anonymous responses" not in page and "Agree:" not in page
    assert not any(text in page for text in TEXTS)
    measure_services.administration_close(administration=opened.feedback)
    page = _page(client, personas.coach, opened).content.decode()
    assert "6 anonymous responses." in page and all(text in page for text in TEXTS)


def test_at_the_minimum_the_counts_and_sorted_written_answers_show(client, personas, opened):
    fill(client, opened.feedback, MIN_N)
    r = _page(client, personas.coach, opened)
    page = r.content.decode()
    assert "5 anonymous responses." in page
    assert "results show once" not in page
    assert "Agree: 3" in page and "Disagree: 2" in page
    assert page.count("3 of 5 agree.") == 2
    assert "What would you change about this session?" in page
    positions = [page.index(text) for text in sorted(TEXTS, key=str.casefold)]
    assert positions == sorted(positions)
    fb = r.context["feedback"]
    assert not fb.suppressed
    assert [t.answers for t in fb.texts] == [tuple(sorted(TEXTS, key=str.casefold))]
    assert [(i.n, i.n_productive) for i in fb.results.items] == [(5, 3), (5, 3)]


def test_the_next_session_shows_what_participants_said_last_time(client, personas, opened, next_session):
    fill(client, opened.feedback, MIN_N)
    assert pd_selectors.previous_session_with_feedback(next_session) == opened
    r = _page(client, personas.coach, next_session)
    page = r.content.decode()
    assert "What participants said last time" in page
    assert r.context["last_time"].session == opened
    for text in TEXTS:
        assert text in page
    assert r.context["feedback"] is None


def test_last_time_is_suppressed_too_below_the_minimum(client, personas, opened, next_session):
    fill(client, opened.feedback, 2)
    page = _page(client, personas.coach, next_session).content.decode()
    assert "What participants said last time" in page
    assert "2 responses: results show once at least 5 participants answer" in page
    assert not any(text in page for text in TEXTS)


def test_an_earlier_session_does_not_see_later_feedback(client, personas, series, instrument, opened):
    earlier = PDSession.objects.create(series=series, title="Kick-off", date=datetime.date(2025, 9, 20))
    assert pd_selectors.previous_session_with_feedback(earlier) is None
    assert pd_selectors.previous_session_with_feedback(opened) is None
    assert "What participants said last time" not in _page(client, personas.coach, earlier).content.decode()


@pytest.mark.parametrize("who", ["teacher", "partner"])
def test_feedback_results_are_not_shown_to_participants_or_partners(client, personas, opened, next_session, who):
    fill(client, opened.feedback, MIN_N)
    user = getattr(personas, who)
    for session in (opened, next_session):
        r = _page(client, user, session)
        page = r.content.decode()
        assert "Participants&#x27; feedback" not in page and "Participants' feedback" not in page
        assert "What participants said last time" not in page
        assert "anonymous responses" not in page
        assert not any(text in page for text in TEXTS)
        assert r.context["may_feedback"] is False


@pytest.mark.parametrize("who", ["teacher", "partner"])
def test_participants_and_partners_cannot_open_the_feedback_pages(client, personas, opened, who):
    client.force_login(getattr(personas, who))
    for name in ("pd:feedback_present", "pd:feedback_count", "pd:feedback_open"):
        assert client.get(reverse(name, args=[opened.pk])).status_code == 403


def test_a_district_leader_sees_the_feedback(client, personas, opened):
    fill(client, opened.feedback, MIN_N)
    page = _page(client, personas.leader, opened).content.decode()
    assert "5 anonymous responses." in page and "Apple timing was tight" in page


def test_the_count_endpoint_counts_responses(client, personas, opened):
    fill(client, opened.feedback, 3, close=False)
    client.force_login(personas.coach)
    data = client.get(reverse("pd:feedback_count", args=[opened.pk])).json()
    assert data == {"count": 3, "open": True}


# --- the measures engine --------------------------------------------------------------------


def test_a_group_survey_makes_a_summary_but_no_trend_points(client, personas, opened):
    fill(client, opened.feedback, MIN_N)
    assert AdministrationSummary.objects.get(administration=opened.feedback).n_responses == MIN_N
    assert not TrendPoint.objects.exists()
    aggregation.refresh_administrations([opened.feedback_id])  # again: still none, no crash
    assert not TrendPoint.objects.exists()
    assert AdministrationSummary.objects.get(administration=opened.feedback).n_responses == MIN_N


def test_a_group_survey_refreshed_with_a_classroom_survey_adds_no_trend_points(client, personas, opened):
    students = make_instrument(name="Student discussion")
    classroom = measure_services.administration_open(
        classroom=personas.classroom, instrument=students, opened_by=personas.teacher
    )
    items = list(students.items.order_by("order").prefetch_related("options"))
    for _ in range(personas.district.min_group_size):  # a survey below the minimum would count nowhere
        token = measure_services.read_submission_token(measure_services.make_submission_token(classroom), classroom)
        answers = measure_services.ParsedAnswers({item.pk: (item.options.all()[0].pk,) for item in items}, {})
        measure_services.response_submit(administration=classroom, token=token, answers=answers)
    fill(client, opened.feedback, MIN_N)
    aggregation.refresh_administrations([classroom.pk, opened.feedback_id])
    assert TrendPoint.objects.exists()
    assert set(TrendPoint.objects.values_list("lineage", flat=True)) == {students.lineage}
    assert not TrendPoint.objects.filter(lineage=PD_FEEDBACK).exists()
    aggregation.rebuild_all()
    assert not TrendPoint.objects.filter(lineage=PD_FEEDBACK).exists()
    assert AdministrationSummary.objects.get(administration=opened.feedback).n_responses == MIN_N


def test_text_answers_follow_the_minimum(client, personas, opened):
    fill(client, opened.feedback, MIN_N - 1)
    assert aggregation.text_answers(opened.feedback) == ()
    answer_by_service(opened.feedback, agree=True)
    aggregation.refresh_administrations([opened.feedback_id])
    (found,) = aggregation.text_answers(opened.feedback)
    assert found.prompt == "What would you change about this session?"
    assert found.answers == tuple(sorted(TEXTS, key=str.casefold))


def test_an_answer_on_the_web_is_counted_by_the_refresh_task(client, opened, django_capture_on_commit_callbacks):
    """The real path: the submission's on-commit hook queues the refresh task (eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        answer_on_the_web(client, opened.feedback, agree=True, text="Short and useful")
    assert AdministrationSummary.objects.get(administration=opened.feedback).n_responses == 1
    assert not TrendPoint.objects.exists()


@pytest.mark.postgres
def test_refreshing_only_group_surveys_works_on_postgresql(personas, opened):
    """A refresh whose administrations are all group surveys has no classroom or school to narrow the
    trend rebuild to; the SQL must still be valid on PostgreSQL (SQLite accepts `IN ()`, PostgreSQL does not)."""
    answer_by_service(opened.feedback, agree=True, text="Clear goals")
    aggregation.refresh_administrations([opened.feedback_id])
    assert AdministrationSummary.objects.get(administration=opened.feedback).n_responses == 1
    assert not TrendPoint.objects.exists()


def test_participants_get_a_link_to_the_open_survey_and_not_once_it_closes(client, personas, opened):
    link = reverse("survey:survey", args=[opened.feedback.code])
    assert link in _page(client, personas.teacher, opened).content.decode()
    pd_services.feedback_close(session=opened)
    assert link not in _page(client, personas.teacher, opened).content.decode()

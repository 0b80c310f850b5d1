"""Staff pages: who sees which results, withheld results, charts, exports, present page."""

import pytest
from django.urls import reverse

from measures import aggregation, services
from measures.models import Administration

from .helpers import survey_in_week
from .sharing import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(personas, instrument):
    """Ten weeks of surveys in three classrooms, summarised."""
    surveys = []
    for week in range(10):
        surveys.append(
            survey_in_week(personas.classroom, instrument, week, productive=12 - week, unproductive=3 + week)
        )
        surveys.append(survey_in_week(personas.other_classroom, instrument, week, productive=5, unproductive=7))
        surveys.append(survey_in_week(personas.classroom_b, instrument, week, productive=6, unproductive=6))
    aggregation.rebuild_all()
    return surveys


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


ROOM = "measures:classroom"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 200),
        ("coach", 200),
        ("other_teacher", 403),
        ("principal", 403),
        ("principal_b", 403),
        ("leader", 403),
        ("partner", 403),
        ("outsider_leader", 404),
        ("outsider_teacher", 404),
    ],
)
def test_a_classrooms_results_are_for_its_teacher_and_coach(client, personas, history, who, status):
    url = reverse(ROOM, args=[personas.classroom.pk])
    assert _get(client, getattr(personas, who), url).status_code == status


@pytest.mark.parametrize(("who", "status"), [("principal", 200), ("leader", 200), ("principal_b", 403)])
def test_shared_results_open_to_the_schools_leaders(client, personas, history, who, status):
    share(personas.classroom, principal=True, leaders=True)
    assert _get(client, getattr(personas, who), reverse(ROOM, args=[personas.classroom.pk])).status_code == status


def test_only_a_teacher_has_a_sharing_page(client, personas):
    url = reverse("measures:sharing")
    for who in ("coach", "principal", "leader", "partner"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 403
        assert client.post(url, {f"leaders_{personas.classroom.pk}": "on"}).status_code == 403
    personas.classroom.refresh_from_db()
    assert not personas.classroom.share_with_leaders


def test_the_teacher_sets_each_audience_per_classroom_and_sees_what_it_sees(client, personas):
    url = reverse("measures:sharing")
    client.force_login(personas.teacher)
    html = client.get(url).content.decode()
    assert "Coach" in html and "Principal" in html  # the people in each audience, by name
    room = personas.classroom
    client.post(url, {f"principal_{room.pk}": "on"})  # coach unticked, principal ticked, leaders not
    room.refresh_from_db()
    assert (room.share_with_coach, room.share_with_principal, room.share_with_leaders) == (False, True, False)
    assert _get(client, personas.coach, reverse(ROOM, args=[room.pk])).status_code == 403
    assert _get(client, personas.principal, reverse(ROOM, args=[room.pk])).status_code == 200
    assert _get(client, personas.leader, reverse(ROOM, args=[room.pk])).status_code == 403
    html = _get(client, personas.teacher, url).content.decode()
    assert "only school and district figures" in html and "own surveys, trend and weekly export" in html


def test_the_classroom_page_shows_run_charts_with_a_signal(client, personas, history):
    page = _get(client, personas.teacher, reverse(ROOM, args=[personas.classroom.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-figure="chart-') == 4  # index + 3 items (small multiples)
    assert "Non-random change (Anhøj rules)" in html  # 10 falling weeks: too few crossings / long run
    assert 'type="application/json"' in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("principal", 200),
        ("coach", 200),
        ("leader", 200),
        ("principal_b", 403),
        ("teacher", 403),
        ("outsider_leader", 404),
    ],
)
def test_school_aggregates_are_for_leaders_and_coaches_of_the_school(client, personas, history, who, status):
    assert (
        _get(client, getattr(personas, who), reverse("measures:school", args=[personas.school.pk])).status_code
        == status
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 200), ("principal", 200), ("teacher", 403), ("partner", 403), ("outsider_leader", 404)],
)
def test_district_aggregates_access(client, personas, history, who, status):
    assert (
        _get(client, getattr(personas, who), reverse("measures:district", args=[personas.district.pk])).status_code
        == status
    )


def test_partners_see_district_aggregates_when_the_district_shares(client, personas, history):
    personas.district.share_with_partners = True
    personas.district.save()
    assert _get(client, personas.partner, reverse("measures:district", args=[personas.district.pk])).status_code == 200


def test_the_school_page_names_no_unshared_classroom(client, personas, history):
    html = _get(client, personas.principal, reverse("measures:school", args=[personas.school.pk])).content.decode()
    assert "Math 7A" not in html and "Math 7B" not in html
    assert "Not shared" not in html  # no row at all, named or not
    assert "teachers share their classrooms with you" in html


def test_results_are_withheld_below_the_minimum_group_size(client, personas, instrument):
    survey = survey_in_week(personas.classroom, instrument, 0, productive=5, unproductive=4)
    aggregation.refresh_administrations([survey.pk])
    html = _get(client, personas.teacher, reverse("measures:administration", args=[survey.pk])).content.decode()
    assert "Results are withheld until at least 10" in html
    assert "Answer A" not in html


def test_results_show_once_the_minimum_is_reached(client, personas, instrument):
    survey = survey_in_week(personas.classroom, instrument, 0, productive=7, unproductive=3)
    aggregation.refresh_administrations([survey.pk])
    html = _get(client, personas.teacher, reverse("measures:administration", args=[survey.pk])).content.decode()
    assert "withheld" not in html
    assert "✓ Answer A" in html and "70%" in html


def test_a_district_may_lower_the_minimum_to_five(client, personas, instrument):
    personas.district.min_group_size = 5
    personas.district.save()
    survey = survey_in_week(personas.classroom, instrument, 0, productive=3, unproductive=2)
    aggregation.refresh_administrations([survey.pk])
    html = _get(client, personas.teacher, reverse("measures:administration", args=[survey.pk])).content.decode()
    assert "withheld" not in html


def test_a_teacher_starts_a_survey_and_presents_it(client, personas, instrument):
    client.force_login(personas.teacher)
    url = reverse("measures:administration_start", args=[personas.classroom.pk])
    reply = client.post(url, {"instrument": instrument.pk, "minutes": 20})
    survey = Administration.objects.get()
    assert reply["Location"] == reverse("measures:administration_present", args=[survey.pk])
    page = client.get(reply["Location"]).content.decode()
    assert survey.code in page and "<svg" in page and f"/s/{survey.code}" in page
    assert f'<h1 class="h3 mb-1">{instrument.name} <span class="text-muted fw-normal">· {personas.classroom}' in page
    assert client.get(reverse("measures:administration_count", args=[survey.pk])).json() == {
        "count": 0,
        "open": True,
        "warning": "",
    }


def test_a_bad_start_form_redisplays_with_a_message(client, personas, instrument):
    client.force_login(personas.teacher)
    url = reverse("measures:administration_start", args=[personas.classroom.pk])
    reply = client.post(url, {"instrument": instrument.pk, "minutes": 500})
    assert reply.status_code == 200
    assert "Ensure this value is less than or equal to 120" in reply.content.decode()
    assert not Administration.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("principal", 403), ("other_teacher", 403), ("outsider_teacher", 404)])
def test_others_cannot_start_or_close_a_classrooms_survey(client, personas, instrument, who, status):
    survey = services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=None)
    client.force_login(getattr(personas, who))
    assert client.get(reverse("measures:administration_start", args=[personas.classroom.pk])).status_code == status
    assert client.post(reverse("measures:administration_close", args=[survey.pk])).status_code == status
    assert client.get(reverse("measures:administration_count", args=[survey.pk])).status_code == status


def test_the_teacher_closes_a_survey(client, personas, instrument):
    survey = services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=None)
    client.force_login(personas.teacher)
    client.post(reverse("measures:administration_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.closed_at is not None


def test_the_weekly_export_leaves_out_surveys_below_the_minimum(client, personas, instrument):
    survey_in_week(personas.classroom, instrument, 1, productive=8, unproductive=4)
    small = survey_in_week(personas.classroom, instrument, 0, productive=2, unproductive=1)
    aggregation.rebuild_all()
    body = _get(
        client, personas.teacher, reverse("measures:classroom_export", args=[personas.classroom.pk])
    ).content.decode()
    assert ",12,36,24," in body
    assert str(small.week) not in body  # a survey of 3 counts in no week


def test_the_raw_export_is_the_teachers_alone_and_has_no_tokens(client, personas, instrument):
    survey_in_week(personas.classroom, instrument, 1, productive=8, unproductive=4)
    survey_in_week(personas.classroom, instrument, 0, productive=2, unproductive=1)  # below the minimum
    url = reverse("measures:classroom_export", args=[personas.classroom.pk]) + "?raw=1"
    body = _get(client, personas.teacher, url).content.decode()
    lines = body.strip().split("\r\n")
    assert len(lines) == 1 + 12 and "token" not in body.lower()  # one row per response of the survey of 12
    assert lines[0].lstrip("\ufeff").startswith("date,survey,item 1")  # no response number column
    assert ":" not in lines[1].split(",")[0]  # the day only, no time
    assert _get(client, personas.coach, url).status_code == 403


def test_the_district_dashboard_runs_a_fixed_number_of_queries(
    client, personas, instrument, history, django_assert_max_num_queries
):
    client.force_login(personas.leader)
    url = reverse("measures:district", args=[personas.district.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_a_teacher_can_withdraw_the_coachs_view_and_let_the_principal_see(client, personas, history):
    url = reverse(ROOM, args=[personas.classroom.pk])
    share(personas.classroom, coach=False, principal=True)
    assert _get(client, personas.coach, url).status_code == 403
    assert _get(client, personas.principal, url).status_code == 200
    assert _get(client, personas.principal_b, url).status_code == 403
    assert _get(client, personas.leader, url).status_code == 403  # leaders only when shared with leaders

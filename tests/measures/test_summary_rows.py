"""The full rebuild and the refresh write exactly the rows worked out here, in Python, from the raw answers.

An oracle independent of the SQL: on a varied world (two districts, several weeks, schools and
classrooms, a multiple-choice item, a response with no choice answer, a survey with no response, a
survey below the minimum group size, an item answered by fewer) every item summary, survey summary
and trend point must equal the counts below, after a full rebuild, after a refresh of everything,
and after responses arrive in some surveys and only those are refreshed. Runs on SQLite and on
PostgreSQL (whose rebuild counts the answers in parallel and builds the indexes after).
"""

import random
from collections import defaultdict

import pytest

from measures import aggregation, services
from measures.models import (
    Administration,
    AdministrationSummary,
    Answer,
    ItemKind,
    ItemSummary,
    Response,
    Scope,
    TrendPoint,
)
from tests.factories import make_instrument

from .helpers import bulk_survey, submit, survey_in_week
from .test_trend_rollup_paths import _rows

pytestmark = pytest.mark.django_db


def _expected():
    """The same three tables, counted one answer at a time."""
    responses = defaultdict(int)
    for administration_id in Response.objects.values_list("administration_id", flat=True):
        responses[administration_id] += 1
    surveys = {a.pk: a for a in Administration.objects.select_related("district", "instrument")}
    rows, respondents = defaultdict(int), defaultdict(set)  # (administration, item, productive)
    answers = Answer.objects.filter(option__isnull=False).values_list(
        "administration_id", "item_id", "item__kind", "item__order", "response_id", "option__productive"
    )
    orders = {}
    for administration_id, item_id, kind, order, response_id, productive in answers:
        orders[item_id] = order
        if kind == ItemKind.MULTIPLE:  # respondents, not selections
            respondents[administration_id, item_id, False].add(response_id)
            if productive:
                respondents[administration_id, item_id, True].add(response_id)
        else:
            rows[administration_id, item_id, False] += 1
            rows[administration_id, item_id, True] += productive
    for key, ids in respondents.items():
        rows[key] = len(ids)
    items = {(a, i): (n, rows[a, i, True]) for (a, i, productive), n in rows.items() if not productive}

    points = defaultdict(lambda: [0, 0, 0, 0])  # n_responses, n_answered, n_productive, n_administrations
    for administration_id, survey in surveys.items():
        min_n, n_responses = survey.district.min_group_size, responses[administration_id]
        if survey.classroom_id is None or n_responses < min_n:
            continue
        kept = [(orders[i], n, p) for (a, i), (n, p) in items.items() if a == administration_id and n >= min_n]
        if not kept:
            continue
        scopes = (
            (Scope.CLASSROOM, survey.classroom_id, False),
            (Scope.SCHOOL, survey.school_id, True),
            (Scope.DISTRICT, survey.district_id, True),
        )
        for scope, scope_id, per_item in scopes:
            head = (survey.district_id, scope, scope_id, survey.instrument.lineage)
            index = points[(*head, aggregation.INDEX, survey.week)]
            for i, n in enumerate((n_responses, sum(k[1] for k in kept), sum(k[2] for k in kept), 1)):
                index[i] += n
            for order, n, p in kept if per_item else ():
                point = points[(*head, order, survey.week)]
                for i, value in enumerate((n_responses, n, p, 1)):
                    point[i] += value
    return (
        sorted((a, responses[a]) for a in surveys),
        sorted((a, i, n, p) for (a, i), (n, p) in items.items()),
        sorted((*key, *values) for key, values in points.items()),
    )


@pytest.fixture
def world(personas, instrument):
    rng = random.Random(14)
    rooms = [personas.classroom, personas.other_classroom, personas.classroom_b, personas.outsider_classroom]
    surveys = [
        bulk_survey(room, instrument, weeks_ago, 5 + rng.randrange(14), rng) for weeks_ago in range(3) for room in rooms
    ]
    surveys.append(bulk_survey(personas.classroom, instrument, 1, 12, rng))  # a second survey in one week
    surveys.append(survey_in_week(personas.classroom_b, instrument, 2, productive=1, unproductive=2))  # too few
    surveys.append(survey_in_week(personas.other_classroom, instrument, 0))  # no response at all
    # An item fewer answered: most answers to the first item of one survey are dropped.
    first = instrument.items.order_by("order").first()
    kept = list(Answer.objects.filter(administration=surveys[0], item=first).values_list("pk", flat=True)[:3])
    Answer.objects.filter(administration=surveys[0], item=first).exclude(pk__in=kept).delete()
    # A response that chose nothing (only a written answer, or nothing at all) counts among the responses.
    Response.objects.create(administration=surveys[1], token="nothing-chosen", fingerprint="x")
    # A multiple-choice item: some pick two options, both productive or not, some none of it.
    multi = make_instrument(items=2, multiple_last=True)
    many = multi.items.get(order=2)
    many.options.filter(order=2).update(productive=True)  # A and B productive, C not
    survey = services.administration_open(classroom=personas.classroom_b, instrument=multi, opened_by=None)
    one = multi.items.get(order=1)
    a, b, c = many.options.order_by("order")
    picks = [(a.pk, b.pk), (a.pk, c.pk), (c.pk,), (b.pk,), ()]
    for n in range(personas.district.min_group_size + 3):
        token = services.read_submission_token(services.make_submission_token(survey), survey)
        chosen = {one.pk: (one.options.all()[n % 3].pk,)}
        if picks[n % len(picks)]:
            chosen[many.pk] = picks[n % len(picks)]
        services.response_submit(administration=survey, token=token, answers=services.ParsedAnswers(chosen, {}))
    surveys.append(survey)
    return surveys


def test_a_full_rebuild_writes_the_counted_rows(world):
    aggregation.rebuild_all()
    expected = _expected()
    assert _rows() == expected
    # The world has what it claims: a survey with no response, items of both kinds, two districts.
    assert (world[-2].pk, 0) in expected[0]
    assert {row[0] for row in expected[2]} == {world[0].district_id, world[3].district_id} and len(expected[2]) > 40


def test_a_refresh_writes_the_counted_rows(world, instrument):
    for model in (ItemSummary, AdministrationSummary, TrendPoint):
        model.objects.all().delete()
    aggregation.refresh_administrations([s.pk for s in world])
    assert _rows() == _expected()
    # New responses in a few surveys of one week (one of them the survey that had none), refreshed alone.
    items = list(instrument.items.order_by("order").prefetch_related("options"))
    for survey in (world[-2], world[1]):
        Administration.objects.filter(pk=survey.pk).update(closed_at=None)
        submit(Administration.objects.get(pk=survey.pk), items, productive=True, count=11)
    aggregation.refresh_administrations([world[-2].pk, world[1].pk])
    assert _rows() == _expected()
    aggregation.refresh_administrations([world[5].pk])  # a refresh with nothing new changes nothing
    assert _rows() == _expected()


@pytest.mark.postgres
def test_a_workers_repeated_one_survey_refresh_is_prepared_not_planned_each_time(personas, instrument):
    """The claim of `aggregation._cursor`: a refresh's statements have one text for every one-survey
    refresh, so after psycopg's 5 runs on a connection they are prepared statements."""
    from django.db import connection

    surveys = [survey_in_week(personas.classroom, instrument, w, productive=6, unproductive=6) for w in range(7)]
    for survey in surveys:
        aggregation.refresh_administrations([survey.pk])
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cur.fetchall()]
    assert any(s.startswith("WITH base AS MATERIALIZED") for s in prepared), prepared
    assert any("FOR NO KEY UPDATE" in s for s in prepared), prepared

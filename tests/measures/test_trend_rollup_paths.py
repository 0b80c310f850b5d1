"""The two ways trend points are rolled up write the same rows.

PostgreSQL rolls classroom, school and district up in one GROUPING SETS statement and, for a full
rebuild, builds the summary tables' indexes after filling them; SQLite (and any other database)
runs one statement per scope with the indexes in place. Both paths run here on one varied world:
several weeks, schools and classrooms, a survey below the minimum group size, an item fewer answered,
a multiple-choice item, a second instrument version, a group survey without a classroom.
"""

import random

import pytest
from django.db import connection

from measures import aggregation, services
from measures.models import AdministrationSummary, Answer, ItemSummary, TrendPoint
from tests.factories import make_instrument

from .helpers import bulk_survey, survey_in_week

pytestmark = pytest.mark.django_db


def _rows():
    return (
        sorted(AdministrationSummary.objects.values_list("administration_id", "n_responses")),
        sorted(ItemSummary.objects.values_list("administration_id", "item_id", "n_answered", "n_productive")),
        sorted(
            TrendPoint.objects.values_list(
                "district_id",
                "scope",
                "scope_id",
                "lineage",
                "item_order",
                "week",
                "n_responses",
                "n_answered",
                "n_productive",
                "n_administrations",
            )  # fmt: skip
        ),
    )


@pytest.fixture
def world(personas, instrument):
    rng = random.Random(7)
    rooms = [personas.classroom, personas.other_classroom, personas.classroom_b]
    surveys = []
    for weeks_ago in range(4):
        for room in rooms:
            surveys.append(bulk_survey(room, instrument, weeks_ago, 6 + rng.randrange(12), rng))
    # Two surveys of one classroom in one week, and one below the district's minimum.
    surveys.append(bulk_survey(personas.classroom, instrument, 1, 9, rng))
    surveys.append(survey_in_week(personas.classroom_b, instrument, 2, productive=1, unproductive=1))
    # An item fewer answered: drop most answers to the first item of one survey.
    first_item = instrument.items.order_by("order").first()
    kept = Answer.objects.filter(administration=surveys[0], item=first_item).values_list("pk", flat=True)[:2]
    Answer.objects.filter(administration=surveys[0], item=first_item).exclude(pk__in=list(kept)).delete()
    # A multiple-choice instrument.
    multi = make_instrument(items=2, multiple_last=True)
    chosen_survey = services.administration_open(classroom=personas.classroom, instrument=multi, opened_by=None)
    single, many = multi.items.get(order=1), multi.items.get(order=2)
    options = list(many.options.all())
    for n in range(personas.district.min_group_size + 2):
        token = services.read_submission_token(services.make_submission_token(chosen_survey), chosen_survey)
        picks = {single.pk: (single.options.all()[n % 2].pk,), many.pk: (options[0].pk, options[1 + n % 2].pk)}
        services.response_submit(administration=chosen_survey, token=token, answers=services.ParsedAnswers(picks, {}))
    surveys.append(chosen_survey)
    return surveys


def _both_ways(monkeypatch, job):
    """Run `job` on the fast path, then on the portable one; return both sets of rows."""
    job()
    fast = _rows()
    with monkeypatch.context() as m:
        m.setattr(aggregation, "_grouping_sets", lambda: False)
        m.setattr(aggregation, "_indexes_built_after", _no_index_work)
        job()
    return fast, _rows()


def _no_index_work(models):
    from contextlib import nullcontext

    return nullcontext()


@pytest.mark.postgres
def test_a_full_rebuild_gives_the_same_rows_on_both_paths(world, monkeypatch):
    fast, portable = _both_ways(monkeypatch, aggregation.rebuild_all)
    assert fast == portable
    assert len(fast[2]) > 50  # classroom, school and district points, per item and for the index
    assert {row[1] for row in fast[2]} == {"classroom", "school", "district"}


@pytest.mark.postgres
def test_a_refresh_gives_the_same_rows_on_both_paths(world, monkeypatch):
    aggregation.rebuild_all()
    for chosen in (world[:1], world[3:7], world[-3:], world):
        ids = [s.pk for s in chosen]
        fast, portable = _both_ways(monkeypatch, lambda ids=ids: aggregation.refresh_administrations(ids))
        assert fast == portable
        aggregation.rebuild_all()
        assert _rows() == fast


@pytest.mark.postgres
def test_a_full_rebuild_puts_back_every_index_and_unique_constraint(world):
    def names(table):
        with connection.cursor() as cur:
            return set(connection.introspection.get_constraints(cur, table))

    before = {m: names(m._meta.db_table) for m in (ItemSummary, TrendPoint)}
    aggregation.rebuild_all()
    assert {m: names(m._meta.db_table) for m in (ItemSummary, TrendPoint)} == before
    assert "trend_point_unique" in before[TrendPoint] and "trend_district_plan" in before[TrendPoint]
    assert "item_summary_unique" in before[ItemSummary]

"""The two ways trend points are rolled up write the same rows.

PostgreSQL rolls classroom, school and district up in one statement (district points summed from
the school points) and, for a full rebuild, builds the summary tables' indexes after filling them;
SQLite (and any other database) runs one statement per scope with the indexes in place. Both
paths run here on one varied world: several weeks, schools and classrooms, a survey below the
minimum group size, an item fewer answered, a multiple-choice item, a second instrument version,
a group survey without a classroom.
"""

import random
from collections import defaultdict

import pytest
from django.db import connection

from measures import aggregation, publication, services
from measures.models import AdministrationSummary, Answer, Instrument, ItemSummary, Scope, TrendPoint
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
        m.setattr(aggregation, "_rollup_in_one_statement", lambda: False)
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
    assert len(fast[2]) > 50  # school and district points per item and for the index, classroom for the index
    assert {row[1] for row in fast[2]} == {"classroom", "school", "district"}
    assert {row[4] for row in fast[2] if row[1] == "classroom"} == {aggregation.INDEX}


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

    def definitions(table):
        with connection.cursor() as cur:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
            return dict(cur.fetchall())

    models = (ItemSummary, AdministrationSummary, TrendPoint)
    before = {m: names(m._meta.db_table) for m in models}
    indexes = {m: definitions(m._meta.db_table) for m in models}
    aggregation.rebuild_all()
    assert {m: names(m._meta.db_table) for m in models} == before
    assert {m: definitions(m._meta.db_table) for m in models} == indexes
    assert "trend_point_unique" in before[TrendPoint] and "trend_district_plan" in before[TrendPoint]
    assert "item_summary_unique" in before[ItemSummary]
    # Primary keys and the one-to-one's unique index are dropped and built again too.
    with connection.cursor() as cur:
        for m in models:
            constraints = connection.introspection.get_constraints(cur, m._meta.db_table).values()
            assert [c["columns"] for c in constraints if c["primary_key"]] == [["id"]]
        admin = connection.introspection.get_constraints(cur, AdministrationSummary._meta.db_table).values()
        assert [c["columns"] for c in admin if c["unique"] and not c["primary_key"]] == [["administration_id"]]


def _classroom_item_sums() -> dict:
    """What the roll-ups stored per classroom, lineage, item and week before classroom item points
    were read from the item summaries: the publishable units, summed (worked out here in Python)."""
    sums: dict = defaultdict(lambda: [0, 0, 0])
    summaries = ItemSummary.objects.filter(administration__classroom__isnull=False).select_related(
        "administration__district", "administration__instrument", "administration__summary", "item"
    )
    for row in summaries:
        survey, min_n = row.administration, row.administration.district.min_group_size
        if survey.summary.n_responses < min_n or row.n_answered < min_n:
            continue
        key = (survey.classroom_id, survey.instrument.lineage, row.item.order, survey.week)
        for i, n in enumerate((survey.summary.n_responses, row.n_answered, row.n_productive)):
            sums[key][i] += n
    return {key: tuple(v) for key, v in sums.items()}


@pytest.mark.parametrize("how", ["rebuild", "refresh"])
def test_classroom_item_series_are_the_sums_of_their_publishable_item_summaries(world, personas, how):
    if how == "rebuild":
        aggregation.rebuild_all()
    else:
        aggregation.refresh_administrations([s.pk for s in world])
    expected = _classroom_item_sums()
    rooms = {key[0] for key in expected}
    assert len(rooms) == 3 and len(expected) > 20
    read = {
        (room, p.lineage, p.item_order, p.week): (p.n_responses, p.n_answered, p.n_productive)
        for room in rooms
        for p in aggregation.classroom_item_points(classroom_id=room)
    }
    assert read == expected
    # The teacher's weekly CSV carries the same item rows.
    room = personas.classroom
    names = {i.lineage: i.name for i in Instrument.objects.filter(is_current=True)}
    csv = list(publication.trend_rows(room.teacher, scope=Scope.CLASSROOM, scope_id=room.pk))
    items = sorted((r[2], r[3], r[4], *r[5:8]) for r in csv[1:] if r[3] != "index")
    assert items == sorted((names[k[1]], k[2], k[3], *v) for k, v in expected.items() if k[0] == room.pk)


def test_a_classroom_page_reads_its_item_series_at_once_with_the_same_points(world, personas, instrument):
    aggregation.rebuild_all()
    room = personas.classroom
    orders = [aggregation.INDEX, 1, 2]
    kwargs = {"scope": Scope.CLASSROOM, "scope_id": room.pk, "lineage": instrument.lineage}
    at_once = publication.trends(room.teacher, item_orders=orders, **kwargs)
    one_by_one = [(order, publication.trend(room.teacher, item_order=order, **kwargs)) for order in orders]
    assert [(o, s.points) for o, s in at_once] == [(o, s.points) for o, s in one_by_one]
    assert all(s.points for _, s in at_once)
    hidden = publication.trends(personas.outsider_teacher, item_orders=orders, **kwargs)
    assert [(o, s.points) for o, s in hidden] == [(o, ()) for o in orders]

"""measures.aggregation: counts, trend points, incremental and idempotent refreshes, the sweep."""

import pytest

from measures import aggregation, tasks
from measures.models import AdministrationSummary, Answer, ItemSummary, Scope, TrendPoint

from .helpers import submit, survey_in_week

pytestmark = pytest.mark.django_db


def _rows():
    return (
        sorted(AdministrationSummary.objects.values_list("administration_id", "n_responses")),
        sorted(ItemSummary.objects.values_list("administration_id", "item_id", "n_answered", "n_productive")),
        sorted(
            TrendPoint.objects.values_list(
                "scope", "scope_id", "item_order", "week", "n_responses", "n_answered", "n_productive"
            )
        ),
    )


def test_an_administration_is_counted_per_item_and_option(personas, instrument):
    survey = survey_in_week(personas.classroom, instrument, 0, productive=7, unproductive=3)
    aggregation.refresh_administrations([survey.pk])
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 10
    first = instrument.items.order_by("order").first()
    summary = ItemSummary.objects.get(administration=survey, item=first)
    assert (summary.n_answered, summary.n_productive) == (10, 7)
    results = aggregation.administration_results(survey)
    assert [(o.count, o.productive) for o in results.items[0].options] == [(7, True), (3, False), (0, False)]


def test_trend_points_roll_up_to_classroom_school_and_district(personas, instrument):
    a = survey_in_week(personas.classroom, instrument, 1, productive=6, unproductive=4)
    b = survey_in_week(personas.other_classroom, instrument, 1, productive=2, unproductive=8)
    c = survey_in_week(personas.classroom_b, instrument, 1, productive=5, unproductive=5)
    aggregation.refresh_administrations([a.pk, b.pk, c.pk])
    index = TrendPoint.objects.filter(item_order=aggregation.INDEX)
    school = index.get(scope=Scope.SCHOOL, scope_id=personas.school.pk)
    assert (school.n_responses, school.n_answered, school.n_productive) == (20, 60, 24)
    district = index.get(scope=Scope.DISTRICT, scope_id=personas.district.pk)
    assert (district.n_responses, district.n_productive, district.n_administrations) == (30, 39, 3)
    # A classroom stores its index only; its item series is summed from the item summaries.
    assert not TrendPoint.objects.filter(scope=Scope.CLASSROOM).exclude(item_order=aggregation.INDEX).exists()
    room = aggregation.classroom_item_points(classroom_id=personas.classroom.pk, item_order=1)
    assert [(p.week, p.n_responses, p.n_answered, p.n_productive) for p in room] == [(a.week, 10, 10, 6)]


def test_a_survey_or_item_below_the_minimum_adds_nothing_to_a_classroom_item_series(personas, instrument):
    from measures import publication

    min_n = personas.district.min_group_size
    room = personas.classroom
    counted = survey_in_week(room, instrument, 1, productive=min_n, unproductive=2)
    survey_in_week(room, instrument, 1, productive=min_n - 1)  # same week, below the minimum
    alone = survey_in_week(room, instrument, 2, productive=min_n - 1)  # a week with nothing else
    # An item answered by fewer than the minimum in an otherwise counted survey.
    fewer = survey_in_week(room, instrument, 3, productive=min_n + 1)
    first = Answer.objects.filter(administration=fewer, item=instrument.items.get(order=1))
    first.exclude(pk__in=list(first.values_list("pk", flat=True)[: min_n - 1])).delete()
    aggregation.rebuild_all()

    points = aggregation.classroom_item_points(classroom_id=room.pk, item_order=1)
    assert [(p.week, p.n_responses, p.n_answered, p.n_productive) for p in points] == [
        (counted.week, min_n + 2, min_n + 2, min_n)
    ]
    second = aggregation.classroom_item_points(classroom_id=room.pk, item_order=2)
    assert [p.week for p in second] == [fewer.week, counted.week]  # the other items of `fewer` count
    assert alone.week not in {p.week for p in aggregation.classroom_item_points(classroom_id=room.pk)}
    # The classroom's item chart, as its teacher reads it, and as someone who may not see it.
    chart = publication.trend(room.teacher, scope=Scope.CLASSROOM, scope_id=room.pk, lineage=instrument.lineage,
                              item_order=1)  # fmt: skip
    assert [(p.week, p.n_responses, p.n_productive) for p in chart.points] == [(counted.week, min_n + 2, min_n)]
    hidden = publication.trend(personas.outsider_teacher, scope=Scope.CLASSROOM, scope_id=room.pk,
                               lineage=instrument.lineage, item_order=1)  # fmt: skip
    assert hidden.points == ()


def test_a_refresh_touches_only_its_own_trend_points(personas, instrument):
    a = survey_in_week(personas.classroom, instrument, 2, productive=6, unproductive=4)
    b = survey_in_week(personas.classroom_b, instrument, 1, productive=5, unproductive=5)
    aggregation.rebuild_all()
    untouched = TrendPoint.objects.get(scope=Scope.CLASSROOM, scope_id=personas.classroom_b.pk, item_order=0)
    items = list(instrument.items.order_by("order").prefetch_related("options"))
    submit(a, items, productive=True, count=2)
    aggregation.refresh_administrations([a.pk])
    again = TrendPoint.objects.get(scope=Scope.CLASSROOM, scope_id=personas.classroom_b.pk, item_order=0)
    assert again.pk == untouched.pk  # not rewritten
    moved = TrendPoint.objects.get(scope=Scope.CLASSROOM, scope_id=personas.classroom.pk, item_order=0)
    assert moved.n_responses == 12
    assert b.pk  # the other week's survey still stands


def test_refreshing_twice_gives_the_same_rows_as_a_full_rebuild(personas, instrument):
    surveys = [
        survey_in_week(personas.classroom, instrument, w, productive=w + 3, unproductive=5) for w in range(4)
    ] + [survey_in_week(personas.classroom_b, instrument, 0, productive=4, unproductive=9)]
    ids = [s.pk for s in surveys]
    aggregation.refresh_administrations(ids)
    once = _rows()
    aggregation.refresh_administrations(ids)
    aggregation.refresh_administrations(ids[:2])
    assert _rows() == once
    aggregation.rebuild_all()
    assert _rows() == once


def test_multiple_choice_items_count_respondents_not_selections(personas):
    from measures import services
    from tests.factories import make_instrument

    instrument = make_instrument(items=2, multiple_last=True)
    survey = services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=None)
    multi = instrument.items.get(order=2)
    single = instrument.items.get(order=1)
    options = list(multi.options.all())
    for _ in range(3):
        token = services.read_submission_token(services.make_submission_token(survey), survey)
        chosen = {single.pk: (single.options.all()[0].pk,), multi.pk: (options[0].pk, options[1].pk)}
        services.response_submit(administration=survey, token=token, answers=services.ParsedAnswers(chosen, {}))
    aggregation.refresh_administrations([survey.pk])
    row = ItemSummary.objects.get(administration=survey, item=multi)
    assert (row.n_answered, row.n_productive) == (3, 3)


def test_the_sweep_catches_up_responses_saved_while_the_broker_was_down(personas, instrument, monkeypatch):
    survey = survey_in_week(personas.classroom, instrument, 0, productive=0)
    aggregation.refresh_administrations([survey.pk])

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks.refresh_administration, "apply_async", broker_down)
    items = list(instrument.items.order_by("order").prefetch_related("options"))
    submit(survey, items, productive=True, count=4)  # on_commit does not fire inside the test transaction
    from measures import services

    assert services.enqueue_refresh(survey.pk) is False  # the failure is swallowed, not raised
    assert aggregation.stale_administration_ids() == [survey.pk]
    tasks.sweep()
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 4
    assert aggregation.stale_administration_ids() == []


def test_the_sweep_refreshes_survey_by_survey_and_a_failure_leaves_the_others_done(personas, instrument, monkeypatch):
    from django.db import OperationalError

    a = survey_in_week(personas.classroom, instrument, 0, productive=2)
    b = survey_in_week(personas.classroom_b, instrument, 0, productive=3)
    c = survey_in_week(personas.other_classroom, instrument, 1, productive=4)
    real = aggregation.refresh_administrations
    calls = []

    def refresh(ids):
        calls.append(list(ids))
        if list(ids) == [b.pk]:
            raise OperationalError("deadlock detected")
        real(ids)

    monkeypatch.setattr(aggregation, "refresh_administrations", refresh)
    tasks.sweep()
    assert calls == [[a.pk], [b.pk], [c.pk]]  # one survey per call, each its own transaction
    assert AdministrationSummary.objects.get(administration=a).n_responses == 2
    assert AdministrationSummary.objects.get(administration=c).n_responses == 4
    assert aggregation.stale_administration_ids() == [b.pk]  # left for the next sweep
    monkeypatch.undo()
    tasks.sweep()
    assert aggregation.stale_administration_ids() == []


def test_a_refresh_task_that_meets_a_database_error_is_retried(personas, instrument, monkeypatch):
    from django.db import IntegrityError, OperationalError

    from pdcycles.celery import app as celery_app

    survey = survey_in_week(personas.classroom, instrument, 0, productive=2)
    assert {OperationalError, IntegrityError} <= set(tasks.refresh_administration.autoretry_for)
    assert tasks.refresh_administration.retry_backoff and tasks.refresh_administration.max_retries
    real = aggregation.refresh_administrations
    failures = [OperationalError("deadlock detected"), IntegrityError("trend_point_unique")]

    def flaky(ids):
        if failures:
            raise failures.pop(0)
        real(ids)

    monkeypatch.setattr(aggregation, "refresh_administrations", flaky)
    # Eager (in-process) retries run at once; a worker waits 1, 2, 4 … s between them.
    monkeypatch.setattr(celery_app.conf, "task_eager_propagates", False)
    tasks.refresh_administration.apply(args=(survey.pk,))
    assert not failures
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 2


def test_one_refresh_of_surveys_in_different_districts_and_weeks_keeps_every_other_point(personas, instrument):
    """Refreshing (district A, week 1) with (district B, week 0) must not drop A's week-0 points."""
    a1 = survey_in_week(personas.classroom, instrument, 1, productive=6, unproductive=6)
    survey_in_week(personas.classroom, instrument, 0, productive=7, unproductive=5)
    b0 = survey_in_week(personas.outsider_classroom, instrument, 0, productive=5, unproductive=5)
    aggregation.rebuild_all()
    before = sorted(TrendPoint.objects.values_list("scope", "scope_id", "week", "item_order", "n_responses"))
    aggregation.refresh_administrations([a1.pk, b0.pk])
    assert sorted(TrendPoint.objects.values_list("scope", "scope_id", "week", "item_order", "n_responses")) == before

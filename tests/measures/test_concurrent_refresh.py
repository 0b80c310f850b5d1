"""Refreshes of different surveys that share school and district trend points, run at once.

Threads, each with its own PostgreSQL connection, refresh surveys of one district and week at the
same moment, round after round, as a burst of refresh tasks on several workers would. No refresh
may fail, and the rows must equal a serial rebuild from the raw answers.
"""

import threading

import pytest
from django.db import connections

from measures import aggregation, services
from measures.models import AdministrationSummary, ItemSummary, TrendPoint

from .helpers import submit, survey_in_week

ROUNDS = 10


def _rows():
    return (
        sorted(AdministrationSummary.objects.values_list("administration_id", "n_responses")),
        sorted(ItemSummary.objects.values_list("administration_id", "item_id", "n_answered", "n_productive")),
        sorted(
            TrendPoint.objects.values_list(
                "scope", "scope_id", "lineage", "item_order", "week", "n_responses", "n_answered", "n_productive"
            )
        ),
    )


def _at_once(jobs):
    """Run each job in its own thread, released together; return the exceptions raised."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def same_week_surveys(personas, instrument, monkeypatch):
    """Six surveys in one district and week: two per classroom, in two schools."""
    rooms = [personas.classroom, personas.other_classroom, personas.classroom_b]
    surveys = [survey_in_week(room, instrument, 0, productive=3, unproductive=2) for room in rooms for _ in range(2)]
    # Answers below are refreshed by the threads, not by the on-commit task.
    monkeypatch.setattr(services, "enqueue_refresh", lambda administration_id: True)
    return surveys


def _add_answers(surveys, instrument, round_number):
    items = list(instrument.items.order_by("order").prefetch_related("options"))
    for index, survey in enumerate(surveys):
        submit(survey, items, productive=(index + round_number) % 2 == 0, count=1 + index % 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refreshes_of_different_surveys_of_one_district_and_week_never_collide(same_week_surveys, instrument):
    for round_number in range(ROUNDS):
        _add_answers(same_week_surveys, instrument, round_number)
        jobs = [lambda pk=s.pk: aggregation.refresh_administrations([pk]) for s in same_week_surveys]
        assert _at_once(jobs) == [], f"round {round_number}"
        concurrent = _rows()
        aggregation.rebuild_all()
        assert concurrent == _rows(), f"round {round_number}: concurrent refreshes differ from a serial rebuild"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_surveys_refreshed_twice_at_once_and_in_overlapping_sets_give_the_same_rows(
    same_week_surveys, instrument
):
    ids = [s.pk for s in same_week_surveys]
    for round_number in range(ROUNDS):
        _add_answers(same_week_surveys, instrument, round_number)
        # Every survey twice, plus two sweeps over overlapping sets, all at once.
        jobs = [lambda pk=pk: aggregation.refresh_administrations([pk]) for pk in ids * 2]
        jobs += [lambda: aggregation.refresh_administrations(ids[:4]), lambda: aggregation.refresh_administrations(ids)]
        assert _at_once(jobs) == [], f"round {round_number}"
        concurrent = _rows()
        aggregation.rebuild_all()
        assert concurrent == _rows(), f"round {round_number}"


@pytest.mark.django_db
def test_a_refresh_after_a_refresh_of_another_survey_of_the_week_counts_both(same_week_surveys, instrument):
    """The serial case, on any database (SQLite too): the shared points count every survey."""
    _add_answers(same_week_surveys, instrument, 0)
    for survey in same_week_surveys:
        aggregation.refresh_administrations([survey.pk])
    serial = _rows()
    aggregation.rebuild_all()
    assert serial == _rows()

"""Thin Celery tasks: ids in, the work is in measures.aggregation.

Every task is idempotent: running it twice, or two at once, on any surveys, gives the same rows
(see measures.aggregation). A refresh that fails on a database error (a deadlock, a restart, a
lock timeout) is retried with backoff; whatever still fails is caught by the next minute's sweep.
Time limits (settings: CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT) stay below the broker's
visibility timeout, so a task is never handed to a second worker while the first still runs it.
"""

import logging

from celery import shared_task
from django.db import DatabaseError, IntegrityError, OperationalError

from . import aggregation, services

log = logging.getLogger(__name__)

# Retry with exponential backoff (1, 2, 4 … s, at most 60 s, with jitter), five times at most.
_RETRY = {
    "autoretry_for": (OperationalError, IntegrityError),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(ignore_result=True, **_RETRY)
def refresh_administration(administration_id: int) -> None:
    # Clear the debounce mark first: an answer saved while we count queues another refresh.
    services.clear_refresh_pending(administration_id)
    aggregation.refresh_administrations([administration_id])


@shared_task(ignore_result=True, **_RETRY)
def refresh_administrations(administration_ids: list[int]) -> None:
    aggregation.refresh_administrations(administration_ids)


@shared_task(ignore_result=True)
def sweep() -> None:
    """Close surveys past their time; refresh every summary older than its responses.

    One survey per transaction: a failure (or a long lock wait) on one survey neither undoes nor
    holds up the others, and the next sweep retries what failed.
    """
    services.close_expired()
    failed = 0
    for administration_id in aggregation.stale_administration_ids():
        try:
            aggregation.refresh_administrations([administration_id])
        except DatabaseError as exc:
            failed += 1
            log.warning("sweep could not refresh administration %s: %s", administration_id, exc)
    if failed:
        log.warning("sweep: %s administration(s) left for the next sweep", failed)


@shared_task(ignore_result=True)
def rebuild_all() -> None:
    # Seconds for a million answers (bench/measures.py), well inside the default time limits.
    aggregation.rebuild_all()

"""Thin Celery tasks: ids in, the work is in measures.aggregation."""

from celery import shared_task

from . import aggregation, services


@shared_task(ignore_result=True)
def refresh_administration(administration_id: int) -> None:
    # Clear the debounce mark first: an answer saved while we count schedules another refresh.
    services.clear_refresh_pending(administration_id)
    aggregation.refresh_administrations([administration_id])


@shared_task(ignore_result=True)
def refresh_administrations(administration_ids: list[int]) -> None:
    aggregation.refresh_administrations(administration_ids)


@shared_task(ignore_result=True)
def sweep() -> None:
    """Close surveys past their time; refresh every summary older than its responses."""
    closed = services.close_expired()
    stale = aggregation.stale_administration_ids()
    if stale or closed:
        aggregation.refresh_administrations(stale)


@shared_task(ignore_result=True)
def rebuild_all() -> None:
    aggregation.rebuild_all()

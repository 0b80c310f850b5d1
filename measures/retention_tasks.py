"""The retention policy's Celery task (thin: it calls measures.retention).

Imported by the worker through CELERY_IMPORTS in settings; beat schedules it there.
"""

from celery import shared_task

from . import retention


@shared_task(ignore_result=True)
def apply_retention() -> int:
    return len(retention.retention_apply_all())

"""The district's retention policy: students' raw answers expire, the numbers made from them stay.

A district keeps its raw responses and written answers for `District.retention_school_years`
school years, the current one included (default 3: in 2026–27 the 2024–25 surveys are the oldest
kept). Older surveys lose their Response and Answer rows; their AdministrationSummary,
ItemSummary and TrendPoint rows stay, so run charts keep their history. Each pass writes a
RetentionRun, the log a district leader reads on the district's measures page. Beat runs it
nightly (settings.CELERY_BEAT_SCHEDULE); running it twice deletes nothing more.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from districts.models import District

from .models import Administration, Answer, Response, RetentionRun

_CHUNK = 200  # surveys per DELETE: a few thousand answers each


def retention_kept_from(district: District, *, today: date | None = None) -> date:
    """The first day whose surveys keep their raw answers: the start of the oldest school year kept."""
    today = today or timezone.localdate()
    first_kept_year = district.school_year_of(today) - district.retention_school_years + 1
    return date(first_kept_year, district.school_year_start_month, 1)


def retention_apply(*, district: District, today: date | None = None) -> RetentionRun:
    """Delete the raw answers of the district's surveys older than its policy; log what went."""
    kept_from = retention_kept_from(district, today=today)
    expired = list(
        Administration.objects.filter(district=district, week__lt=kept_from, responses__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    answers = responses = 0
    with transaction.atomic():
        for start in range(0, len(expired), _CHUNK):
            chunk = expired[start : start + _CHUNK]
            answers += Answer.objects.filter(administration_id__in=chunk).delete()[0]
            responses += Response.objects.filter(administration_id__in=chunk).delete()[0]
            # Marked, so no later recount (a rebuild, a new minimum group size, a deleted classroom
            # in the same week) reads the missing answers as none: its summaries are what remains.
            Administration.objects.filter(pk__in=chunk).update(answers_expired_at=timezone.now())
        return RetentionRun.objects.create(
            district=district,
            school_years=district.retention_school_years,
            kept_from=kept_from,
            surveys=len(expired),
            responses_deleted=responses,
            answers_deleted=answers,
        )


def retention_apply_all(*, today: date | None = None) -> list[RetentionRun]:
    return [retention_apply(district=district, today=today) for district in District.objects.order_by("pk")]

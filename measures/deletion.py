"""What deleting a classroom, school, district or survey does to the summaries.

Summary tables are derived data written by `measures.aggregation`; TrendPoint names its classroom
or school by a plain number (scope_id), so no foreign key can cascade to it, and the school and
district points of a week still count the deleted classroom's answers. So before a delete we note
which (district, instrument lineage, week) series it touches; after it, every trend point of those
weeks is deleted and rebuilt from the administrations that remain, through the public
`refresh_administrations` (the one writer of summary rows). AdministrationSummary and ItemSummary
rows follow their administration (Django cascades them; the database keeps no constraint, see
models.py), and a deleted district's trend points go with it (their district foreign key).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from .aggregation import refresh_administrations
from .models import Administration, Scope, TrendPoint


def _series_of(administrations) -> set[tuple[int, object, object]]:
    return set(
        administrations.filter(classroom__isnull=False).values_list("district_id", "instrument__lineage", "week")
    )


def _rebuild(series: set, *, classroom_ids: Iterable[int] = (), school_ids: Iterable[int] = ()) -> None:
    """Delete every trend point of `series` and of the gone scopes, then recount what remains."""
    TrendPoint.objects.filter(
        Q(scope=Scope.CLASSROOM, scope_id__in=list(classroom_ids))
        | Q(scope=Scope.SCHOOL, scope_id__in=list(school_ids))
    ).delete()
    for district_id, lineage, week in sorted(series, key=str):
        TrendPoint.objects.filter(district_id=district_id, lineage=lineage, week=week).delete()
        # One series per call: refresh_administrations rebuilds the trend points of every
        # (district, week) pair its surveys span, so mixing series would touch unrelated weeks.
        refresh_administrations(
            Administration.objects.filter(
                district_id=district_id, instrument__lineage=lineage, week=week, classroom__isnull=False
            ).values_list("pk", flat=True)
        )


def before_delete(*, district_ids: frozenset, school_ids: frozenset, classroom_ids: frozenset):
    """districts.deletion hook: note the trend series the delete touches; rebuild them after it."""
    gone = Administration.objects.filter(Q(classroom_id__in=classroom_ids) | Q(school_id__in=school_ids)).exclude(
        district_id__in=district_ids
    )
    series = _series_of(gone)
    if not series and not classroom_ids and not school_ids:
        return None

    def after() -> None:
        _rebuild(series, classroom_ids=classroom_ids, school_ids=school_ids)

    return after


def administrations_delete(*, administrations: Iterable[Administration]) -> None:
    """Delete surveys (the admin's delete) with their answers, and rebuild the trend points they fed."""
    ids = [a.pk for a in administrations]
    with transaction.atomic():
        series = _series_of(Administration.objects.filter(pk__in=ids))
        Administration.objects.filter(pk__in=ids).delete()
        _rebuild(series)

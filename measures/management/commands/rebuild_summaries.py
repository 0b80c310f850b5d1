"""Recount every survey summary and trend point from the raw answers (after a bulk import, or to repair)."""

import time
from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db.models import Max, Q

from measures.aggregation import rebuild_all, refresh_administrations
from measures.models import Administration, RetentionRun

_BATCH = 500


def _expired() -> Q:
    """Surveys whose raw answers the retention policy deleted: their summaries are all that is left."""
    expired = Q(pk__in=[])
    cutoffs = RetentionRun.objects.filter(surveys__gt=0).values("district_id").annotate(kept_from=Max("kept_from"))
    for row in cutoffs:
        expired |= Q(district_id=row["district_id"], week__lt=row["kept_from"])
    return expired


class Command(BaseCommand):
    help = "Recount every summary and trend point from the raw answers."

    def handle(self, *args, **options):
        started = time.monotonic()
        expired = _expired()
        if not RetentionRun.objects.filter(surveys__gt=0).exists():
            rebuild_all()
            self.stdout.write(self.style.SUCCESS(f"Rebuilt every summary in {time.monotonic() - started:.1f} s."))
            return
        # A full rebuild would recount expired surveys as empty: recount the others, one district
        # and week at a time (a refresh rebuilds the trend points of every district-week pair its
        # surveys span, which must not reach an expired week).
        groups: dict[tuple, list[int]] = defaultdict(list)
        for pk, district_id, week in Administration.objects.exclude(expired).values_list("pk", "district_id", "week"):
            groups[(district_id, week)].append(pk)
        ids = [pk for group in groups.values() for pk in group]
        for _, group in sorted(groups.items()):
            for start in range(0, len(group), _BATCH):
                refresh_administrations(group[start : start + _BATCH])
        kept = Administration.objects.filter(expired).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the summaries of {len(ids)} surveys in {time.monotonic() - started:.1f} s; "
                f"kept those of {kept} surveys whose raw answers have expired."
            )
        )

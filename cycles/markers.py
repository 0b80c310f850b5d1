"""Cycle dates on a classroom's run charts: the provider registered with measures.markers."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from measures.markers import Marker

from .models import CycleStatus, ImprovementCycle, MeasureScope


def classroom_markers(*, classroom, since: date | None = None, until: date | None = None) -> list[Marker]:
    """Start and end of every cycle run in this classroom, or judged by its results (not abandoned)."""
    cycles = ImprovementCycle.objects.filter(
        Q(classroom=classroom) | Q(measure__scope=MeasureScope.CLASSROOM, measure__scope_id=classroom.pk)
    ).exclude(status=CycleStatus.ABANDONED)
    if since:
        cycles = cycles.filter(end__gte=since)
    if until:
        cycles = cycles.filter(start__lte=until)
    found = []
    for cycle in cycles.distinct().order_by("start"):
        found.append(
            Marker(cycle.start, _("▶ cycle"), "cycle", detail=_("Cycle starts: %(title)s") % {"title": cycle.title})
        )
        found.append(Marker(cycle.end, _("■ end"), "cycle", detail=_("Cycle ends: %(title)s") % {"title": cycle.title}))
    return [m for m in found if (since is None or m.day >= since) and (until is None or m.day <= until)]

"""PD sessions on a classroom's run charts: the provider registered with measures.markers."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext, pgettext

from measures.markers import Marker

from .models import TEACHER_KINDS, Attendance


def pd_markers(*, classroom, since: date | None = None, until: date | None = None) -> list[Marker]:
    """The teacher-facing PD sessions this classroom's teacher attended: did discussion change after?

    Only the session's title and date (attendance is not sensitive; the agenda is the audience's).
    """
    marks = Attendance.objects.filter(
        user_id=classroom.teacher_id,
        session__kind__in=[k.value for k in TEACHER_KINDS],
        session__series__district_id=classroom.school.district_id,
    )
    if since:
        marks = marks.filter(session__date__gte=since)
    if until:
        marks = marks.filter(session__date__lte=until)
    found = []
    for day, title in marks.values_list("session__date", "session__title").order_by("session__date"):
        found.append(
            Marker(
                day,
                pgettext("short chart marker", "PD"),
                "pd",
                detail=gettext("PD session: %(title)s") % {"title": title},
            )
        )
    return found

"""The "PD sessions" panel on a person's home page: the next session with what to do for it, the
next few after it, a check-in box (a participant's first move at a session), the math-leader PD
sessions waiting for a facilitation review (leaders and the partnership's researchers), and for a
principal how many of the school's teachers took part in PD this school year (people, not answers)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from districts import access
from districts.home import Panel
from districts.models import Classroom

from . import selectors as pd_selectors
from .models import Attendance, PDSession, PDSessionKind

MAX_REVIEWS = 3


def _next_action(session: PDSession, *, may_change: bool, today: date) -> tuple[str, str]:
    """(label, url) of what the session needs from this person now."""
    if not may_change:
        return gettext("See the agenda"), session.get_absolute_url()
    if not session.n_activities:
        return gettext("Plan its agenda"), reverse("pd:activity_add", args=[session.pk])
    if session.date == today:
        return gettext("Open check-in"), session.get_absolute_url()
    return gettext("Review the agenda"), session.get_absolute_url()


def panel(*, user) -> Panel | None:
    if not access.district_ids(user):
        return None
    series = pd_selectors.visible_series(user)
    today = timezone.localdate()
    upcoming = list(
        PDSession.objects.filter(series__in=series, date__gte=today)
        .select_related("series")
        .annotate(n_activities=Count("activities"))
        .order_by("date", "starts_at")[:4]
    )
    changeable = {s.pk for s in series if s.may_change}
    if upcoming:
        first = upcoming[0]
        first.action, first.action_url = _next_action(first, may_change=first.series_id in changeable, today=today)
    reviewable = [d.pk for d in access.districts(user) if access.may_review_facilitation(user, d)]
    reviews = list(
        PDSession.objects.filter(
            series__district_id__in=reviewable, kind=PDSessionKind.LEADER_PD, date__lt=today, evidence__isnull=True
        )
        .select_related("series")
        .order_by("-date")[:MAX_REVIEWS]
    )
    schools = list(access.principal_schools(user).order_by("name"))
    activity = []
    for school in schools:
        teachers = set(Classroom.objects.filter(school=school).values_list("teacher_id", flat=True))
        year = school.district.current_school_year()
        attended = set(
            Attendance.objects.filter(
                user_id__in=teachers, session__series__district=school.district, session__series__school_year=year
            ).values_list("user_id", flat=True)
        )
        activity.append({"school": school, "attended": len(attended), "teachers": len(teachers)})
    if not series and not reviews and not activity:
        return None
    leads = bool(changeable) or access.is_district_leader(user)
    return Panel(
        title=gettext("PD sessions"),
        template="pd/_home_panel.html",
        context={"sessions": upcoming, "reviews": reviews, "activity": activity, "leads": leads},
        order=25,
    )

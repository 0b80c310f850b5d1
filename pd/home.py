"""The "PD sessions" panel on a person's home page: the next sessions of the series they lead or
are invited to, and a check-in box (a participant's first move at a session)."""

from django.utils import timezone

from districts import access
from districts.home import Panel

from . import selectors as pd_selectors
from .models import PDSession


def panel(*, user) -> Panel | None:
    if not access.district_ids(user):
        return None
    series = pd_selectors.visible_series(user)
    if not series:
        return None
    upcoming = list(
        PDSession.objects.filter(series__in=series, date__gte=timezone.localdate())
        .select_related("series")
        .order_by("date", "starts_at")[:5]
    )
    return Panel(title="PD sessions", template="pd/_home_panel.html", context={"sessions": upcoming}, order=25)

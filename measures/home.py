"""The measures panels on a person's home page, one per role's question "what needs me now?":

- district leaders (and partners, where the district shares with them): the district pulse, the
  district index's latest week and whether its run chart signals a change;
- principals: the school pulse, how many teachers share their classrooms, and the school index;
- teachers and coaches: the classrooms they run or coach, a survey open now, each one's signal.

Every number comes through measures.publication for this viewer; nothing here counts answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from districts import access
from districts.home import Panel

from . import aggregation, charts, publication
from .models import Administration, Scope

MAX_ROOMS = 8  # a home panel stays small: the measures index lists every classroom


@dataclass(frozen=True)
class Pulse:
    """One scope's index trend, reduced to a line: its latest published week and its signal."""

    label: str
    url: str
    instrument: str = ""
    latest: float | None = None  # share of productive answers, 0–1
    week: date | None = None
    signal: bool = False
    summary: str = gettext_lazy("Not enough data yet")
    note: str = ""  # e.g. "2 of 5 teachers share their classrooms with you."

    @property
    def percent(self) -> int | None:
        return None if self.latest is None else round(100 * self.latest)


def pulse(user, *, scope: str, scope_id: int, label: str, url: str, note: str = "") -> Pulse:
    """The index trend of the instrument with the most weeks in this scope, as `user` may see it."""
    instruments = aggregation.lineages_with_data(scope=scope, scope_ids=[scope_id])
    if not instruments:
        return Pulse(label=label, url=url, note=note)
    instrument = instruments[0]
    series = publication.trend(user, scope=scope, scope_id=scope_id, lineage=instrument.lineage)
    shown = series.shown
    last = shown[-1] if shown else None
    return Pulse(
        label=label,
        url=url,
        instrument=instrument.name,
        latest=None if last is None else last.value,
        week=None if last is None else last.week,
        signal=series.analysis.runs_signal,
        summary=charts.signal_summary(series),
        note=note,
    )


def district_pulse(*, user) -> Panel | None:
    """Leaders, and partners of a district that shares with partners: the district's index trend."""
    districts = [
        d
        for d in access.districts(user).order_by("name")
        if access.is_district_leader(user, d) or _partner_sees(user, d)
    ]
    if not districts:
        return None
    rows = [
        pulse(
            user,
            scope=Scope.DISTRICT,
            scope_id=d.pk,
            label=str(d),
            url=reverse("measures:district", args=[d.pk]),
        )
        for d in districts
    ]
    leads = access.is_district_leader(user)
    return Panel(
        title=_("District pulse"),
        template="measures/_pulse_panel.html",
        context={"rows": rows, "leads": leads, "what": "district"},
        order=5,
    )


def _partner_sees(user, district) -> bool:
    return "partner" in access.roles(user) and access.may_see_district_aggregates(user, district)


def school_pulse(*, user) -> Panel | None:
    """Principals: how many teachers share their classrooms with them, and the school's index trend."""
    schools = list(access.principal_schools(user).order_by("name"))
    if not schools:
        return None
    rows = []
    for school in schools:
        viewer = publication.Viewer.of(user, school.district)
        rows.append(
            pulse(
                user,
                scope=Scope.SCHOOL,
                scope_id=school.pk,
                label=school.name,
                url=reverse("measures:school", args=[school.pk]),
                note=publication.sharing_note(school, viewer),
            )
        )
    return Panel(
        title=_("School pulse"),
        template="measures/_pulse_panel.html",
        context={"rows": rows, "leads": False, "what": "school"},
        order=5,
    )


def classrooms(*, user) -> Panel | None:
    """Teachers: their classrooms (a survey open now first); coaches: their coachees' shared classrooms."""
    mine = Q(teacher=user)
    if access.is_coach(user):
        mine |= Q(teacher_id__in=access.coachee_ids(user))
    if not (access.is_teacher(user) or access.is_coach(user)):
        return None
    rooms = list(
        access.classrooms_with_results(user)
        .filter(mine)
        .select_related("school", "teacher")
        .order_by("teacher__full_name", "period", "name")
    )
    open_now = [
        a
        for a in Administration.objects.filter(classroom__in=rooms, closed_at__isnull=True)
        .select_related("classroom", "instrument")
        .order_by("-opened_at")
        if a.is_open()
    ]
    rows = []
    for room in rooms[:MAX_ROOMS]:
        room.pulse = pulse(
            user,
            scope=Scope.CLASSROOM,
            scope_id=room.pk,
            label=str(room),
            url=room.get_absolute_url(),
        )
        # A coach's next move is with the teacher, not starting the class's survey for them.
        room.may_run = room.teacher_id == user.pk and access.may_run_surveys(user, room)
        rows.append(room)
    if not rows and not access.is_teacher(user):
        return None  # a coach whose teachers share nothing yet: the caseload panel says so
    return Panel(
        title=_("My classrooms") if access.is_teacher(user) else _("Classrooms shared with you"),
        template="measures/_home_panel.html",
        context={
            "rooms": rows,
            "more": max(0, len(rooms) - MAX_ROOMS),
            "open_now": open_now,
            "teacher": access.is_teacher(user),
        },
        order=10 if access.is_teacher(user) else 18,  # a coach's caseload comes first
    )


PANELS = (district_pulse, school_pulse, classrooms)

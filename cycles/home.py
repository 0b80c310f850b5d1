"""The "My cycles" panel on a person's home page: the cycles they own or work on, still open, each
with its next step and when it is due."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from districts import access
from districts.home import Panel

from . import selectors
from .models import CycleStep, ImprovementCycle, StepKind

MAX_CYCLES = 8
# Steps that come before trying the change are due when the cycle starts; the rest by its end.
_BEFORE_START = {StepKind.PLAN, StepKind.GOALS}


def next_step(cycle: ImprovementCycle, recorded: set[str]) -> tuple[str, str, date] | None:
    """(kind, label, due date) of the first step not yet recorded, or None when every step is."""
    for kind in cycle.steps_in_order:
        if kind not in recorded:
            # A ROCI's "Plan" comes after "Set goals": only the very first step is due at the start.
            due = cycle.start if kind in _BEFORE_START and kind == cycle.steps_in_order[0] else cycle.end
            return kind, StepKind(kind).label, due
    return None


def panel(*, user) -> Panel | None:
    if not access.district_ids(user):
        return None
    mine = selectors.my_cycles(user)
    cycles = list(
        mine.prefetch_related(Prefetch("steps", queryset=CycleStep.objects.only("cycle_id", "kind")))[:MAX_CYCLES]
    )
    roles = access.roles(user)
    if not cycles and roles <= {"partner"}:
        return None  # the partnership's researchers study the district's cycles; they rarely run one
    today = timezone.localdate()
    for cycle in cycles:
        step = next_step(cycle, {s.kind for s in cycle.steps.all()})
        cycle.next_kind, cycle.next_label, cycle.next_due = step if step else (None, _("Close the cycle"), cycle.end)
        # The owner records steps; a team member opens the cycle at that step (their rights vary).
        if cycle.next_kind and cycle.owner_id == user.pk:
            cycle.next_url = reverse("cycles:step", args=[cycle.pk, cycle.next_kind])
        else:
            cycle.next_url = cycle.get_absolute_url() + (f"#step-{cycle.next_kind}" if cycle.next_kind else "")
        cycle.overdue = cycle.next_due < today
    if "district_leader" in roles:
        empty = _(
            "No open cycles. Start a district cycle from a priority: its outcome's measure and target come with it."
        )
    elif "principal" in roles:
        empty = _("No open cycles. Start a school cycle with your teachers, or look at the district's cycle tree.")
    elif "coach" in roles and "teacher" not in roles:
        empty = _("No open cycles. Start one with a teacher you coach, on a change idea for their classroom.")
    else:
        empty = _(
            "No open cycles. Try a change idea in a classroom for a week or two, "
            "and let a 3-minute student survey tell you whether it worked."
        )
    return Panel(
        title=_("My improvement cycles"),
        template="cycles/_home_panel.html",
        context={
            "cycles": cycles,
            "total": mine.count() if len(cycles) == MAX_CYCLES else len(cycles),
            "empty": empty,
        },
        order=20,
    )

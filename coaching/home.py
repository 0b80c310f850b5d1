"""The coaching panel on a person's home page: a coach's caseload at a glance, a teacher's next steps."""

from districts import access
from districts.home import Panel

from . import selectors
from .models import CycleStatus


def panel(*, user) -> Panel | None:
    context: dict = {}
    if access.is_coach(user):
        rows = selectors.caseload(coach=user)
        context.update(
            is_coach=True,
            n_teachers=len(rows),
            active=sum(r.active_cycles for r in rows),
            quiet=[r for r in rows if r.quiet],
            weeks=selectors.QUIET_WEEKS,
        )
    if access.is_teacher(user):
        mine = list(
            selectors.cycles_for(user).filter(teacher=user, status=CycleStatus.ACTIVE).select_related("coach")[:5]
        )
        steps = selectors.latest_next_steps(mine)
        for cycle in mine:
            cycle.latest_next = steps.get(cycle.pk)
        context["next_steps"] = [c for c in mine if c.latest_next]
    if not context.get("is_coach") and not context.get("next_steps"):
        return None
    return Panel(title="Coaching", template="coaching/_home_panel.html", context=context, order=20)

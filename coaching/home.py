"""The coaching panel on a person's home page: a coach's caseload at a glance, a teacher's next
steps, a principal's school activity (counts and kinds only: no notes reach an evaluator)."""

from django.utils.translation import gettext

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
            rows=rows,
            n_teachers=len(rows),
            active=sum(r.active_cycles for r in rows),
            quiet=[r for r in rows if r.quiet],
            without_cycle=[r for r in rows if not r.active_cycles],
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
    schools = [s for s in access.principal_schools(user).order_by("name") if access.may_see_coaching_activity(user, s)]
    if schools:
        context["schools"] = [selectors.school_activity(school=s) for s in schools]
    if not context.get("is_coach") and not context.get("next_steps") and not context.get("schools"):
        return None
    title = gettext("My caseload") if context.get("is_coach") else gettext("Coaching")
    return Panel(title=title, template="coaching/_home_panel.html", context=context, order=15)

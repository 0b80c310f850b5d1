"""The measures panel on a person's home page: surveys open now, classrooms to survey, trends."""

from django.db.models import Count, Max

from districts import access
from districts.home import Panel

from .models import Administration


def panel(*, user) -> Panel | None:
    rooms = list(
        access.classrooms_with_results(user)
        .select_related("school", "teacher")
        .annotate(last_survey=Max("administrations__opened_at"))
        .order_by("teacher__full_name", "period")[:12]
    )
    districts = [d for d in access.districts(user) if access.may_see_district_aggregates(user, d)]
    schools = list(access.schools_with_aggregates(user).order_by("name"))
    if not rooms and not districts and not schools:
        return None
    open_now = [
        a
        for a in Administration.objects.filter(classroom__in=rooms, closed_at__isnull=True)
        .select_related("classroom", "instrument")
        .annotate(n=Count("responses"))
        .order_by("-opened_at")
        if a.is_open()
    ]
    return Panel(
        title="Student surveys",
        template="measures/_home_panel.html",
        context={
            "rooms": rooms,
            "open_now": open_now,
            "districts": districts,
            "schools": schools,
            "runnable": {r.pk for r in rooms if access.may_run_surveys(user, r)},
            "leads": access.is_district_leader(user),
        },
        order=10,
    )

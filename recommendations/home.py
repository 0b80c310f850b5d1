"""The feedback-report panel on a person's home page, for district leaders and the partnership's
researchers: the window of the yearly feedback cycle open now (seed 003) and the reports that
wait for someone (being written, or discussed with uptake still to record)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from districts import access
from districts.home import Panel

from .models import FeedbackReport, Recommendation, Uptake
from .selectors import BEING_WRITTEN, DISCUSSED_UPTAKE_TO_RECORD, calendar, report_status

# A tuple, not a set: the statuses are lazy translations, compared in the language of the page.
WAITING = (BEING_WRITTEN, DISCUSSED_UPTAKE_TO_RECORD)


def panel(*, user) -> Panel | None:
    districts = [d for d in access.districts(user).order_by("name") if access.may_change_recommendations(user, d)]
    if not districts:
        return None
    today = timezone.localdate()
    rows = []
    for district in districts:
        year = district.current_school_year()
        phases = calendar(year, today)
        if all(p.state == "done" for p in phases):
            phases = calendar(year + 1, today)
        now = [p for p in phases if p.state == "now"]
        upcoming = next((p for p in phases if p.state == "upcoming"), None)
        reports = list(
            FeedbackReport.objects.filter(district=district)
            .annotate(n_recs=Count("findings__recommendations", distinct=True))
            .order_by("-school_year", "title")
        )
        known = dict(
            Recommendation.objects.filter(finding__report__in=reports)
            .exclude(uptake=Uptake.UNKNOWN)
            .values_list("finding__report")
            .annotate(n=Count("pk"))
        )
        waiting = []
        for report in reports:
            report.status = report_status(report, report.n_recs, known.get(report.pk, 0))
            if report.status in WAITING:
                waiting.append(report)
        rows.append(
            {"district": district, "now": now, "upcoming": None if now else upcoming, "waiting": waiting[:3],
             "n_reports": len(reports)}
        )  # fmt: skip
    partner_only = not access.is_district_leader(user)
    return Panel(
        title=gettext("Feedback reports and recommendations"),
        template="recommendations/_home_panel.html",
        context={"rows": rows, "partner_only": partner_only},
        order=12 if partner_only else 30,
    )

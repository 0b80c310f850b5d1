"""Reads for feedback reports and recommendations: the uptake dashboard's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from districts.models import District

from . import uptake
from .models import FACTORS, FeedbackReport, Recommendation, RecommendationArea


def recommendation_summary(district: District, year: int | None = None) -> tuple[uptake.Summary, list[int]]:
    """The uptake dashboard's figures for a district (one school year, or every year when None),
    and the school years that have recommendations. The dashboard, its CSV and `uptake_summary` use it."""
    rows = Recommendation.objects.filter(finding__report__district=district).values(
        "finding__report__school_year", "area", "uptake", "implementation", *FACTORS
    )
    years = sorted({r["finding__report__school_year"] for r in rows}, reverse=True)
    if year is not None:
        rows = rows.filter(finding__report__school_year=year)
    recs = [
        uptake.Rec(
            year=r["finding__report__school_year"],
            area=r["area"],
            uptake=r["uptake"],
            implementation=r["implementation"],
            factors={name: r[name] for name in FACTORS},
        )
        for r in rows
    ]
    return uptake.summarize(recs, areas=RecommendationArea.choices, factors=FACTORS), years


# --- the yearly cycle calendar ----------------------------------------------------------------


@dataclass
class Phase:
    name: str
    due: str
    start: date
    end: date
    state: str  # done / now / upcoming


def calendar(year: int, today: date) -> list[Phase]:
    """The four phases of the feedback cycle for the school year starting in `year` (seed 003)."""
    phases = [
        (gettext("Document the district's improvement strategies"), gettext("Notes on the plan and its strategies"),
         date(year, 10, 1), date(year, 10, 31)),
        (gettext("Document how they play out in schools and classrooms"), gettext("Interviews and observations"),
         date(year + 1, 1, 1), date(year + 1, 3, 31)),
        (gettext("Analyze and write the feedback report"), gettext("The report: findings and recommendations"),
         date(year + 1, 2, 1), date(year + 1, 5, 31)),
        (gettext("Discuss the report with district leaders"),
         gettext("The meeting; then uptake into next year's plan"),
         date(year + 1, 5, 1), date(year + 1, 5, 31)),
    ]  # fmt: skip
    return [
        Phase(name, due, start, end, "done" if end < today else "now" if start <= today else "upcoming")
        for name, due, start, end in phases
    ]


# A report's status, in the language of the page wherever it is shown or compared.
UPTAKE_RECORDED = _("Uptake recorded")
DISCUSSED_UPTAKE_TO_RECORD = _("Discussed — uptake to record")
DISCUSSED = pgettext_lazy("status of a feedback report", "Discussed")
DELIVERED = pgettext_lazy("status of a feedback report", "Delivered")
BEING_WRITTEN = _("Being written")


def report_status(report: FeedbackReport, n_recs: int, n_known: int) -> str:
    if n_recs and n_known == n_recs:
        return UPTAKE_RECORDED
    if report.meeting_on and report.meeting_on <= timezone.localdate():
        return DISCUSSED_UPTAKE_TO_RECORD if n_recs else DISCUSSED
    if report.delivered_on:
        return DELIVERED
    return BEING_WRITTEN

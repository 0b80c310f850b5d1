"""Demo data for Lakeside Unified: last school year's feedback report, its findings and
recommendations with uptake, implementation and the six factors (seed 003)."""

from __future__ import annotations

import random
from datetime import date

from .models import FACTORS, FeedbackReport, Finding, Recommendation

RECOMMENDATIONS = [
    # (area, text, uptake, implementation, factors yes/no/"" in FACTORS order)
    ("coaching", "Focus coaching cycles on orchestrating whole-class discussion.", "complete", "successful",
     ("yes", "yes", "yes", "yes", "yes", "yes")),
    ("teacher_pd", "Use monthly PD to co-plan lessons around high-level tasks.", "complete", "partial",
     ("yes", "yes", "yes", "no", "yes", "yes")),
    ("collaboration", "Protect weekly teacher collaborative time for analyzing student work.", "partial", "partial",
     ("yes", "no", "yes", "yes", "", "yes")),
    ("school_leadership", "Prepare principals to give feedback on mathematics instruction.", "partial", "unsuccessful",
     ("no", "no", "no", "no", "no", "no")),
    ("struggling_students", "Replace pull-out remediation with just-in-time support.", "none", "",
     ("no", "no", "no", "no", "", "no")),
    ("assessment", "Align benchmark assessments with the curriculum's units.", "none", "",
     ("yes", "no", "no", "yes", "yes", "no")),
    ("curriculum", "Give teachers time to study the curriculum's unit goals before teaching.", "partial", "",
     ("yes", "yes", "yes", "yes", "yes", "yes")),
]  # fmt: skip


def seed(demo, rng: random.Random) -> None:
    """One report for last school year with findings and recommendations, uptake and implementation mixed."""
    year = demo.school_year - 1
    report = FeedbackReport.objects.create(
        district=demo.district,
        school_year=year,
        title=f"Feedback report {year}–{str(year + 1)[2:]}",
        authors="Research-practice partnership team",
        delivered_on=date(year + 1, 5, 10),
        meeting_on=date(year + 1, 5, 24),
    )
    finding = Finding.objects.create(
        report=report,
        text="Teachers and coaches share a vision of high-quality instruction, but support for it varies by school.",
        evidence="Interviews with coaches and principals; classroom observations, January–March.",
        order=1,
    )
    for order, (area, text, up, impl, factors) in enumerate(RECOMMENDATIONS, start=1):
        Recommendation.objects.create(
            finding=finding,
            text=text,
            area=area,
            uptake=up,
            implementation=impl,
            order=order,
            **dict(zip(FACTORS, factors, strict=True)),
        )

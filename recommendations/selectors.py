"""Reads for feedback reports and recommendations: the uptake dashboard's figures."""

from __future__ import annotations

from districts.models import District

from . import uptake
from .models import FACTORS, Recommendation, RecommendationArea


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

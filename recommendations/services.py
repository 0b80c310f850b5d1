"""Writes for feedback reports, their findings and recommendations (uptake, implementation, factors).

Callers (views) check access first (districts.access.check_recommendations); these functions are
keyword-only, check that the pieces belong to the report's district, and validate with full_clean
before saving. The CSV import (recommendations.importer) writes its own rows in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from districts.models import District

from .models import FACTORS, FeedbackReport, Finding, Recommendation

REPORT_FIELDS = ("title", "school_year", "authors", "delivered_on", "meeting_on", "document_url")
FINDING_FIELDS = ("text", "evidence")
RECOMMENDATION_FIELDS = (
    "text",
    "area",
    "responsible_unit",
    "senior_leader",
    "uptake",
    "uptake_evidence",
    "implementation",
    "implementation_evidence",
    *FACTORS,
)


def _set_fields(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


# --- reports ----------------------------------------------------------------------------------


def report_create(*, district: District, **fields) -> FeedbackReport:
    report = FeedbackReport(district=district)
    _set_fields(report, fields, REPORT_FIELDS)
    report.full_clean()
    report.save()
    return report


def report_update(*, report: FeedbackReport, **fields) -> FeedbackReport:
    _set_fields(report, fields, REPORT_FIELDS)
    report.full_clean()
    report.save()
    return report


def report_delete(*, report: FeedbackReport) -> None:
    """Its findings and recommendations go with it."""
    report.delete()


# --- findings ---------------------------------------------------------------------------------


def finding_add(*, report: FeedbackReport, **fields) -> Finding:
    """A finding at the end of the report."""
    finding = Finding(report=report, order=report.findings.count() + 1)
    _set_fields(finding, fields, FINDING_FIELDS)
    finding.full_clean()
    finding.save()
    return finding


def finding_update(*, finding: Finding, **fields) -> Finding:
    _set_fields(finding, fields, FINDING_FIELDS)
    finding.full_clean()
    finding.save()
    return finding


def finding_delete(*, finding: Finding) -> None:
    finding.delete()


# --- recommendations --------------------------------------------------------------------------


def _check_links(district_id: int, *, priorities, practices, cycles) -> None:
    """What carries a recommendation out is the district's own (practices: or published ones)."""
    errors = {}
    if any(p.district_id != district_id for p in priorities):
        errors["priorities"] = gettext("The priorities must be of the report's district.")
    if any(p.district_id not in (None, district_id) for p in practices):
        errors["practices"] = gettext("The practices must be published ones or the district's own.")
    if any(c.district_id != district_id for c in cycles):
        errors["cycles"] = gettext("The cycles must be of the report's district.")
    if errors:
        raise ValidationError(errors)


def _set_links(rec: Recommendation, *, priorities, practices, cycles) -> None:
    if priorities is not None:
        rec.priorities.set(priorities)
    if practices is not None:
        rec.practices.set(practices)
    if cycles is not None:
        rec.cycles.set(cycles)


def recommendation_add(*, finding: Finding, priorities=(), practices=(), cycles=(), **fields) -> Recommendation:
    """A recommendation at the end of the finding, with what carries it out."""
    rec = Recommendation(finding=finding, order=finding.recommendations.count() + 1)
    _set_fields(rec, fields, RECOMMENDATION_FIELDS)
    priorities, practices, cycles = list(priorities), list(practices), list(cycles)
    _check_links(finding.report.district_id, priorities=priorities, practices=practices, cycles=cycles)
    rec.full_clean()
    with transaction.atomic():
        rec.save()
        _set_links(rec, priorities=priorities, practices=practices, cycles=cycles)
    return rec


def recommendation_update(
    *, recommendation: Recommendation, priorities=None, practices=None, cycles=None, **fields
) -> Recommendation:
    """Record uptake, implementation and factors, or change the words; a link list left out (None)
    keeps what the recommendation has."""
    rec = recommendation
    _set_fields(rec, fields, RECOMMENDATION_FIELDS)
    links = {
        "priorities": list(priorities) if priorities is not None else None,
        "practices": list(practices) if practices is not None else None,
        "cycles": list(cycles) if cycles is not None else None,
    }
    _check_links(rec.finding.report.district_id, **{k: v or () for k, v in links.items()})
    rec.full_clean()
    with transaction.atomic():
        rec.save()
        _set_links(rec, **links)
    return rec


def recommendation_delete(*, recommendation: Recommendation) -> None:
    recommendation.delete()

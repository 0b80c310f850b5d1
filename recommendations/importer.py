"""Import recommendations from a CSV into a district's feedback report of one school year (seed 003).

All or nothing: every row is checked first (the header is line 1); any problem means nothing is
written and every problem is reported with its line. The rows go into one feedback report per
district and school year: the latest report of that year, or a new "Imported feedback report
YYYY–YY". Findings are matched by text within that report, recommendations by finding and text,
so importing the same file again creates nothing new (matched rows are updated in place).

Columns (any order, case-insensitive; extra columns are ignored): finding, recommendation, area
(its short name or its label, as people write them: "teacher PD", "Teacher collaboration",
"supports for struggling students"; case, spaces and punctuation do not matter), uptake (complete /
partial / none / empty = not yet known), implementation (successful / partial / unsuccessful /
empty = not assessed) and the six factors (yes / no / empty = unknown). The factor columns may be
left out: a missing column means unknown for a new recommendation, and leaves a known value alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from districts import csvread
from districts.csvread import RowError, Tally
from districts.models import District

from .models import (
    FACTORS,
    FeedbackReport,
    Finding,
    Implementation,
    Recommendation,
    RecommendationArea,
    Uptake,
)

COLUMNS = ("finding", "recommendation", "area", "uptake", "implementation", *FACTORS)
REQUIRED = COLUMNS[:5]
UPTAKE_VALUES = {"complete": Uptake.COMPLETE, "partial": Uptake.PARTIAL, "none": Uptake.NONE, "": Uptake.UNKNOWN}
IMPLEMENTATION_VALUES = {
    "successful": Implementation.SUCCESSFUL,
    "partial": Implementation.PARTIAL,
    "unsuccessful": Implementation.UNSUCCESSFUL,
    "": Implementation.NOT_ASSESSED,
}
FACTOR_VALUES = {"yes": "yes", "no": "no", "": ""}


def name_key(text: str) -> str:
    """'Teacher PD', 'teacher_pd' and 'teacher-pd.' all read as 'teacherpd'."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def area_values() -> dict[str, str]:
    """An area is given by its short name (teacher_pd, "teacher PD") or its label ("Teacher professional
    development", or the label in the language of the page), in any case, spacing and punctuation."""
    values: dict[str, str] = {}
    for language in ("en", translation.get_language() or "en"):
        with translation.override(language):
            values.update({name_key(str(label)): value for value, label in RecommendationArea.choices})
    return {**values, **{name_key(value): value for value in RecommendationArea.values}}


MAX_BYTES = 5 * 1024 * 1024

_YEAR = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$")


def parse_school_year(text: str) -> int:
    """'2025-26' (or 2025–26, 2025-2026) → 2025. ValueError when the two years do not follow each other."""
    match = _YEAR.match(text or "")
    if not match:
        raise ValueError(f"“{text}” is not a school year; write it as 2025-26.")
    start, end = int(match[1]), match[2]
    expected = str(start + 1)[-len(end) :]
    if end != expected:
        raise ValueError(f"“{text}” is not a school year: {start} is followed by {start + 1}.")
    return start


def year_label(year: int) -> str:
    return f"{year}–{str(year + 1)[2:]}"


# --- results --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    report: FeedbackReport | None = None
    report_created: bool = False
    findings: Tally = field(default_factory=Tally)
    recommendations: Tally = field(default_factory=Tally)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            return f"{len(self.errors)} row(s) have errors; nothing was imported."
        head = "Dry run: nothing was saved." if self.dry_run else "Recommendations imported."
        report = f"Report: “{self.report}” ({'new' if self.report_created else 'existing'})."
        return "\n".join([head, report, f"Findings: {self.findings}", f"Recommendations: {self.recommendations}"])


@dataclass(frozen=True)
class Row:
    line: int
    finding: str
    recommendation: str
    values: dict[str, str]  # area, uptake, implementation and the factors, as model values


# --- entry point ----------------------------------------------------------------------------


def import_recommendations(
    *, district: District, school_year: int, data: bytes | str, dry_run: bool = False
) -> ImportResult:
    rows, errors = parse(data)
    if errors:
        return ImportResult(dry_run=dry_run, errors=errors)
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        _write(district, school_year, rows, result)
        if dry_run:
            transaction.set_rollback(True)
    return result


# --- reading --------------------------------------------------------------------------------


def parse(data: bytes | str) -> tuple[list[Row], list[RowError]]:
    """Every row checked and mapped to model values; or every problem found."""
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    areas = area_values()
    try:
        for line, cells in csvread.rows(data, required=REQUIRED, optional=FACTORS, max_bytes=MAX_BYTES):
            row, problems = _check(line, cells, areas)
            if row is not None:
                key = (row.finding, row.recommendation)
                if key in seen:
                    problems.append(gettext("same finding and recommendation as line %(line)s") % {"line": seen[key]})
                seen.setdefault(key, line)
            if problems:
                errors.append(RowError("", line, "; ".join(problems)))
            elif row is not None:
                rows.append(row)
    except csvread.Unreadable as exc:
        return [], [*errors, RowError("", exc.line, exc.reason)]
    if not errors and not rows:
        errors.append(RowError("", None, gettext("The file has a header but no rows.")))
    return rows, errors


def _check(line: int, cells: dict[str, str], areas: dict[str, str]) -> tuple[Row | None, list[str]]:
    problems: list[str] = []
    finding, text = cells["finding"], cells["recommendation"]
    if not finding:
        problems.append(gettext("finding is empty"))
    if not text:
        problems.append(gettext("recommendation is empty"))

    def pick(column: str, allowed: dict[str, str]) -> str:
        raw = cells[column]
        value = allowed.get(raw.lower())
        if value is None:
            problems.append(gettext("unknown %(column)s '%(value)s'") % {"column": column, "value": raw})
            return ""
        return value

    area_raw = cells["area"]
    area = areas.get(name_key(area_raw))
    if not area_raw:
        problems.append(gettext("area is empty"))
    elif area is None:
        problems.append(gettext("unknown %(column)s '%(value)s'") % {"column": "area", "value": area_raw})
    uptake = pick("uptake", UPTAKE_VALUES)
    implementation = pick("implementation", IMPLEMENTATION_VALUES)
    if implementation and cells["uptake"].lower() in UPTAKE_VALUES and uptake not in (Uptake.COMPLETE, Uptake.PARTIAL):
        problems.append(
            gettext("implementation given but uptake is %(uptake)s") % {"uptake": uptake or gettext("empty")}
        )
    factors = {name: pick(name, FACTOR_VALUES) for name in FACTORS if name in cells}  # a missing column: unknown
    row = None
    if finding and text:
        values = {"area": area or "", "uptake": uptake, "implementation": implementation, **factors}
        row = Row(line=line, finding=finding, recommendation=text, values=values)
    return row, problems


# --- writing --------------------------------------------------------------------------------


def _write(district: District, school_year: int, rows: list[Row], result: ImportResult) -> None:
    report = (
        FeedbackReport.objects.select_for_update()
        .filter(district=district, school_year=school_year)
        .order_by("-created_at", "-pk")
        .first()
    )
    if report is None:
        report = FeedbackReport.objects.create(
            district=district,
            school_year=school_year,
            title=gettext("Imported feedback report %(year)s") % {"year": year_label(school_year)},
        )
        result.report_created = True
    result.report = report

    findings: dict[str, Finding] = {}
    for f in report.findings.order_by("order", "pk"):
        findings.setdefault(f.text.strip(), f)
    next_finding = max((f.order for f in findings.values()), default=0) + 1
    recs: dict[tuple[int, str], Recommendation] = {}
    for r in Recommendation.objects.filter(finding__report=report).order_by("order", "pk"):
        recs.setdefault((r.finding_id, r.text.strip()), r)
    next_rec: dict[int, int] = {}
    counted: set[int] = set()

    for row in rows:
        finding = findings.get(row.finding)
        if finding is None:
            finding = Finding.objects.create(report=report, text=row.finding, order=next_finding)
            next_finding += 1
            findings[row.finding] = finding
            result.findings.created += 1
            counted.add(finding.pk)
        elif finding.pk not in counted:
            result.findings.unchanged += 1
            counted.add(finding.pk)

        rec = recs.get((finding.pk, row.recommendation))
        if rec is None:
            if finding.pk not in next_rec:
                last = finding.recommendations.order_by("-order").values_list("order", flat=True).first()
                next_rec[finding.pk] = (last or 0) + 1
            rec = Recommendation.objects.create(
                finding=finding, text=row.recommendation, order=next_rec[finding.pk], **row.values
            )
            next_rec[finding.pk] += 1
            recs[(finding.pk, row.recommendation)] = rec
            result.recommendations.created += 1
            continue
        changed = [name for name, value in row.values.items() if getattr(rec, name) != value]
        if changed:
            for name in changed:
                setattr(rec, name, row.values[name])
            rec.save(update_fields=changed)
            result.recommendations.updated += 1
        else:
            result.recommendations.unchanged += 1

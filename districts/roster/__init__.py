"""Roster import: schools, teachers and classrooms from a simple CSV or a OneRoster 1.1 CSV bundle.

Two phases. `parse_roster` reads and checks every row of every file into a plan (no database);
`apply_plan` writes the plan in one transaction, matching what already exists so that a second
import of the same files changes nothing. Any bad row, in either phase, means nothing is written.

Student records in a OneRoster bundle are skipped as they are read: they are never checked,
kept in memory, echoed in an error, or stored. Only their count is reported.

The import adds and updates; it never removes or deactivates anyone missing from a file
(a partial export must not lock teachers out).

Modules: `files` (uploads, zip bundles, CSV reading through districts.csvread), `simple` and
`oneroster` (the two formats, each into a `plan.RosterPlan`), `apply` (the writes).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from ..csvread import RowError, Tally
from ..models import District
from .apply import apply_plan
from .files import MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS, expand
from .oneroster import ONEROSTER_FILES, ONEROSTER_IGNORED, parse_oneroster
from .plan import ClassroomRow, RosterPlan, RosterResult, SchoolRow, TeacherRow
from .simple import SIMPLE_COLUMNS, parse_simple

__all__ = [
    "MAX_UNZIPPED_BYTES",
    "MAX_ZIP_MEMBERS",
    "ONEROSTER_FILES",
    "ONEROSTER_IGNORED",
    "SIMPLE_COLUMNS",
    "ClassroomRow",
    "RosterPlan",
    "RosterResult",
    "RowError",
    "SchoolRow",
    "Tally",
    "TeacherRow",
    "apply_plan",
    "import_roster",
    "parse_roster",
]


def import_roster(
    *, district: District, files: Mapping[str, bytes | str], school_year: int, dry_run: bool = False
) -> RosterResult:
    """Check every row of `files` (name → content; .zip files are opened), then write all or nothing."""
    plan, errors = parse_roster(files)
    if errors:
        return RosterResult(format=plan.format, dry_run=dry_run, errors=errors)
    return apply_plan(district=district, plan=plan, school_year=school_year, dry_run=dry_run)


def parse_roster(files: Mapping[str, bytes | str]) -> tuple[RosterPlan, list[RowError]]:
    errors: list[RowError] = []
    tables = expand(files, errors)
    if errors:
        return RosterPlan(), errors
    if not tables:
        return RosterPlan(), [RowError("(upload)", None, gettext("No CSV file was given."))]

    names = {name.lower() for name in tables}
    if names & set(ONEROSTER_FILES):
        return parse_oneroster(tables)
    return parse_simple(tables)

"""What a roster says once read and checked (`RosterPlan`), what an import did (`RosterResult`), and the
row checks the simple and OneRoster readers share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, ngettext

from ..csvread import RowError, Tally

# Model field lengths, checked while parsing so the error names the row.
MAX_LENGTH = {"school": 200, "classroom": 200, "teacher_name": 150, "grade": 20, "period": 20, "id": 100, "email": 254}

Origin = tuple[str, int]  # (file name, line as a spreadsheet shows it; the header is line 1)


@dataclass
class SchoolRow:
    key: str  # sourcedId (OneRoster) or the folded name (simple CSV)
    name: str
    external_id: str
    origin: Origin


@dataclass
class TeacherRow:
    email: str
    full_name: str
    school_keys: list[str]
    origin: Origin


@dataclass
class ClassroomRow:
    school_key: str
    teacher_email: str
    name: str
    grade: str
    period: str
    external_id: str
    origin: Origin
    students: int | None = None  # the simple CSV's optional column; None leaves the classroom's as it is


@dataclass
class RosterPlan:
    """What a roster says, checked and normalised. Holds no student data, so it may be kept in a session."""

    format: str = ""  # "simple" or "oneroster"
    schools: list[SchoolRow] = field(default_factory=list)
    teachers: list[TeacherRow] = field(default_factory=list)
    classrooms: list[ClassroomRow] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # rows not imported, by kind
    warnings: list[str] = field(default_factory=list)

    def to_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: Mapping) -> RosterPlan:
        return cls(
            format=data["format"],
            schools=[SchoolRow(**{**r, "origin": tuple(r["origin"])}) for r in data["schools"]],
            teachers=[TeacherRow(**{**r, "origin": tuple(r["origin"])}) for r in data["teachers"]],
            classrooms=[ClassroomRow(**{**r, "origin": tuple(r["origin"])}) for r in data["classrooms"]],
            skipped=dict(data["skipped"]),
            warnings=list(data["warnings"]),
        )


@dataclass
class RosterResult:
    format: str = ""
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    schools: Tally = field(default_factory=Tally)
    teachers: Tally = field(default_factory=Tally)
    memberships: Tally = field(default_factory=Tally)
    classrooms: Tally = field(default_factory=Tally)
    plan: RosterPlan | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for _, t in self.tallies())

    def tallies(self) -> list[tuple[str, Tally]]:
        return [
            (gettext("Schools"), self.schools),
            (gettext("Teachers"), self.teachers),
            (gettext("Teacher roles"), self.memberships),
            (gettext("Classrooms"), self.classrooms),
        ]

    def skipped_lines(self) -> list[str]:
        """'30 student rows', in the reader's language (the kinds stay English keys in `skipped`)."""
        return [
            ngettext("%(count)s %(kind)s row", "%(count)s %(kind)s rows", count)
            % {"count": count, "kind": skipped_kind(kind)}
            for kind, count in self.skipped.items()
        ]

    def summary(self) -> str:
        if not self.ok:
            return f"{len(self.errors)} row(s) have errors; nothing was imported."
        head = "Dry run: nothing was saved." if self.dry_run else "Roster imported."
        lines = [head] + [f"{label}: {tally}" for label, tally in self.tallies()]
        lines += [f"Ignored {count} {kind} row(s)." for kind, count in sorted(self.skipped.items())]
        lines += self.warnings
        return "\n".join(lines)


# --- row checks -----------------------------------------------------------------------------


def bad_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return True
    return len(value) > MAX_LENGTH["email"]


def too_long(label: str, value: str, limit: int) -> str | None:
    if len(value) <= limit:
        return None
    return gettext("%(column)s is longer than %(limit)s characters") % {"column": label, "limit": limit}


def is_empty(column: str) -> str:
    return gettext("%(column)s is empty") % {"column": column}


def skipped_kind(kind: str) -> str:
    """A kind of skipped row as the reader says it; a OneRoster role not listed stays as the file spells it."""
    kinds = {
        "student": gettext("student"),
        "parent": gettext("parent"),
        "guardian": gettext("guardian"),
        "relative": gettext("relative"),
        "aide": gettext("aide"),
        "administrator": gettext("administrator"),
        "proctor": gettext("proctor"),
        "deleted teacher": gettext("deleted teacher"),
        "teacher without a school or class": gettext("teacher without a school or class"),
        "class without a teacher": gettext("class without a teacher"),
    }
    if kind.endswith(" enrollment"):
        role = kind.removesuffix(" enrollment")
        return gettext("%(role)s enrollment") % {"role": kinds.get(role, role)}
    return kinds.get(kind, kind)


def split(value: str) -> list[str]:
    """A comma-separated OneRoster list (grades, periods, orgSourcedIds)."""
    return [part.strip() for part in value.split(",") if part.strip()]


def report(errors: list[RowError], name: str, line: int, problems: list[str | None]) -> bool:
    """Add one error for the row, naming all its problems; True when there were any."""
    text = "; ".join(p for p in problems if p)
    if text:
        errors.append(RowError(name, line, text[0].upper() + text[1:] + "."))
    return bool(text)

"""Roster import: schools, teachers and classrooms from a simple CSV or a OneRoster 1.1 CSV bundle.

Two phases. `parse_roster` reads and checks every row of every file into a plan (no database);
`apply_plan` writes the plan in one transaction, matching what already exists so that a second
import of the same files changes nothing. Any bad row, in either phase, means nothing is written.

Student records in a OneRoster bundle are skipped as they are read: they are never checked,
kept in memory, echoed in an error, or stored. Only their count is reported.

The import adds and updates; it never removes or deactivates anyone missing from a file
(a partial export must not lock teachers out).
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Classroom, District, Membership, Role, School, User

SIMPLE_COLUMNS = ("school", "teacher_email", "teacher_name", "classroom", "grade", "period")
ONEROSTER_FILES = ("orgs.csv", "users.csv", "classes.csv", "enrollments.csv")
# Files of a OneRoster bundle we do not read. demographics.csv is student data: never opened.
ONEROSTER_IGNORED = ("manifest.csv", "academicsessions.csv", "courses.csv", "demographics.csv")

MAX_ZIP_MEMBERS = 50
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a 100 MB bundle is a very large district; more is a zip bomb

# Model field lengths, checked while parsing so the error names the row.
_MAX = {"school": 200, "classroom": 200, "teacher_name": 150, "grade": 20, "period": 20, "id": 100, "email": 254}

Origin = tuple[str, int]  # (file name, line as a spreadsheet shows it; the header is line 1)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    file: str
    line: int | None  # None: the file as a whole (missing, unreadable)
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


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
            ("Schools", self.schools),
            ("Teachers", self.teachers),
            ("Teacher roles", self.memberships),
            ("Classrooms", self.classrooms),
        ]

    def summary(self) -> str:
        if not self.ok:
            return f"{len(self.errors)} row(s) have errors; nothing was imported."
        head = "Dry run: nothing was saved." if self.dry_run else "Roster imported."
        lines = [head] + [f"{label}: {tally}" for label, tally in self.tallies()]
        lines += [f"Ignored {count} {kind} row(s)." for kind, count in sorted(self.skipped.items())]
        lines += self.warnings
        return "\n".join(lines)


# --- entry points ---------------------------------------------------------------------------


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
    tables = _expand(files, errors)
    if errors:
        return RosterPlan(), errors
    if not tables:
        return RosterPlan(), [RowError("(upload)", None, "No CSV file was given.")]
    names = {name.lower() for name in tables}
    if names & set(ONEROSTER_FILES):
        return _parse_oneroster(tables)
    return _parse_simple(tables)


def apply_plan(*, district: District, plan: RosterPlan, school_year: int, dry_run: bool = False) -> RosterResult:
    """Write a checked plan in one transaction; roll back on any error, or at the end of a dry run."""
    result = RosterResult(
        format=plan.format, dry_run=dry_run, warnings=list(plan.warnings), skipped=dict(plan.skipped), plan=plan
    )
    try:
        with transaction.atomic():
            _Writer(district=district, school_year=school_year, result=result).write(plan)
            if result.errors:
                raise _Rollback
            if dry_run:
                transaction.set_rollback(True)
    except _Rollback:
        pass
    return result


class _Rollback(Exception):
    pass


# --- reading files --------------------------------------------------------------------------


def _expand(files: Mapping[str, bytes | str], errors: list[RowError]) -> dict[str, bytes | str]:
    """Flatten uploads into {base name: content}, opening .zip files."""
    out: dict[str, bytes | str] = {}

    def add(name: str, content: bytes | str) -> None:
        base = posixpath.basename(name.replace("\\", "/"))
        if base in out:
            errors.append(RowError(base, None, "This file name appears twice in the upload."))
        out[base] = content

    for name, content in files.items():
        if name.lower().endswith(".zip"):
            _unzip(name, content, add, errors)
        else:
            add(name, content)
    return out


def _unzip(name: str, content: bytes | str, add, errors: list[RowError]) -> None:
    if isinstance(content, str):
        errors.append(RowError(name, None, "Not a zip file."))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not posixpath.basename(info.filename).startswith(".")
        ]
        if len(members) > MAX_ZIP_MEMBERS or sum(i.file_size for i in members) > MAX_UNZIPPED_BYTES:
            errors.append(RowError(name, None, "The zip file is too large to be a roster."))
            return
        for info in members:
            member = posixpath.basename(info.filename)
            if member.lower() == "demographics.csv":
                continue  # student data: never read
            add(member, archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        errors.append(RowError(name, None, f"Could not open the zip file ({exc})."))


def _decode(content: bytes | str) -> str | None:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):  # CSV UTF-8, then what Excel on Windows saves
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_table(
    name: str, content: bytes | str, required: Iterable[str], optional: Iterable[str], errors: list[RowError]
) -> list[tuple[int, dict[str, str]]] | None:
    """Rows as (line, {column: stripped value}); None (and an error) when the file cannot be used.

    Line numbers count records, as a spreadsheet numbers rows: the header is 1, blank rows count.
    """
    text = _decode(content)
    if text is None:
        errors.append(RowError(name, None, "Not a text file; save it as “CSV UTF-8”."))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0  # the last record read
    try:
        header = next(reader, None)
        line = 1
        if not header:
            errors.append(RowError(name, 1, "The file is empty (no header row)."))
            return None
        positions = {col.strip().lower(): i for i, col in enumerate(header)}
        required = list(required)
        missing = [col for col in required if col.lower() not in positions]
        if missing:
            errors.append(RowError(name, 1, f"Missing column(s): {', '.join(missing)}."))
            return None
        wanted = {col: positions[col.lower()] for col in [*required, *optional] if col.lower() in positions}
        rows = []
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if any("\x00" in cell for cell in record):
                # PostgreSQL stores no NUL character: a row error, not a failed save.
                errors.append(RowError(name, line, "Contains a NUL character; the file may be damaged."))
                continue
            rows.append((line, {col: record[i].strip() if i < len(record) else "" for col, i in wanted.items()}))
        return rows
    except csv.Error as exc:
        errors.append(RowError(name, line + 1, f"Unreadable CSV ({exc})."))
        return None


def _bad_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return True
    return len(value) > _MAX["email"]


def _too_long(label: str, value: str, limit: int) -> str | None:
    return f"{label} is longer than {limit} characters" if len(value) > limit else None


# --- simple CSV -----------------------------------------------------------------------------


def _parse_simple(tables: Mapping[str, bytes | str]) -> tuple[RosterPlan, list[RowError]]:
    plan = RosterPlan(format="simple")
    errors: list[RowError] = []
    schools: dict[str, SchoolRow] = {}
    teachers: dict[str, TeacherRow] = {}
    classrooms: dict[tuple[str, str, str], ClassroomRow] = {}
    for name, content in tables.items():
        rows = _read_table(name, content, SIMPLE_COLUMNS, (), errors)
        for line, row in rows or ():
            origin = (name, line)
            email = row["teacher_email"].lower()
            problems = [
                f"{col} is empty" for col in ("school", "teacher_email", "teacher_name", "classroom") if not row[col]
            ]
            if email and _bad_email(email):
                problems.append(f"teacher_email “{row['teacher_email']}” is not a valid email address")
            for col, limit in (
                ("school", 200),
                ("teacher_name", 150),
                ("classroom", 200),
                ("grade", 20),
                ("period", 20),
            ):
                problems.append(_too_long(col, row[col], limit))
            teacher = teachers.get(email)
            if teacher and row["teacher_name"] and teacher.full_name != row["teacher_name"]:
                problems.append(
                    f"teacher_name “{row['teacher_name']}” differs from “{teacher.full_name}” "
                    f"on line {teacher.origin[1]} for the same email"
                )
            key = (row["school"].casefold(), email, row["classroom"].casefold())
            if key in classrooms:
                problems.append(f"repeats the classroom on line {classrooms[key].origin[1]}")
            if _report(errors, name, line, problems):
                continue
            school_key = row["school"].casefold()
            schools.setdefault(school_key, SchoolRow(school_key, row["school"], "", origin))
            teacher = teachers.setdefault(email, TeacherRow(email, row["teacher_name"], [], origin))
            if school_key not in teacher.school_keys:
                teacher.school_keys.append(school_key)
            classrooms[key] = ClassroomRow(school_key, email, row["classroom"], row["grade"], row["period"], "", origin)
    plan.schools = list(schools.values())
    plan.teachers = list(teachers.values())
    plan.classrooms = list(classrooms.values())
    return plan, errors


# --- OneRoster 1.1 --------------------------------------------------------------------------


def _parse_oneroster(tables: Mapping[str, bytes | str]) -> tuple[RosterPlan, list[RowError]]:
    plan = RosterPlan(format="oneroster")
    errors: list[RowError] = []
    by_name = {name.lower(): name for name in tables}
    for expected in ONEROSTER_FILES:
        if expected not in by_name:
            errors.append(RowError(expected, None, "Missing from the OneRoster bundle."))
    for lower, name in by_name.items():
        if lower not in ONEROSTER_FILES and lower not in ONEROSTER_IGNORED:
            errors.append(RowError(name, None, "Not a OneRoster 1.1 file; upload either a bundle or a simple CSV."))
    if errors:
        return plan, errors

    def table(file: str, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        name = by_name[file]
        return name, _read_table(name, tables[name], required, optional, errors)

    # orgs.csv: schools; other org types (district, department…) are only remembered as known ids.
    # Ids of rejected rows: rows that refer to them are not reported again (the cause already is).
    rejected: set[tuple[str, str]] = set()
    schools: dict[str, SchoolRow] = {}
    other_orgs: dict[str, str] = {}
    name, rows = table("orgs.csv", ("sourcedId", "name", "type"))
    for line, row in rows or ():
        sid, kind = row["sourcedId"], row["type"].lower()
        problems = [f"{col} is empty" for col in ("sourcedId", "type") if not row[col]]
        if sid in schools or sid in other_orgs:
            problems.append(f"sourcedId “{sid}” is used twice")
        if kind == "school":
            problems += ["name is empty" if not row["name"] else None, _too_long("name", row["name"], 200)]
        problems += [_too_long("sourcedId", sid, _MAX["id"])]
        if _report(errors, name, line, problems):
            rejected.add(("org", sid))
            continue
        if kind == "school":
            schools[sid] = SchoolRow(sid, row["name"], sid, (name, line))
        else:
            other_orgs[sid] = kind

    # users.csv: teachers only. Any other role is counted and dropped before it is looked at.
    teachers: dict[str, TeacherRow] = {}
    by_email: dict[str, TeacherRow] = {}
    deleted: set[str] = set()
    name, rows = table(
        "users.csv", ("sourcedId", "role", "email", "givenName", "familyName"), ("orgSourcedIds", "status")
    )
    for line, row in rows or ():
        role = row["role"].lower()
        if role != "teacher":
            if not role:
                errors.append(RowError(name, line, "Role is empty."))
            else:
                plan.skipped[role] = plan.skipped.get(role, 0) + 1
            continue
        sid, email = row["sourcedId"], row["email"].lower()
        if row.get("status", "").lower() == "tobedeleted":
            deleted.add(sid)
            plan.skipped["deleted teacher"] = plan.skipped.get("deleted teacher", 0) + 1
            continue
        full_name = " ".join(part for part in (row["givenName"], row["familyName"]) if part)
        problems = [f"{col} is empty" for col in ("sourcedId", "email") if not row[col]]
        if not full_name:
            problems.append("givenName and familyName are empty")
        if email and _bad_email(email):
            problems.append(f"email “{row['email']}” is not a valid email address")
        if sid in teachers:
            problems.append(f"sourcedId “{sid}” is used twice")
        if email in by_email:
            problems.append(f"email is also used on line {by_email[email].origin[1]}")
        problems.append(_too_long("name", full_name, _MAX["teacher_name"]))
        school_keys = []
        for org in _split(row.get("orgSourcedIds", "")):
            if org in schools:
                school_keys.append(org)
            elif org not in other_orgs and ("org", org) not in rejected:
                problems.append(f"unknown org sourcedId “{org}” in orgSourcedIds")
        if _report(errors, name, line, problems):
            rejected.add(("user", sid))
            continue
        teachers[sid] = by_email[email] = TeacherRow(email, full_name, school_keys, (name, line))

    # classes.csv
    classes: dict[str, ClassroomRow] = {}
    name, rows = table("classes.csv", ("sourcedId", "title", "grades", "periods", "schoolSourcedId"))
    for line, row in rows or ():
        sid, school = row["sourcedId"], row["schoolSourcedId"]
        grades, periods = ", ".join(_split(row["grades"])), ", ".join(_split(row["periods"]))
        problems = [f"{col} is empty" for col in ("sourcedId", "title", "schoolSourcedId") if not row[col]]
        if sid in classes:
            problems.append(f"sourcedId “{sid}” is used twice")
        if school in other_orgs:
            problems.append(f"schoolSourcedId “{school}” is a {other_orgs[school]}, not a school")
        elif school and school not in schools and ("org", school) not in rejected:
            problems.append(f"unknown school sourcedId “{school}”")
        problems += [
            _too_long("sourcedId", sid, _MAX["id"]),
            _too_long("title", row["title"], _MAX["classroom"]),
            _too_long("grades", grades, _MAX["grade"]),
            _too_long("periods", periods, _MAX["period"]),
        ]
        if _report(errors, name, line, problems) or school not in schools:
            rejected.add(("class", sid))
            continue
        classes[sid] = ClassroomRow(school, "", row["title"], grades, periods, sid, (name, line))

    # enrollments.csv: teacher enrollments only; student rows are counted and dropped unread.
    class_teachers: dict[str, list[tuple[bool, TeacherRow]]] = {}
    name, rows = table("enrollments.csv", ("classSourcedId", "userSourcedId", "role"), ("primary", "status"))
    for line, row in rows or ():
        role = row["role"].lower()
        if role != "teacher":
            if not role:
                errors.append(RowError(name, line, "Role is empty."))
            else:
                plan.skipped[f"{role} enrollment"] = plan.skipped.get(f"{role} enrollment", 0) + 1
            continue
        class_id, user_id = row["classSourcedId"], row["userSourcedId"]
        if user_id in deleted or row.get("status", "").lower() == "tobedeleted":
            continue
        problems = []
        if class_id not in classes and ("class", class_id) not in rejected:
            problems.append(f"unknown class sourcedId “{class_id}”" if class_id else "classSourcedId is empty")
        if user_id not in teachers and ("user", user_id) not in rejected:
            problems.append(f"unknown teacher sourcedId “{user_id}”" if user_id else "userSourcedId is empty")
        if _report(errors, name, line, problems) or class_id not in classes or user_id not in teachers:
            continue
        enrolled = class_teachers.setdefault(class_id, [])
        if all(t is not teachers[user_id] for _, t in enrolled):
            enrolled.append((row.get("primary", "").lower() == "true", teachers[user_id]))

    if errors:
        return plan, errors
    _join_oneroster(plan, schools, teachers, classes, class_teachers, errors)
    return plan, errors


def _join_oneroster(plan, schools, teachers, classes, class_teachers, errors) -> None:
    """Give each class its (primary, else first) teacher, and each teacher the schools they teach at."""
    shared = without_teacher = 0
    taken: dict[tuple[str, str, str], ClassroomRow] = {}
    for class_id, room in classes.items():
        enrolled = class_teachers.get(class_id)
        if not enrolled:
            without_teacher += 1
            continue
        primary = next((t for is_primary, t in enrolled if is_primary), enrolled[0][1])
        shared += len(enrolled) > 1
        for _, teacher in enrolled:
            if room.school_key not in teacher.school_keys:
                teacher.school_keys.append(room.school_key)
        room.teacher_email = primary.email
        # Two sections with the same title for one teacher: tell them apart by period, else by id.
        key = (room.school_key, room.teacher_email, room.name.casefold())
        if key in taken:
            room.name = f"{room.name} (period {room.period})" if room.period else f"{room.name} ({class_id})"
            key = (room.school_key, room.teacher_email, room.name.casefold())
        if key in taken or len(room.name) > _MAX["classroom"]:
            errors.append(
                RowError(
                    room.origin[0],
                    room.origin[1],
                    f"Same title, teacher and period as the class on line {taken[key].origin[1]}."
                    if key in taken
                    else "Title is too long to tell this class apart from another with the same title.",
                )
            )
            continue
        taken[key] = room
    placed = [t for t in teachers.values() if t.school_keys]
    plan.schools = list(schools.values())
    plan.teachers = placed
    plan.classrooms = list(taken.values())
    if len(placed) < len(teachers):
        plan.skipped["teacher without a school or class"] = len(teachers) - len(placed)
    if without_teacher:
        plan.skipped["class without a teacher"] = without_teacher
    if shared:
        plan.warnings.append(
            f"{shared} class(es) have more than one teacher; each classroom goes to its primary (else first) "
            "teacher, and every teacher gets a role at the school."
        )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _report(errors: list[RowError], name: str, line: int, problems: list[str | None]) -> bool:
    """Add one error for the row, naming all its problems; True when there were any."""
    text = "; ".join(p for p in problems if p)
    if text:
        errors.append(RowError(name, line, text[0].upper() + text[1:] + "."))
    return bool(text)


# --- writing --------------------------------------------------------------------------------


class _Writer:
    """Applies a plan: match by external id, then by name/email; save only what changed."""

    def __init__(self, *, district: District, school_year: int, result: RosterResult):
        self.district = district
        self.school_year = school_year
        self.result = result
        self.schools: dict[str, School] = {}
        self.teachers: dict[str, User] = {}

    def write(self, plan: RosterPlan) -> None:
        self._schools(plan.schools)
        self._teachers(plan.teachers)
        self._classrooms(plan.classrooms)

    def _save(self, obj, origin: Origin, tally: Tally, created: bool) -> bool:
        try:
            obj.full_clean()
        except ValidationError as exc:
            self.result.errors.append(RowError(origin[0], origin[1], " ".join(exc.messages)))
            return False
        obj.save()
        tally.created += created
        tally.updated += not created
        return True

    def _schools(self, rows: list[SchoolRow]) -> None:
        existing = list(School.objects.filter(district=self.district))
        by_id = {s.external_id: s for s in existing if s.external_id}
        by_name = {s.name.casefold(): s for s in existing}
        for row in rows:
            school = (by_id.get(row.external_id) if row.external_id else None) or by_name.get(row.name.casefold())
            if school is None:
                school = School(district=self.district, name=row.name, external_id=row.external_id)
                created = True
            else:
                created = False
                changed = _assign(
                    school, name=row.name, **({"external_id": row.external_id} if row.external_id else {})
                )
                if not changed:
                    self.result.schools.unchanged += 1
                    self.schools[row.key] = school
                    continue
            if self._save(school, row.origin, self.result.schools, created):
                self.schools[row.key] = school

    def _teachers(self, rows: list[TeacherRow]) -> None:
        existing = {u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in rows])}
        # Accounts that also hold roles elsewhere (or are staff) keep their name: one district's
        # roster must not rename a person another district manages.
        elsewhere = set(
            Membership.objects.filter(user__in=existing.values())
            .exclude(district=self.district)
            .values_list("user_id", flat=True)
        )
        for row in rows:
            user = existing.get(row.email)
            if user is None:
                user = User(email=row.email, full_name=row.full_name)
                user.set_unusable_password()
                if not self._save(user, row.origin, self.result.teachers, created=True):
                    continue
            elif user.full_name != row.full_name and not (user.pk in elsewhere or user.is_staff or user.is_superuser):
                user.full_name = row.full_name
                if not self._save(user, row.origin, self.result.teachers, created=False):
                    continue
            else:
                if user.full_name != row.full_name:
                    self.result.warnings.append(
                        f"Kept the name of {user.email}: the account is also managed elsewhere."
                    )
                self.result.teachers.unchanged += 1
            if not user.is_active:
                self.result.warnings.append(f"{user.email} is deactivated; reactivate them on their page if needed.")
            self.teachers[row.email] = user

        held = set(
            Membership.objects.filter(
                district=self.district, role=Role.TEACHER, user__in=self.teachers.values()
            ).values_list("user_id", "school_id")
        )
        for row in rows:
            user = self.teachers.get(row.email)
            for key in row.school_keys:
                school = self.schools.get(key)
                if user is None or school is None:
                    continue  # its own error is already reported
                if (user.pk, school.pk) in held:
                    self.result.memberships.unchanged += 1
                    continue
                membership = Membership(user=user, district=self.district, school=school, role=Role.TEACHER)
                if self._save(membership, row.origin, self.result.memberships, created=True):
                    held.add((user.pk, school.pk))

    def _classrooms(self, rows: list[ClassroomRow]) -> None:
        existing = list(Classroom.objects.filter(school__district=self.district, school_year=self.school_year))
        by_id = {c.external_id: c for c in existing if c.external_id}
        by_key = {(c.school_id, c.teacher_id, c.name.casefold()): c for c in existing}
        for row in rows:
            school, teacher = self.schools.get(row.school_key), self.teachers.get(row.teacher_email)
            if school is None or teacher is None:
                continue
            key = (school.pk, teacher.pk, row.name.casefold())
            room = (by_id.get(row.external_id) if row.external_id else None) or by_key.get(key)
            # Compare ids, not related objects, so an unchanged classroom costs no query.
            fields = {"school_id": school.pk, "teacher_id": teacher.pk}
            fields |= {"name": row.name, "grade": row.grade, "period": row.period}
            if row.external_id:
                fields["external_id"] = row.external_id
            if room is None:
                room = Classroom(school_year=self.school_year, **fields)
                created = True
            elif _assign(room, **fields):
                created = False
            else:
                self.result.classrooms.unchanged += 1
                continue
            if self._save(room, row.origin, self.result.classrooms, created):
                by_key[key] = room
                if room.external_id:
                    by_id[room.external_id] = room


def _assign(obj, **values) -> bool:
    """Set changed attributes; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed

"""A OneRoster 1.1 CSV bundle: schools from orgs.csv, teachers from users.csv, classes from classes.csv,
and who teaches which class from enrollments.csv.

Student records are skipped as they are read: they are never checked, kept in memory, echoed in an
error, or stored. Only their count is reported. demographics.csv is never opened.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext

from ..csvread import RowError
from .files import read_table
from .plan import (
    MAX_LENGTH,
    ClassroomRow,
    RosterPlan,
    SchoolRow,
    TeacherRow,
    bad_email,
    is_empty,
    report,
    split,
    too_long,
)


def _used_twice(sid: str) -> str:
    return gettext("sourcedId “%(id)s” is used twice") % {"id": sid}


ONEROSTER_FILES = ("orgs.csv", "users.csv", "classes.csv", "enrollments.csv")
# Files of a OneRoster bundle we do not read. demographics.csv is student data: never opened.
ONEROSTER_IGNORED = ("manifest.csv", "academicsessions.csv", "courses.csv", "demographics.csv")


def parse_oneroster(tables: Mapping[str, bytes | str]) -> tuple[RosterPlan, list[RowError]]:
    """Read the four files in order (each refers to the ones before), then give classes their teachers."""
    bundle = _Bundle(tables)
    if bundle.files_ok():
        bundle.read_orgs()
        bundle.read_users()
        bundle.read_classes()
        bundle.read_enrollments()
        if not bundle.errors:
            bundle.join()
    return bundle.plan, bundle.errors


class _Bundle:
    """What has been read so far. `rejected` holds the ids of rejected rows: rows that refer to them
    are not reported again (the cause already is)."""

    def __init__(self, tables: Mapping[str, bytes | str]):
        self.tables = tables
        self.by_name = {name.lower(): name for name in tables}
        self.plan = RosterPlan(format="oneroster")
        self.errors: list[RowError] = []
        self.rejected: set[tuple[str, str]] = set()
        self.schools: dict[str, SchoolRow] = {}
        self.other_orgs: dict[str, str] = {}  # sourcedId → type, for orgs that are not schools
        self.teachers: dict[str, TeacherRow] = {}
        self.deleted: set[str] = set()  # teachers marked tobedeleted
        self.classes: dict[str, ClassroomRow] = {}
        self.class_teachers: dict[str, list[tuple[bool, TeacherRow]]] = {}  # class → (primary, teacher)

    def files_ok(self) -> bool:
        for expected in ONEROSTER_FILES:
            if expected not in self.by_name:
                self.errors.append(RowError(expected, None, gettext("Missing from the OneRoster bundle.")))
        for lower, name in self.by_name.items():
            if lower not in ONEROSTER_FILES and lower not in ONEROSTER_IGNORED:
                self.errors.append(
                    RowError(name, None, gettext("Not a OneRoster 1.1 file; upload either a bundle or a simple CSV."))
                )
        return not self.errors

    def _table(self, file: str, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        name = self.by_name[file]
        return name, read_table(name, self.tables[name], required, optional, self.errors) or ()

    def _skip(self, kind: str) -> None:
        self.plan.skipped[kind] = self.plan.skipped.get(kind, 0) + 1

    def _teachers_only(self, name: str, rows, *, skip_as: str) -> Iterator[tuple[int, dict[str, str]]]:
        """The teachers' rows. Other roles (students, parents…) are counted and dropped before anything
        else in them is looked at; a row without a role is an error."""
        for line, row in rows:
            role = row["role"].lower()
            if role == "teacher":
                yield line, row
            elif not role:
                self.errors.append(RowError(name, line, gettext("Role is empty.")))
            else:
                self._skip(skip_as.format(role=role))

    def read_orgs(self) -> None:
        """Schools; other org types (district, department…) are only remembered as known ids."""
        name, rows = self._table("orgs.csv", ("sourcedId", "name", "type"))
        for line, row in rows:
            sid, kind = row["sourcedId"], row["type"].lower()
            problems = [is_empty(col) for col in ("sourcedId", "type") if not row[col]]
            if sid in self.schools or sid in self.other_orgs:
                problems.append(_used_twice(sid))
            if kind == "school":
                problems += [
                    is_empty("name") if not row["name"] else None,
                    too_long("name", row["name"], MAX_LENGTH["school"]),
                ]
            problems += [too_long("sourcedId", sid, MAX_LENGTH["id"])]
            if report(self.errors, name, line, problems):
                self.rejected.add(("org", sid))
                continue
            if kind == "school":
                self.schools[sid] = SchoolRow(sid, row["name"], sid, (name, line))
            else:
                self.other_orgs[sid] = kind

    def read_users(self) -> None:
        """Teachers only. Any other role is counted and dropped before it is looked at."""
        by_email: dict[str, TeacherRow] = {}
        name, rows = self._table(
            "users.csv", ("sourcedId", "role", "email", "givenName", "familyName"), ("orgSourcedIds", "status")
        )
        for line, row in self._teachers_only(name, rows, skip_as="{role}"):
            sid, email = row["sourcedId"], row["email"].lower()
            if row.get("status", "").lower() == "tobedeleted":
                self.deleted.add(sid)
                self._skip("deleted teacher")
                continue
            full_name = " ".join(part for part in (row["givenName"], row["familyName"]) if part)
            problems = [is_empty(col) for col in ("sourcedId", "email") if not row[col]]
            if not full_name:
                problems.append(gettext("givenName and familyName are empty"))
            if email and bad_email(email):
                problems.append(
                    gettext("%(column)s “%(value)s” is not a valid email address")
                    % {"column": "email", "value": row["email"]}
                )
            if sid in self.teachers:
                problems.append(_used_twice(sid))
            if email in by_email:
                problems.append(gettext("email is also used on line %(line)s") % {"line": by_email[email].origin[1]})
            problems.append(too_long("name", full_name, MAX_LENGTH["teacher_name"]))
            school_keys = []
            for org in split(row.get("orgSourcedIds", "")):
                if org in self.schools:
                    school_keys.append(org)
                elif org not in self.other_orgs and ("org", org) not in self.rejected:
                    problems.append(gettext("unknown org sourcedId “%(id)s” in orgSourcedIds") % {"id": org})
            if report(self.errors, name, line, problems):
                self.rejected.add(("user", sid))
                continue
            self.teachers[sid] = by_email[email] = TeacherRow(email, full_name, school_keys, (name, line))

    def read_classes(self) -> None:
        name, rows = self._table("classes.csv", ("sourcedId", "title", "grades", "periods", "schoolSourcedId"))
        for line, row in rows:
            sid, school = row["sourcedId"], row["schoolSourcedId"]
            grades, periods = ", ".join(split(row["grades"])), ", ".join(split(row["periods"]))
            problems = [is_empty(col) for col in ("sourcedId", "title", "schoolSourcedId") if not row[col]]
            if sid in self.classes:
                problems.append(_used_twice(sid))
            if school in self.other_orgs:
                problems.append(
                    gettext("schoolSourcedId “%(id)s” is a %(type)s, not a school")
                    % {"id": school, "type": self.other_orgs[school]}
                )
            elif school and school not in self.schools and ("org", school) not in self.rejected:
                problems.append(gettext("unknown school sourcedId “%(id)s”") % {"id": school})
            problems += [
                too_long("sourcedId", sid, MAX_LENGTH["id"]),
                too_long("title", row["title"], MAX_LENGTH["classroom"]),
                too_long("grades", grades, MAX_LENGTH["grade"]),
                too_long("periods", periods, MAX_LENGTH["period"]),
            ]
            if report(self.errors, name, line, problems) or school not in self.schools:
                self.rejected.add(("class", sid))
                continue
            self.classes[sid] = ClassroomRow(school, "", row["title"], grades, periods, sid, (name, line))

    def read_enrollments(self) -> None:
        """Teacher enrollments only; student rows are counted and dropped unread."""
        name, rows = self._table("enrollments.csv", ("classSourcedId", "userSourcedId", "role"), ("primary", "status"))
        for line, row in self._teachers_only(name, rows, skip_as="{role} enrollment"):
            class_id, user_id = row["classSourcedId"], row["userSourcedId"]
            if user_id in self.deleted or row.get("status", "").lower() == "tobedeleted":
                continue
            problems = []
            if class_id not in self.classes and ("class", class_id) not in self.rejected:
                problems.append(
                    gettext("unknown class sourcedId “%(id)s”") % {"id": class_id}
                    if class_id
                    else is_empty("classSourcedId")
                )
            if user_id not in self.teachers and ("user", user_id) not in self.rejected:
                problems.append(
                    gettext("unknown teacher sourcedId “%(id)s”") % {"id": user_id}
                    if user_id
                    else is_empty("userSourcedId")
                )
            if (
                report(self.errors, name, line, problems)
                or class_id not in self.classes
                or user_id not in self.teachers
            ):
                continue
            teacher = self.teachers[user_id]
            enrolled = self.class_teachers.setdefault(class_id, [])
            if all(t is not teacher for _, t in enrolled):
                enrolled.append((row.get("primary", "").lower() == "true", teacher))

    def join(self) -> None:
        """Give each class its (primary, else first) teacher, and each teacher the schools they teach at."""
        plan = self.plan
        shared = without_teacher = 0
        taken: dict[tuple[str, str, str], ClassroomRow] = {}
        for class_id, room in self.classes.items():
            enrolled = self.class_teachers.get(class_id)
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
            if key in taken or len(room.name) > MAX_LENGTH["classroom"]:
                self.errors.append(
                    RowError(
                        room.origin[0],
                        room.origin[1],
                        gettext("Same title, teacher and period as the class on line %(line)s.")
                        % {"line": taken[key].origin[1]}
                        if key in taken
                        else gettext("Title is too long to tell this class apart from another with the same title."),
                    )
                )
                continue
            taken[key] = room
        placed = [t for t in self.teachers.values() if t.school_keys]
        plan.schools = list(self.schools.values())
        plan.teachers = placed
        plan.classrooms = list(taken.values())
        if len(placed) < len(self.teachers):
            plan.skipped["teacher without a school or class"] = len(self.teachers) - len(placed)
        if without_teacher:
            plan.skipped["class without a teacher"] = without_teacher
        if shared:
            plan.warnings.append(
                gettext(
                    "%(count)s class(es) have more than one teacher; each classroom goes to its primary (else first) "
                    "teacher, and every teacher gets a role at the school."
                )
                % {"count": shared}
            )

"""The simple roster CSV: one row per classroom, naming its school and teacher (columns in
SIMPLE_COLUMNS, and optionally the number of students). Schools are matched by name and teachers by email."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from ..csvread import RowError
from ..models import MAX_STUDENTS_PER_CLASS
from .files import read_table
from .plan import MAX_LENGTH, ClassroomRow, RosterPlan, SchoolRow, TeacherRow, bad_email, is_empty, report, too_long

SIMPLE_COLUMNS = ("school", "teacher_email", "teacher_name", "classroom", "grade", "period")
# Optional: how many students the classroom has (its surveys warn the teacher beyond it). Blank
# or absent leaves the number the classroom has.
SIMPLE_OPTIONAL = ("students",)


def _students(value: str) -> tuple[int | None, str | None]:
    """The optional class size: (number, None), (None, None) when blank, (None, problem) when wrong."""
    if not value:
        return None, None
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_STUDENTS_PER_CLASS:
        return None, f"students “{value[:20]}” is not a whole number from 1 to {MAX_STUDENTS_PER_CLASS}"
    return int(value), None


def parse_simple(tables: Mapping[str, bytes | str]) -> tuple[RosterPlan, list[RowError]]:
    plan = RosterPlan(format="simple")
    errors: list[RowError] = []
    schools: dict[str, SchoolRow] = {}
    teachers: dict[str, TeacherRow] = {}
    classrooms: dict[tuple[str, str, str], ClassroomRow] = {}
    for name, content in tables.items():
        rows = read_table(name, content, SIMPLE_COLUMNS, SIMPLE_OPTIONAL, errors)
        for line, row in rows or ():
            origin = (name, line)
            email = row["teacher_email"].lower()
            problems = [
                is_empty(col) for col in ("school", "teacher_email", "teacher_name", "classroom") if not row[col]
            ]
            if email and bad_email(email):
                problems.append(
                    gettext("%(column)s “%(value)s” is not a valid email address")
                    % {"column": "teacher_email", "value": row["teacher_email"]}
                )
            for col in ("school", "teacher_name", "classroom", "grade", "period"):
                problems.append(too_long(col, row[col], MAX_LENGTH[col]))
            students, problem = _students(row.get("students", ""))
            problems.append(problem)
            teacher = teachers.get(email)
            if teacher and row["teacher_name"] and teacher.full_name != row["teacher_name"]:
                problems.append(
                    gettext("teacher_name “%(name)s” differs from “%(other)s” on line %(line)s for the same email")
                    % {"name": row["teacher_name"], "other": teacher.full_name, "line": teacher.origin[1]}
                )
            key = (row["school"].casefold(), email, row["classroom"].casefold())
            if key in classrooms:
                problems.append(gettext("repeats the classroom on line %(line)s") % {"line": classrooms[key].origin[1]})

            if report(errors, name, line, problems):
                continue
            school_key = row["school"].casefold()
            schools.setdefault(school_key, SchoolRow(school_key, row["school"], "", origin))
            teacher = teachers.setdefault(email, TeacherRow(email, row["teacher_name"], [], origin))
            if school_key not in teacher.school_keys:
                teacher.school_keys.append(school_key)
            classrooms[key] = ClassroomRow(
                school_key, email, row["classroom"], row["grade"], row["period"], "", origin, students=students
            )
    plan.schools = list(schools.values())
    plan.teachers = list(teachers.values())
    plan.classrooms = list(classrooms.values())
    return plan, errors

"""Writing a checked roster plan: one transaction, matching what already exists (by external id, then
by name or email) so that a second import of the same files changes nothing. It adds and updates;
it never removes or deactivates anyone missing from a file (a partial export must not lock
teachers out)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from ..csvread import RowError, Tally
from ..models import Classroom, District, Membership, Role, School, User
from .plan import ClassroomRow, Origin, RosterPlan, RosterResult, SchoolRow, TeacherRow


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
                        gettext("Kept the name of %(email)s: the account is also managed elsewhere.")
                        % {"email": user.email}
                    )
                self.result.teachers.unchanged += 1
            if not user.is_active:
                self.result.warnings.append(
                    gettext("%(email)s is deactivated; reactivate them on their page if needed.")
                    % {"email": user.email}
                )

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
            if row.students is not None:
                fields["student_count"] = row.students
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

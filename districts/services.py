"""Writes on people: accounts, the roles they hold, coach assignments, deactivation.

Who may call these is decided in `access`; these functions keep the data consistent.
Nothing here sends email: a new person signs in after a password reset.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Classroom, CoachAssignment, District, Membership, Role, School, User

# Roles tied to one school, and roles that span the district.
SCHOOL_ROLES = {Role.PRINCIPAL}
DISTRICT_ROLES = {Role.DISTRICT_LEADER, Role.PARTNER}


def _check_role_school(*, district: District, role: str, school: School | None) -> None:
    if school is not None and school.district_id != district.pk:
        raise ValidationError({"school": _("That school is in another district.")})
    if role in SCHOOL_ROLES and school is None:
        raise ValidationError({"school": _("A %(role)s needs a school.") % {"role": Role(role).label.lower()}})
    if role in DISTRICT_ROLES and school is not None:
        raise ValidationError(
            {
                "school": _("A %(role)s serves the whole district; leave school empty.")
                % {"role": Role(role).label.lower()}
            }
        )


@transaction.atomic
def person_create(
    *, district: District, email: str, full_name: str, role: str, school: School | None = None
) -> tuple[User, bool]:
    """Add a person with one role; returns (user, created).

    An email that already has an account (say, from another district) gets the role on that
    account, whose name is left as it is.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif Membership.objects.filter(user=user, district=district).exists():
        raise ValidationError(
            {"email": _("This person already holds a role in the district; open their page instead.")}
        )
    membership_add(person=user, district=district, role=role, school=school)
    return user, created


def person_update(*, person: User, full_name: str) -> User:
    person.full_name = full_name.strip()
    person.full_clean()
    person.save(update_fields=["full_name"])
    return person


def membership_add(*, person: User, district: District, role: str, school: School | None = None) -> Membership:
    _check_role_school(district=district, role=role, school=school)
    # The unique constraint cannot see duplicates when school is NULL (NULL != NULL in SQL).
    if Membership.objects.filter(user=person, district=district, role=role, school=school).exists():
        raise ValidationError({"role": _("They already hold this role here.")})
    membership = Membership(user=person, district=district, role=role, school=school)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a role. A coach who no longer coaches in the district loses their assignments there."""
    person = membership.user
    if person.pk == actor.pk and membership.role == Role.DISTRICT_LEADER:
        raise ValidationError(_("You can't remove your own district-leader role; ask another leader."))
    others = Membership.objects.filter(user=person).exclude(pk=membership.pk)
    if not others.exists():
        # Without any role the person would vanish from every people list, still able to sign in.
        raise ValidationError(_("This is their only role. Deactivate them instead, or add another role first."))
    membership.delete()
    if membership.role == Role.COACH and not others.filter(district=membership.district, role=Role.COACH).exists():
        CoachAssignment.objects.filter(district=membership.district, coach=person).delete()


@transaction.atomic
def coach_assignment_set(
    *, district: District, coach: User, teachers: Iterable[User], school_year: int
) -> tuple[int, int]:
    """Make `teachers` exactly the coach's coachees in the district for the year; returns (added, removed)."""
    if not Membership.objects.filter(user=coach, district=district, role=Role.COACH).exists():
        raise ValidationError(_("Only a coach in this district can be assigned teachers."))
    wanted = {t.pk: t for t in teachers}
    not_teachers = set(wanted) - set(
        Membership.objects.filter(district=district, role=Role.TEACHER, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    if not_teachers:
        raise ValidationError(_("Everyone assigned must be a teacher in this district."))
    current = CoachAssignment.objects.filter(district=district, coach=coach, school_year=school_year)
    have = set(current.values_list("teacher_id", flat=True))
    gone = current.exclude(teacher_id__in=wanted)
    removed = gone.count()
    gone.delete()
    for teacher_id in wanted.keys() - have:
        assignment = CoachAssignment(
            district=district, coach=coach, teacher=wanted[teacher_id], school_year=school_year
        )
        assignment.full_clean()
        assignment.save()
    return len(wanted.keys() - have), removed


def person_deactivate(*, person: User, actor: User) -> User:
    """Stop a person signing in; their records stay (nothing is deleted)."""
    if person.pk == actor.pk:
        raise ValidationError(_("You can't deactivate your own account."))

    return _set_active(person, False)


def person_reactivate(*, person: User) -> User:
    return _set_active(person, True)


def _set_active(person: User, active: bool) -> User:
    if person.is_active != active:
        person.is_active = active
        person.full_clean()
        person.save(update_fields=["is_active"])
    return person


# --- sharing a classroom's results ------------------------------------------------------------


def classroom_sharing_set(*, classroom: Classroom, coach: bool, principal: bool, leaders: bool) -> Classroom:
    """The teacher's three controls for one classroom; every page and export follows at once (the
    access rules read these fields on each request)."""
    classroom.share_with_coach, classroom.share_with_principal, classroom.share_with_leaders = coach, principal, leaders
    classroom.save(update_fields=["share_with_coach", "share_with_principal", "share_with_leaders"])
    return classroom


def classroom_student_count_set(*, classroom: Classroom, students: int | None) -> Classroom:
    """How many students the teacher says the class has (None: not said); surveys of the class warn
    her when more responses arrive than that."""
    if classroom.student_count != students:
        classroom.student_count = students
        classroom.full_clean(exclude=["school", "teacher"])
        classroom.save(update_fields=["student_count"])
    return classroom


# --- the district's minimum group size --------------------------------------------------------

# Apps that keep numbers built with the minimum (measures' trend roll-ups) register here in their
# AppConfig.ready(); `districts` imports no other app.
_min_group_size_listeners: list = []


def on_min_group_size_change(listener) -> None:
    """`listener(*, district_id)` runs after the district's minimum group size changed."""
    if listener not in _min_group_size_listeners:
        _min_group_size_listeners.append(listener)


def district_min_group_size_set(*, district: District, min_group_size: int) -> District:
    """Change the minimum and rebuild what was counted with the old one, in one transaction: a
    survey that reached 10 must stop counting at once when the district asks for 12."""
    with transaction.atomic():
        changed = District.objects.filter(pk=district.pk).exclude(min_group_size=min_group_size).exists()
        district.min_group_size = min_group_size
        district.full_clean()
        district.save(update_fields=["min_group_size"])
        if changed:
            for listener in _min_group_size_listeners:
                listener(district_id=district.pk)
    return district

"""Districts, schools and classrooms: who sees which, and whose survey results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from ..models import Classroom, District, School, User
from .core import _grants, _id, is_district_leader

# --- districts and schools --------------------------------------------------------------------


def current_district(user: User, slug: str | None = None, *, lead: bool = False) -> District:
    """The district the user works in: the one named by `slug` (`?district=`), else the first of
    theirs by name. An unknown or foreign slug is 404; a user with no membership yet is 403.

    With `lead=True` the page is for district leaders: a district the user is a member of but does
    not lead is 403, and without a slug the first district they lead is chosen."""
    g = _grants(user)
    if lead and not slug:
        district = District.objects.filter(pk__in=g.leader_of).order_by("name").first()
        if district is None:
            raise PermissionDenied(gettext("Only district leaders may do this."))
        return district
    mine = District.objects.filter(pk__in=g.district_ids).order_by("name")
    district = mine.filter(slug=slug).first() if slug else mine.first()
    if district is None:
        if slug:
            raise Http404("No such district")
        raise PermissionDenied(gettext("You hold no role in a district yet."))
    if lead and district.pk not in g.leader_of:
        raise PermissionDenied(gettext("Only district leaders may do this."))
    return district


def in_districts_q(user: User, *, via: str = "district") -> Q:
    """A filter for rows of the user's districts; `via` is the path from the model to its district
    (e.g. "series__district" for a PD session)."""
    return Q(**{f"{via}_id__in": _grants(user).district_ids})


def library_q(user: User, *, via: str = "district") -> Q:
    """Library entries (practices, rubrics, instruments) a user may see: published ones (no district)
    and their districts' own."""
    return Q(**{f"{via}": None}) | in_districts_q(user, via=via)


def get_in_districts(user: User, queryset, *, via: str = "district", library: bool = False, **lookup):
    """The object matching `lookup` among those of the user's districts, else 404: nothing outside
    one's districts is acknowledged to exist. `via` is the path from the model to its district
    (e.g. "series__district" for a PD session); `library=True` also finds entries of no district
    (the published practices and rubrics). `queryset` may be a model or a queryset. Views then ask
    the rule of the object (check_…) for 403."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    where = library_q(user, via=via) if library else in_districts_q(user, via=via)
    return get_object_or_404(queryset.filter(where), **lookup)


def get_district(user: User, district_id: int) -> District:
    if district_id not in _grants(user).district_ids:
        raise Http404("No such district")
    return District.objects.get(pk=district_id)


def require_district_leader(user: User, district: District | int) -> None:
    if _id(district) not in _grants(user).district_ids:
        raise Http404("No such district")
    if not is_district_leader(user, district):
        raise PermissionDenied(gettext("Only district leaders may do this."))


def schools(user: User) -> QuerySet[School]:
    """Schools the user may know exist (any member sees their districts' schools)."""
    return School.objects.filter(district_id__in=_grants(user).district_ids)


def schools_with_aggregates(user: User) -> QuerySet[School]:
    g = _grants(user)
    return School.objects.filter(
        Q(district_id__in=g.leader_of | g.shared_partner_of) | Q(pk__in=g.principal_of | g.coach_schools)
    )


def principal_schools(user: User) -> QuerySet[School]:
    """The schools the user leads as principal (their home page's school pulse)."""
    return School.objects.filter(pk__in=_grants(user).principal_of).select_related("district")


def may_see_school_aggregates(user: User, school: School) -> bool:
    g = _grants(user)
    return school.district_id in g.leader_of | g.shared_partner_of or school.pk in g.principal_of | g.coach_schools


def get_school(user: User, school_id: int, *, need: str = "view") -> School:
    school = schools(user).filter(pk=school_id).select_related("district").first()
    if school is None:
        raise Http404("No such school")
    if need == "aggregates" and not may_see_school_aggregates(user, school):
        raise PermissionDenied(gettext("You may not see this school's results."))
    return school


def may_see_district_aggregates(user: User, district: District | int) -> bool:
    g = _grants(user)
    did = _id(district)
    if did in g.leader_of or did in g.shared_partner_of or did in g.coach_in:
        return True
    return bool(g.principal_of) and School.objects.filter(pk__in=g.principal_of, district_id=did).exists()


# --- classrooms -------------------------------------------------------------------------------


def classrooms(user: User) -> QuerySet[Classroom]:
    """Classrooms the user may know exist (their name, teacher, grade), not their results."""
    g = _grants(user)
    if not user.is_authenticated:
        return Classroom.objects.none()
    return Classroom.objects.filter(
        Q(teacher=user, school__district_id__in=g.district_ids)
        | Q(teacher_id__in=g.coachee_ids, school__district_id__in=g.coach_in)
        | Q(school__district_id__in=g.leader_of)
        | Q(school_id__in=g.principal_of)
    )


def classrooms_with_results(user: User) -> QuerySet[Classroom]:
    """Classrooms whose own survey results the user may see: the teacher's; and, each by the
    teacher's own control for that audience, their current coach's, their principal's and their
    district leaders'."""
    g = _grants(user)
    if not user.is_authenticated:
        return Classroom.objects.none()
    return Classroom.objects.filter(
        Q(teacher=user, school__district_id__in=g.district_ids)
        | Q(teacher_id__in=g.coachee_ids, share_with_coach=True, school__district_id__in=g.coach_in)
        | Q(share_with_principal=True, school_id__in=g.principal_of)
        | Q(share_with_leaders=True, school__district_id__in=g.leader_of)
    )


def may_see_classroom_results(user: User, classroom: Classroom) -> bool:
    """The same rule as classrooms_with_results, for one classroom already loaded."""
    g = _grants(user)
    district_id = classroom.school.district_id
    if district_id not in g.district_ids:
        return False
    if classroom.teacher_id == user.pk:
        return True
    if classroom.share_with_coach and classroom.teacher_id in g.coachee_ids and district_id in g.coach_in:
        return True
    if classroom.share_with_principal and classroom.school_id in g.principal_of:
        return True
    return classroom.share_with_leaders and district_id in g.leader_of


def may_run_surveys(user: User, classroom: Classroom) -> bool:
    """The teacher, or the teacher's current coach, may open and close surveys for a classroom."""
    g = _grants(user)
    district_id = classroom.school.district_id
    if district_id not in g.district_ids:
        return False
    return classroom.teacher_id == user.pk or (classroom.teacher_id in g.coachee_ids and district_id in g.coach_in)


def classrooms_to_run(user: User) -> QuerySet[Classroom]:
    """The same rule as may_run_surveys, as a queryset: what a "start a survey" or classroom-cycle
    form may offer (the user's own classes and their coachees')."""
    g = _grants(user)
    if not user.is_authenticated:
        return Classroom.objects.none()
    return Classroom.objects.filter(
        Q(teacher=user, school__district_id__in=g.district_ids)
        | Q(teacher_id__in=g.coachee_ids, school__district_id__in=g.coach_in)
    )


def may_change_sharing(user: User, classroom: Classroom) -> bool:
    return classroom.teacher_id == user.pk


def get_classroom(user: User, classroom_id: int, *, need: str = "results") -> Classroom:
    """Fetch a classroom for `need` ("results", "run" or "share").

    404 outside the user's districts, 403 when the role may not do `need`.
    """
    classroom = (
        Classroom.objects.select_related("school__district", "teacher")
        .filter(pk=classroom_id, school__district_id__in=_grants(user).district_ids)
        .first()
    )
    if classroom is None:
        raise Http404("No such classroom")
    check = {
        "results": may_see_classroom_results,
        "run": may_run_surveys,
        "share": may_change_sharing,
    }[need]
    if not check(user, classroom):
        raise PermissionDenied(gettext("You may not see this classroom's results."))
    return classroom

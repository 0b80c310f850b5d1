"""Who a user is: memberships read once per request and cached on the user object."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ..models import CoachAssignment, District, Membership, Role, User


@dataclass
class _Grants:
    district_ids: set[int] = field(default_factory=set)
    leader_of: set[int] = field(default_factory=set)  # district ids
    partner_of: set[int] = field(default_factory=set)  # district ids
    shared_partner_of: set[int] = field(default_factory=set)  # districts sharing with partners
    principal_of: set[int] = field(default_factory=set)  # school ids
    coach_in: set[int] = field(default_factory=set)  # district ids
    coach_schools: set[int] = field(default_factory=set)  # school ids
    teacher_in: set[int] = field(default_factory=set)  # district ids
    coachee_ids: set[int] = field(default_factory=set)  # teacher user ids, current year
    roles: set[str] = field(default_factory=set)
    # Every membership as (district id, role, school id or None): rules that need a role *at* a school.
    memberships: list[tuple[int, str, int | None]] = field(default_factory=list)


def _grants(user: User) -> _Grants:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _Grants()
    cached = getattr(user, "_pdc_grants", None)
    if cached is not None:
        return cached
    grants = _Grants()
    rows = Membership.objects.filter(user=user).select_related("district")
    for m in rows:
        grants.district_ids.add(m.district_id)
        grants.roles.add(m.role)
        grants.memberships.append((m.district_id, m.role, m.school_id))
        if m.role == Role.DISTRICT_LEADER:
            grants.leader_of.add(m.district_id)
        elif m.role == Role.PARTNER:
            grants.partner_of.add(m.district_id)
            if m.district.share_with_partners:
                grants.shared_partner_of.add(m.district_id)
        elif m.role == Role.PRINCIPAL and m.school_id:
            grants.principal_of.add(m.school_id)
        elif m.role == Role.COACH:
            grants.coach_in.add(m.district_id)
            if m.school_id:
                grants.coach_schools.add(m.school_id)
        elif m.role == Role.TEACHER:
            grants.teacher_in.add(m.district_id)
    if grants.coach_in:
        years = {d.pk: d.current_school_year() for d in District.objects.filter(pk__in=grants.coach_in)}
        q = Q(pk__in=[])
        for district_id, year in years.items():
            q |= Q(district_id=district_id, school_year=year)
        grants.coachee_ids = set(CoachAssignment.objects.filter(q, coach=user).values_list("teacher_id", flat=True))
    user._pdc_grants = grants
    return grants


def forget(user: User) -> None:
    """Drop the cached grants (after a membership change in the same request)."""
    if hasattr(user, "_pdc_grants"):
        del user._pdc_grants


# --- who is what ------------------------------------------------------------------------------


def roles(user: User) -> set[str]:
    return set(_grants(user).roles)


def district_ids(user: User) -> set[int]:
    return set(_grants(user).district_ids)


def districts(user: User) -> QuerySet[District]:
    return District.objects.filter(pk__in=_grants(user).district_ids)


def is_district_leader(user: User, district: District | int | None = None) -> bool:
    g = _grants(user)
    if district is None:
        return bool(g.leader_of)
    return _id(district) in g.leader_of


def is_coach(user: User) -> bool:
    return bool(_grants(user).coach_in)


def is_teacher(user: User) -> bool:
    return bool(_grants(user).teacher_in)


def coachee_ids(user: User) -> set[int]:
    return set(_grants(user).coachee_ids)


def _id(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk

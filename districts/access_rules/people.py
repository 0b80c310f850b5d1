"""People and accounts: what district leaders manage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from ..models import District, Membership, User
from .core import _grants

# --- people -----------------------------------------------------------------------------------


def people(user: User) -> QuerySet[User]:
    """People a district leader may manage: everyone holding a role in the districts they lead."""
    return User.objects.filter(memberships__district_id__in=_grants(user).leader_of).distinct()


def get_person(user: User, person_id: int) -> User:
    g = _grants(user)
    person = User.objects.filter(pk=person_id, memberships__district_id__in=g.district_ids).distinct().first()
    if person is None:
        raise Http404("No such person")
    if not people(user).filter(pk=person.pk).exists():
        raise PermissionDenied(gettext("Only district leaders may manage people."))
    return person


def led_districts(user: User) -> QuerySet[District]:
    """Districts whose people and rosters the user manages."""
    return District.objects.filter(pk__in=_grants(user).leader_of)


def managed_memberships(user: User, person: User) -> QuerySet[Membership]:
    """The person's roles the user may see and change: those in districts the user leads."""
    return Membership.objects.filter(user=person, district_id__in=_grants(user).leader_of)


def may_edit_account(user: User, person: User) -> bool:
    """Name and active status belong to the whole account, which may span districts: only a
    leader of every district where the person holds a role may change them. Staff accounts
    are changed in the admin."""
    g = _grants(user)
    if not g.leader_of or person.is_staff or person.is_superuser:
        return False
    held = set(Membership.objects.filter(user=person).values_list("district_id", flat=True))
    return bool(held) and held <= g.leader_of

"""The instrument library and observation rubrics: starters shared by all, a district's own by its leaders."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from ..models import District, User
from .core import _grants, _id

# --- instrument library -----------------------------------------------------------------------
# Library entries are owned by a district, or by no district: the starter instruments every
# district shares. Callers pass the owner's id (None for a starter), so this module needs no model
# from the apps that own the entries. Where a leader may create or adapt: `led_districts(user)`.


def may_change_library_entry(user: User, district: District | int | None) -> bool:
    """Starter entries (no district) are read-only for everyone; a district's own, for its leaders."""
    return district is not None and _id(district) in _grants(user).leader_of


def check_library_entry(
    user: User, district: District | int | None, *, need: str = "view", noun: str = "instrument"
) -> None:
    """May the user `need` ("view", "change" or "adapt") a library entry owned by `district`?

    Library entries are instruments and rubrics (`noun`). Any member of a district views the
    starters and their districts' own entries; another district's entry is 404. Only a district's
    leaders change its entries; a leader of any district may adapt (copy) an entry into a district
    they lead. Raises Http404 or PermissionDenied.
    """
    if need not in ("view", "change", "adapt"):
        raise ValueError(f"unknown need {need!r}")
    g = _grants(user)
    if not g.district_ids or (district is not None and _id(district) not in g.district_ids):
        raise Http404(f"No such {noun}")
    rubric = noun == "rubric"
    if need == "change" and not may_change_library_entry(user, district):
        if district is None:
            raise PermissionDenied(
                gettext("Starter rubrics are read-only: adapt one for your district.")
                if rubric
                else gettext("Starter instruments are read-only: adapt one for your district.")
            )
        raise PermissionDenied(
            gettext("Only district leaders may change rubrics.")
            if rubric
            else gettext("Only district leaders may change instruments.")
        )
    if need == "adapt" and not g.leader_of:
        raise PermissionDenied(
            gettext("Only district leaders may adapt rubrics.")
            if rubric
            else gettext("Only district leaders may adapt instruments.")
        )


def check_rubric(user: User, district: District | int | None, *, need: str = "view") -> None:
    """Observation rubrics follow the instrument library's rules."""
    check_library_entry(user, district, need=need, noun="rubric")

"""Feedback reports and the uptake of their recommendations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from ..models import District, School, User
from .core import _grants, _id

# --- feedback reports and recommendations -----------------------------------------------------
# The partnership's yearly feedback reports and the uptake of their recommendations (cycles app).
# District leaders and the partnership's researchers (the partner role) record and edit them;
# principals and coaches read them; teachers do not see them.


def may_see_recommendations(user: User, district: District | int) -> bool:
    g = _grants(user)
    did = _id(district)
    if did in g.leader_of or did in g.partner_of or did in g.coach_in:
        return True
    return School.objects.filter(pk__in=g.principal_of, district_id=did).exists()


def may_change_recommendations(user: User, district: District | int) -> bool:
    g = _grants(user)
    return _id(district) in g.leader_of | g.partner_of


def check_recommendations(user: User, district: District | int, *, need: str = "view") -> None:
    """404 outside the user's districts; 403 when the user may not `need` ("view" or "change")."""
    if _id(district) not in _grants(user).district_ids:
        raise Http404("Not found")
    if not may_see_recommendations(user, district):
        raise PermissionDenied(gettext("Feedback reports are for district leaders, partners, principals and coaches."))
    if need == "change" and not may_change_recommendations(user, district):
        raise PermissionDenied(
            gettext("Only district leaders and the partnership's researchers change feedback reports.")
        )

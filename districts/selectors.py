"""Scoped reads for the districts app (home page contents)."""

from dataclasses import dataclass, field

from . import access
from .models import Role, User


@dataclass
class HomeContent:
    roles: list[str]
    districts: list
    coachees: list = field(default_factory=list)
    people_count: int | None = None


def home_for(user: User) -> HomeContent:
    held = access.roles(user)
    content = HomeContent(
        roles=[label for value, label in Role.choices if value in held],
        districts=list(access.districts(user)),
    )
    if Role.COACH in held:
        content.coachees = list(User.objects.filter(pk__in=access.coachee_ids(user)).order_by("full_name"))
    if Role.DISTRICT_LEADER in held:
        content.people_count = access.people(user).count()
    return content

"""Navigation by role: which sections a signed-in person sees in the top bar."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role

# (label, url name, roles that see it; None = everyone signed in)
_SECTIONS = [
    (_("Home"), "home", None),
    (_("Priorities"), "cycles:priorities", {Role.DISTRICT_LEADER, Role.PRINCIPAL, Role.PARTNER}),
    (_("Cycles"), "cycles:index", None),
    (_("PD"), "pd:index", None),
    (_("Coaching"), "coaching:index", {Role.COACH, Role.TEACHER, Role.PRINCIPAL}),
    (_("Measures"), "measures:index", None),
    (_("Recommendations"), "recommendations:index", {Role.DISTRICT_LEADER, Role.PARTNER, Role.PRINCIPAL, Role.COACH}),
    (_("People"), "districts:people", {Role.DISTRICT_LEADER}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    held = access.roles(user)
    sections = []
    for label, name, allowed in _SECTIONS:
        if allowed is not None and not (held & allowed):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # the section's app has not landed yet
        sections.append({"label": label, "url": url, "active": False})
    # The section whose address is the longest prefix of this page is the current one
    # (a section whose address nests inside another's wins on its own pages).
    matches = [s for s in sections if s["url"] != "/" and request.path.startswith(s["url"])]
    if matches:
        max(matches, key=lambda s: len(s["url"]))["active"] = True
    return {"nav_sections": sections}

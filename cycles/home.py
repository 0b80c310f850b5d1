"""The "My cycles" panel on a person's home page: the cycles they own or work on, still open."""

from districts import access
from districts.home import Panel

from . import selectors


def panel(*, user) -> Panel | None:
    if not access.district_ids(user):
        return None
    cycles = list(selectors.my_cycles(user)[:8])
    return Panel(
        title="My improvement cycles",
        template="cycles/_home_panel.html",
        context={"cycles": cycles, "total": selectors.my_cycles(user).count() if len(cycles) == 8 else len(cycles)},
        order=20,
    )

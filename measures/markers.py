"""Dates to mark on a classroom's run chart (improvement cycles, coaching events).

Other apps register a provider at start-up (in their AppConfig.ready); measures never imports them,
so dependencies keep running one way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Marker:
    day: date
    label: str  # short: it is drawn on the chart ("PD", "▶ cycle", "Modeling")
    kind: str  # "cycle", "coaching", ...
    detail: str = ""  # the full text, on hover and in the page's key of marks


Provider = Callable[..., list[Marker]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register `provider(classroom=..., since=..., until=...) -> list[Marker]`."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def for_classroom(classroom, *, since: date | None = None, until: date | None = None) -> list[Marker]:
    found: list[Marker] = []
    for provider in _providers:
        found.extend(provider(classroom=classroom, since=since, until=until))
    return sorted(found, key=lambda m: m.day)

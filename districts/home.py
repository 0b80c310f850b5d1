"""Panels other apps add to a person's home page.

`districts` imports no other app: each app registers a panel provider in its AppConfig.ready(),
and the home page shows whatever the providers return for this user, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


Provider = Callable[..., Panel | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(user) -> list[Panel]:
    found = [panel for provider in _providers if (panel := provider(user=user)) is not None]
    return sorted(found, key=lambda p: p.order)

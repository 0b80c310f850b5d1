"""What other apps add to a practice's page ("where it is being tried": PD series, coaching).

`cycles` reads neither PD's nor coaching's data: each app registers a provider in its
AppConfig.ready(); the practice page shows, in order, the snippets the providers return for this
user and practice. The provider decides how much of its own data the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PracticePanel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


Provider = Callable[..., PracticePanel | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register `provider(user=..., practice=...) -> PracticePanel | None`."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(*, user, practice) -> list[PracticePanel]:
    found = [panel for provider in _providers if (panel := provider(user=user, practice=practice)) is not None]
    return sorted(found, key=lambda p: p.order)

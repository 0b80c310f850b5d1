"""The open survey behind a join code, kept a few seconds in the shared cache (Redis in production).

Every student of a class asks for the same code within a minute; the database answers once and
the cache answers the rest with one round trip. The entry lives in the shared cache, never in a
process, so every web process sees it go:

- saving an administration (closing it, changing its closing time, through any path that calls
  `save()`) deletes its entry, at once and again after the commit;
- the closing time is in the entry, so a survey past it is closed for the reader without waiting
  for the sweep that writes `closed_at` with an UPDATE (which sends no signal);
- entries expire after OPEN_CODE_SECONDS whatever happens, and the answer itself is inserted only
  if the survey is still open in the database (`services.response_submit(require_open=True)`):
  a stale entry can show a form a few seconds too long, never save an answer to a closed survey.

Only open surveys are kept: unknown and closed codes go to the database (they are rare, and the
guessing of codes is throttled). A cache failure falls back to the database.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import ratelimit
from .models import Administration

log = logging.getLogger(__name__)

OPEN_CODE_SECONDS = 30
_FIELDS = (
    "id",
    "district_id",
    "school_id",
    "classroom_id",
    "instrument_id",
    "opened_by_id",
    "opened_at",
    "week",
    "closes_at",
    "lesson_note",
)


def key(code: str) -> str:
    return f"survey:open:{code}"


def cached_open(code: str) -> Administration | None:
    """The open administration with this code if the cache holds it (without its instrument)."""
    if ratelimit.cache_marked_down():
        return None
    try:
        values = cache.get(key(code))
    except Exception as exc:  # noqa: BLE001 - the database still answers
        ratelimit.mark_cache_down(exc)
        return None
    return from_cached(code, values)


def from_cached(code: str, values) -> Administration | None:
    """The administration from a cache entry (read here or in a caller's round trip), or None."""
    if not isinstance(values, tuple) or len(values) != len(_FIELDS):
        return None
    administration = Administration(code=code, closed_at=None, **dict(zip(_FIELDS, values, strict=True)))
    administration._state.adding = False
    administration._state.db = "default"
    return administration


def remember_open(administration: Administration) -> None:
    if administration.closed_at is not None or ratelimit.cache_marked_down():
        return
    try:
        cache.set(
            key(administration.code), tuple(getattr(administration, f) for f in _FIELDS), timeout=OPEN_CODE_SECONDS
        )
    except Exception as exc:  # noqa: BLE001 - the database still answers
        ratelimit.mark_cache_down(exc)


def forget(code: str) -> None:
    """Drop the code's entry. While this process knows the cache is down it does not try (a dead Redis
    would cost each save of a survey a timeout): the entry expires within OPEN_CODE_SECONDS, and the
    answers are saved only if the survey is open in the database (`services.response_submit`)."""
    if ratelimit.cache_marked_down():
        return
    try:
        cache.delete(key(code))
    except Exception as exc:  # noqa: BLE001 - the entry expires within OPEN_CODE_SECONDS anyway
        ratelimit.mark_cache_down(exc)


@receiver(post_save, sender=Administration, dispatch_uid="measures.survey_cache.forget")
def _forget_saved(sender, instance: Administration, **kwargs) -> None:
    # Now, so this process reads the change at once; after the commit, so a reader that cached
    # the old row between the two (it could not see the uncommitted change) is corrected too.
    forget(instance.code)
    transaction.on_commit(lambda: forget(instance.code))

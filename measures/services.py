"""Writes on the practical-measure path: opening and closing surveys, and saving a student's answers."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from districts.models import Classroom, User

from . import ratelimit
from .models import Administration, Answer, Audience, Instrument, Item, ItemKind, Response

log = logging.getLogger(__name__)

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
DEFAULT_OPEN_MINUTES = 20
_TOKEN_SALT = "measures.submission-token"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """A typed or linked join code, upper-cased, with anything but ASCII letters and digits dropped
    (spaces, dashes, NUL bytes …): a lookup never carries a character the database refuses."""
    return "".join(ch for ch in (raw or "").upper() if ch.isascii() and ch.isalnum())[:16]


def week_of(moment) -> timezone.datetime.date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def administration_open(
    *,
    classroom: Classroom,
    instrument: Instrument,
    opened_by: User | None,
    minutes: int = DEFAULT_OPEN_MINUTES,
    lesson_note: str = "",
    now=None,
) -> Administration:
    """Open a survey for a classroom with a fresh join code (unique among open surveys)."""
    return _open_with_code(
        district_id=classroom.school.district_id,
        school_id=classroom.school_id,
        classroom=classroom,
        instrument=instrument,
        opened_by=opened_by,
        minutes=minutes,
        lesson_note=lesson_note,
        now=now,
    )


def group_survey_open(
    *, district_id: int, instrument: Instrument, opened_by: User | None, minutes: int, note: str = "", now=None
) -> Administration:
    """Open an adult instrument for a group that is not a classroom (the participants of a PD
    session): same join codes, submission path and summaries; no classroom, school or trend."""
    if instrument.audience != Audience.ADULTS:
        raise ValueError("Group surveys use an instrument for adults.")
    return _open_with_code(
        district_id=district_id,
        school_id=None,
        classroom=None,
        instrument=instrument,
        opened_by=opened_by,
        minutes=minutes,
        lesson_note=note[:200],
        now=now,
    )


def _open_with_code(*, minutes: int, now, **fields) -> Administration:
    now = now or timezone.now()
    for _ in range(20):
        code = new_join_code()
        try:
            with transaction.atomic():
                return Administration.objects.create(
                    code=code,
                    opened_at=now,
                    week=week_of(now),
                    closes_at=now + timedelta(minutes=minutes),
                    **fields,
                )
        except IntegrityError:
            continue  # the code is taken by an open survey: draw again
    raise RuntimeError("Could not find a free join code")


def administration_close(*, administration: Administration, now=None) -> Administration:
    if administration.closed_at is None:
        administration.closed_at = now or timezone.now()
        administration.save(update_fields=["closed_at"])
    return administration


def close_expired(now=None) -> int:
    """Close every survey past its closing time, freeing its join code."""
    now = now or timezone.now()
    return Administration.objects.filter(closed_at__isnull=True, closes_at__lte=now).update(closed_at=now)


# --- submission tokens -----------------------------------------------------------------------


def make_submission_token(administration: Administration) -> str:
    """A server-made token carried by the form: signed, tied to one administration, random."""
    return signing.Signer(salt=_TOKEN_SALT).sign(f"{administration.pk}.{secrets.token_urlsafe(12)}")


def unsign_submission_token(token: str) -> str | None:
    """The token's value if this server signed it (for some survey), else None: a forged token is
    known before anything is looked up or counted."""
    try:
        return signing.Signer(salt=_TOKEN_SALT).unsign(token or "")
    except signing.BadSignature:
        return None


def read_submission_token(token: str, administration: Administration) -> str | None:
    """The token's stored form, or None if it is forged or belongs to another survey."""
    value = unsign_submission_token(token)
    if value is None:
        return None
    admin_id, _, _ = value.partition(".")
    if admin_id != str(administration.pk):
        return None
    return value


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedAnswers:
    """Option ids chosen per item id (and free text per item id for adult text items)."""

    choices: dict[int, tuple[int, ...]]
    texts: dict[int, str]

    def fingerprint(self) -> str:
        canon = repr((sorted(self.choices.items()), sorted(self.texts.items())))
        return hashlib.sha256(canon.encode()).hexdigest()


class MalformedSubmission(ValueError):
    """The POST could not have come from our form (unknown item, foreign option, garbage)."""


def parse_answers(data, items: list[Item]) -> tuple[ParsedAnswers, dict[int, str]]:
    """Turn POST data into answers. Returns (answers, missing required items → message).

    Raises MalformedSubmission for anything our own form cannot send.
    """
    by_field = {f"i{item.pk}": item for item in items}
    for key in data.keys():
        if key.startswith("i") and key not in by_field:
            raise MalformedSubmission(f"unknown field {key[:20]!r}")
    choices: dict[int, tuple[int, ...]] = {}
    texts: dict[int, str] = {}
    missing: dict[int, str] = {}
    for field, item in by_field.items():
        values = [v for v in data.getlist(field) if v != ""]
        if item.kind == ItemKind.TEXT:
            if len(values) > 1:
                raise MalformedSubmission("several texts for one item")
            # NUL cannot be stored in PostgreSQL text and is never meant: dropped, not a 500.
            text = values[0].replace("\x00", "").strip()[:2000] if values else ""
            if text:
                texts[item.pk] = text
            elif item.required:
                missing[item.pk] = "required"
            continue
        valid = {str(o.pk): o.pk for o in item.options.all()}
        if any(v not in valid for v in values):
            raise MalformedSubmission("option not offered for this item")
        if len(values) > 1 and item.kind != ItemKind.MULTIPLE:
            raise MalformedSubmission("several answers to a one-answer item")
        if len(set(values)) != len(values):
            raise MalformedSubmission("repeated option")
        if values:
            choices[item.pk] = tuple(sorted(valid[v] for v in values))
        elif item.required:
            missing[item.pk] = "required"
    return ParsedAnswers(choices, texts), missing


class TokenConflict(Exception):
    """The token was already used with different answers; the first answers stand."""


class SurveyClosed(Exception):
    """The survey closed (or was deleted) before the answers arrived: nothing was saved."""


def response_submit(
    *,
    administration: Administration,
    token: str,
    answers: ParsedAnswers,
    language: str = "en",
    now=None,
    require_open: bool = False,
) -> tuple[Response, bool]:
    """Save a response and its answers in one transaction. Returns (response, created).

    The token is unique: a replay with the same answers returns the first response; a replay with
    different answers raises TokenConflict. After commit, the administration's summary is refreshed.
    With `require_open`, the answers are saved only if the survey is open in the database at that
    moment, else SurveyClosed (the survey page may have read a cached copy of the survey).
    """
    fingerprint = answers.fingerprint()
    now = now or timezone.now()
    language = language if language in administration.instrument.languages else "en"
    # No look-up first: replays are rare, and the unique token catches them in the insert.
    try:
        if connection.vendor == "postgresql":
            response = _insert_response(administration, token, fingerprint, language, now, answers, require_open)
        else:
            response = _create_response(administration, token, fingerprint, language, now, answers, require_open)
    except IntegrityError:
        # A replay, or two identical submissions racing: the first one stands.
        existing = Response.objects.filter(token=token).first()
        if existing is None:  # not the token: the survey was deleted under the insert
            raise SurveyClosed() from None
        return _replayed(existing, administration, fingerprint), False
    if response is None:
        raise SurveyClosed()
    transaction.on_commit(lambda: enqueue_refresh(administration.pk))
    return response, True


def _answer_rows(answers: ParsedAnswers) -> list[tuple[int, int | None, str]]:
    rows = [(item_id, option_id, "") for item_id, option_ids in answers.choices.items() for option_id in option_ids]
    return rows + [(item_id, None, text) for item_id, text in answers.texts.items()]


def _create_response(administration, token, fingerprint, language, now, answers, require_open) -> Response | None:
    """The portable form: the ORM, in a transaction."""
    with transaction.atomic():
        if require_open and not _open_in_database(administration.pk, now):
            return None
        response = Response.objects.create(
            administration=administration, token=token, fingerprint=fingerprint, language=language, submitted_at=now
        )
        Answer.objects.bulk_create(
            Answer(administration=administration, response=response, item_id=item, option_id=option, text=text)
            for item, option, text in _answer_rows(answers)
        )
    return response


def _open_in_database(administration_id: int, now) -> bool:
    return Administration.objects.filter(pk=administration_id, closed_at__isnull=True, closes_at__gt=now).exists()


# PostgreSQL: the response and its answers in one statement (atomic on its own, so no BEGIN and
# COMMIT round trips), with no ORM query to compile. The response is inserted only if the survey
# exists (and, when asked, is open); the answers only with the response. A second use of a token
# fails on its unique index, like the ORM insert.
_INSERT_RESPONSE = f"""
WITH r AS (
    INSERT INTO {Response._meta.db_table} (administration_id, token, fingerprint, language, submitted_at)
    SELECT a.id, %(token)s, %(fingerprint)s, %(language)s, %(now)s
    FROM {Administration._meta.db_table} a
    WHERE a.id = %(administration)s AND (NOT %(require_open)s OR (a.closed_at IS NULL AND a.closes_at > %(now)s))
    RETURNING id
), answers AS (
    INSERT INTO {Answer._meta.db_table} (administration_id, response_id, item_id, option_id, text)
    SELECT %(administration)s, r.id, v.item, v.option, v.text
    FROM r, unnest(%(items)s::bigint[], %(options)s::bigint[], %(texts)s::text[]) AS v(item, option, text)
)
SELECT id FROM r
"""


def _execute_on_kept_connection(sql: str, params: dict):
    """Run one autocommit statement and fetch its row, without Django's `SELECT 1` health check
    of a kept connection first (a round trip per request): the statement itself tells whether the
    connection still works. If it does not (the server restarted, a failover), reconnect and run
    it once more. That is safe for the response insert: its token is unique, so if the first
    attempt did commit, the second is a replay (IntegrityError) and the caller answers as for one.
    """
    unchecked = connection.connection is not None and connection.health_check_enabled
    unchecked = unchecked and not connection.health_check_done
    if unchecked:
        connection.health_check_done = True
    try:
        return _fetch_one_prepared(sql, params)
    except (OperationalError, InterfaceError):
        if not unchecked or connection.is_usable():
            raise  # not a dead kept connection: the caller says "try again"
        connection.close()
    return _fetch_one_prepared(sql, params)


def _fetch_one_prepared(sql: str, params: dict):
    """Run `sql` with its parameters bound by the server, so that psycopg prepares it after a few
    runs on a connection and PostgreSQL stops planning it each time (Django binds on the client:
    every statement text differs and is planned again). Behind pgbouncer psycopg never prepares
    (settings: `prepare_threshold` None). Through Django's cursor wrapper: errors are Django's,
    and queries are logged as any other."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    with connection._prepare_cursor(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _insert_response(administration, token, fingerprint, language, now, answers, require_open) -> Response | None:
    rows = _answer_rows(answers)
    params = {
        "administration": administration.pk,
        "token": token,
        "fingerprint": fingerprint,
        "language": language,
        "now": now,
        "require_open": require_open,
        "items": [item for item, _, _ in rows],
        "options": [option for _, option, _ in rows],
        "texts": [text for _, _, text in rows],
    }
    if connection.in_atomic_block:
        # Inside a caller's transaction, a savepoint keeps it usable after a replay's unique violation.
        with transaction.atomic():
            row = _fetch_one_prepared(_INSERT_RESPONSE, params)
    else:
        row = _execute_on_kept_connection(_INSERT_RESPONSE, params)
    if row is None:
        return None
    response = Response(
        id=row[0],
        administration=administration,
        token=token,
        fingerprint=fingerprint,
        language=language,
        submitted_at=now,
    )
    response._state.adding = False
    response._state.db = connection.alias
    return response


def response_exists(*, token: str, answers: ParsedAnswers) -> bool:
    """True if this token already saved exactly these answers."""
    return Response.objects.filter(token=token, fingerprint=answers.fingerprint()).exists()


def _replayed(existing: Response, administration: Administration, fingerprint: str) -> Response:
    if existing.administration_id != administration.pk or existing.fingerprint != fingerprint:
        raise TokenConflict()
    return existing


# How long a refresh mark stands: the refresh normally runs within a second; if it is lost (a
# worker killed, Redis restarted), the mark expires and the sweep has caught up by then anyway.
REFRESH_PENDING_SECONDS = 60
# After a failed publish, skip publishing in this process for this long: the sweep catches up.
BROKER_DOWN_SECONDS = 5.0

_broker_down_until = 0.0


def refresh_pending_key(administration_id: int) -> str:
    return f"measures:refresh-pending:{administration_id}"


REFRESH_TASK = "measures.tasks.refresh_administration"


def broker_marked_down() -> bool:
    return time.monotonic() < _broker_down_until


def reset_broker_state() -> None:
    """Forget a remembered broker failure (tests; a process that knows the broker is back)."""
    global _broker_down_until
    _broker_down_until = 0.0


def enqueue_refresh(administration_id: int) -> bool:
    """Queue one summary refresh for a burst of answers; a dead broker is logged, never raised.

    Debounce without delayed messages: the first answer sets a pending mark and queues a refresh
    right away; answers arriving while that refresh waits in the queue ride on it (the task
    clears the mark before it counts, so an answer arriving during the count queues another).
    Each survey has at most one refresh waiting, and a busy worker batches more answers into each
    one. No `countdown`: a worker holds delayed (ETA) messages unacknowledged, and a Redis drop
    with such messages in hand is the path on which kombu's Redis transport stops the worker.

    Publishing fails fast (no publish retry, no reconnect sleep: see CELERY_BROKER_TRANSPORT_OPTIONS),
    and after a failure this process does not try again for BROKER_DOWN_SECONDS, so a Redis outage
    costs a student's request at most one refused connection. The sweep catches up.
    """
    global _broker_down_until
    if broker_marked_down():
        return False
    try:
        # One SET NX with an expiry; skipped while this process knows the cache is down.
        if not ratelimit.cache_marked_down() and not cache.add(
            refresh_pending_key(administration_id), 1, timeout=REFRESH_PENDING_SECONDS
        ):
            return True  # a refresh is already waiting and will count this answer
    except Exception as exc:  # noqa: BLE001 - a cache failure only costs a duplicate refresh
        ratelimit.mark_cache_down(exc)
    try:
        # By name from Celery's registry: tasks call services, so services do not import tasks.
        current_app.tasks[REFRESH_TASK].apply_async((administration_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise many kinds; the student must not see any
        _broker_down_until = time.monotonic() + BROKER_DOWN_SECONDS
        log.warning("could not queue summary refresh for administration %s: %s", administration_id, exc)
        clear_refresh_pending(administration_id)
        return False
    return True


def clear_refresh_pending(administration_id: int) -> None:
    if ratelimit.cache_marked_down():
        return  # the cache is down: nothing to delete now, and a mark left from before expires
    try:
        cache.delete(refresh_pending_key(administration_id))
    except Exception as exc:  # noqa: BLE001
        log.warning("refresh debounce unavailable: %s", exc)

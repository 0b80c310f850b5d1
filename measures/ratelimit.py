"""Fixed-window rate limits for the public survey, keyed on join code and token, never on IP alone.

A whole school can share one IP address: 35 students answering in the same minute must all get
through. A cache failure never blocks a student: while the shared cache is down (or slow) each
process counts for itself (`_LocalCounter`), so a limit is at most as many times looser as there are
web processes, never off, and no request waits on the cache (see CACHE_DOWN_SECONDS).
"""

import hashlib
import hmac
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

# After a cache failure, this process leaves the cache alone this long: a dead Redis then costs a
# student's request nothing (limits count in the process, the survey is read from the database),
# not one refused or timed-out connection per request.
CACHE_DOWN_SECONDS = 5.0
_cache_down_until = 0.0


def cache_marked_down() -> bool:
    return time.monotonic() < _cache_down_until


def mark_cache_down(exc: Exception) -> None:
    global _cache_down_until
    _cache_down_until = time.monotonic() + CACHE_DOWN_SECONDS
    log.warning("cache unavailable, left alone for %.0f s (rate limits count per process): %s", CACHE_DOWN_SECONDS, exc)


class _LocalCounter:
    """Fixed-window counters in this process, for while the shared cache is down: the same buckets
    as the cache's, dropped when their window is over."""

    def __init__(self):
        self._counts: dict[str, int] = {}
        self._window = -1
        self._lock = threading.Lock()

    def count(self, bucket: str) -> int:
        window = int(bucket.rsplit(":", 1)[-1])
        with self._lock:
            # A new minute: the last one's counters are over. Only a later window clears them: a
            # thread still counting in the minute just over must not wipe the new minute's counts.
            if window > self._window:
                self._counts.clear()
                self._window = window
            self._counts[bucket] = self._counts.get(bucket, 0) + 1
            return self._counts[bucket]

    def give_back(self, bucket: str) -> None:
        with self._lock:
            if bucket in self._counts:
                self._counts[bucket] -= 1

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
            self._window = -1


_local = _LocalCounter()


def reset_cache_state() -> None:
    """Forget a remembered cache failure and the in-process counts (tests)."""
    global _cache_down_until
    _cache_down_until = 0.0
    _local.clear()


def _bucket(key: str, window: int) -> str:
    # Keys carry what a client sent (a token): hashed, so every key is short, printable and safe
    # for any cache backend whatever bytes arrive.
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"rl:{digest}:{int(time.time() // window)}"


def allow(key: str, limit: int, window: int = 60) -> bool:
    return check([(key, limit)], window)[0]


def allow_all(checks: list[tuple[str, int]], window: int = 60) -> bool:
    return check(checks, window)[0]


def check(checks: list[tuple[str, int]], window: int = 60, *, fetch: str | None = None) -> tuple[bool, object]:
    """(every (key, limit) is within its limit this window, the cache's value at `fetch` or None).

    Each counter counts this call. On Redis all of it is one round trip: a pipeline of `SET key 0
    EX … NX` and `INCR key` per counter (the same keys and integer values as `cache.add` and
    `cache.incr`), plus a GET of `fetch` (the survey page's join code: see survey_cache). Other
    caches (in-process in development and tests) take one call each. A cache failure reads nothing,
    and this and the next few seconds' calls are counted in the process instead.
    """
    buckets = [(_bucket(key, window), limit) for key, limit in checks]
    if cache_marked_down():
        return _within(buckets, [_local.count(bucket) for bucket, _limit in buckets]), None
    try:
        backend = caches["default"]
        if not isinstance(backend, RedisCache) or not buckets:
            counts = [_count(bucket, window) for bucket, _limit in buckets]
            value = cache.get(fetch) if fetch is not None else None
        else:
            pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
            for bucket, _limit in buckets:
                name = backend.make_and_validate_key(bucket)
                pipe.set(name, 0, ex=window + 5, nx=True)
                pipe.incr(name)
            if fetch is not None:
                pipe.get(backend.make_and_validate_key(fetch))
            replies = pipe.execute()
            counts = replies[1 : 2 * len(buckets) : 2]
            # Values are stored as the cache stores them (pickled, or a plain integer).
            value = backend._cache._serializer.loads(replies[-1]) if fetch is not None and replies[-1] else None
    except Exception as exc:  # noqa: BLE001 - any cache backend error must not block a student
        mark_cache_down(exc)
        return _within(buckets, [_local.count(bucket) for bucket, _limit in buckets]), None
    return _within(buckets, counts), value


def give_back(key: str, window: int = 60) -> None:
    """Undo this minute's count of `key` for a request that turned out not to use what it counts
    (a survey POST that saved nothing: junk must not spend a class's budget). One round trip, on the
    refused request only."""
    bucket = _bucket(key, window)
    if cache_marked_down():
        _local.give_back(bucket)
        return
    try:
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            name = backend.make_and_validate_key(bucket)
            pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
            pipe.decr(name)
            pipe.expire(name, window + 5)  # a key the minute's turn already dropped must not stay
            pipe.execute()
        else:
            cache.decr(bucket)
    except ValueError:  # the key expired meanwhile (other caches): nothing to undo
        pass
    except Exception as exc:  # noqa: BLE001 - a cache failure must not fail the request
        mark_cache_down(exc)


def _within(buckets: list[tuple[str, int]], counts: list[int]) -> bool:
    return all(count <= limit for count, (_bucket_name, limit) in zip(counts, buckets, strict=True))


def _count(bucket: str, window: int) -> int:
    if cache.add(bucket, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # the key expired between add and incr
        return 1


def client_pseudonym(request) -> str:
    """Who is guessing, for a one-minute throttle: a keyed hash of the client's address (the one the
    trusted proxies saw, as for the login lock), never the address itself. Nothing is stored but
    this hash, in a counter that expires within a minute or two."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        chain = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        chain.append(address)
        address = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.blake2b).hexdigest()[:32]

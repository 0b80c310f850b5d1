"""Fixed-window rate limits for the public survey, keyed on join code and token, never on IP alone.

A whole school can share one IP address: 35 students answering in the same minute must all get
through. A cache failure never blocks a student (the limit fails open and is logged).
"""

import hashlib
import logging
import time

from django.core.cache import cache

log = logging.getLogger(__name__)


def allow(key: str, limit: int, window: int = 60) -> bool:
    # Keys carry what a client sent (a token): hashed, so every key is short, printable and safe
    # for any cache backend whatever bytes arrive.
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    bucket = f"rl:{digest}:{int(time.time() // window)}"
    try:
        if cache.add(bucket, 1, timeout=window + 5):
            return True
        return cache.incr(bucket) <= limit
    except ValueError:  # the key expired between add and incr
        return True
    except Exception as exc:  # noqa: BLE001 - any cache backend error must not block a student
        log.warning("rate limit check failed open for %s: %s", key, exc)
        return True

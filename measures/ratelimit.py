"""Fixed-window rate limits for the public survey, keyed on join code and token, never on IP alone.

A whole school can share one IP address: 35 students answering in the same minute must all get
through. A cache failure never blocks a student (the limit fails open and is logged).
"""

import hashlib
import hmac
import logging
import time

from django.conf import settings
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

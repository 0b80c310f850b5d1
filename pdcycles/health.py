"""`/healthz` for the TLS proxy and monitors: database, cache and broker, each checked in well under a second.

Anonymous callers (every monitor) learn only "ok" (200) or "unavailable" (503); which check failed,
and why, goes to the log, where the operator reads it.
"""

import logging
import uuid

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)

_TIMEOUT = 0.5  # seconds per network check: a monitor's own timeout is usually a few seconds


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(key)


def _broker() -> None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return  # in-process tasks (no REDIS_URL): there is no broker to lose
    client = redis.Redis.from_url(url, socket_connect_timeout=_TIMEOUT, socket_timeout=_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


def failing_checks() -> list[str]:
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except (DatabaseError, redis.RedisError, OSError, RuntimeError) as exc:
            log.warning("healthz: %s unavailable: %s", name, exc)
            failed.append(name)
    return failed


@login_not_required
@never_cache
@require_GET
def healthz(request):
    if failing_checks():
        return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")

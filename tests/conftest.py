"""Shared fixtures: personas, service markers (skip without the service; fail in CI if unreachable)."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def personas(db):
    from .personas import make_personas

    return make_personas()


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _needs_services(request):
    """Tests marked postgres/redis skip on a machine without the service and fail in CI."""
    missing = []
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            missing.append("PostgreSQL (DATABASE_URL=postgres://...)")
    if request.node.get_closest_marker("redis"):
        url = os.environ.get("REDIS_URL", "")
        if not url or not _redis_reachable(url):
            missing.append("Redis (REDIS_URL)")
    if missing:
        message = "needs " + ", ".join(missing)
        if IN_CI:
            pytest.fail(message + " — CI must run this test against the real service")
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Ids are reused between tests (rolled-back sequences): clear in-process caches keyed by id."""
    from measures import services, survey_views

    survey_views._items_cache.clear()
    survey_views._html_cache.clear()
    services.reset_broker_state()
    yield
    survey_views._items_cache.clear()
    survey_views._html_cache.clear()
    services.reset_broker_state()

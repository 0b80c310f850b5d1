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


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NO_CHROMIUM = (
    f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` (as root, Debian/Ubuntu; "
    "Playwright never downloads a browser here), or set CHROMIUM=/path/to/chromium"
)
_skipped_without_chromium = []


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system's Chromium. Missing, the browser tests skip (one line in the summary says how to
    install it); in CI they fail, like the PostgreSQL and Redis tests."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        if IN_CI:
            pytest.fail(f"CI must run the browser tests, but {NO_CHROMIUM}")
        _skipped_without_chromium.append(True)
        pytest.skip(NO_CHROMIUM)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
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
def _language_reset():
    """A request's locale middleware leaves its language active in this thread: each test starts in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Ids are reused between tests (rolled-back sequences): clear in-process caches keyed by id."""
    import uuid

    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from measures import publication, ratelimit, services, survey_views

    survey_views._items_cache.clear()
    survey_views._html_cache.clear()
    publication.clear_plan_cache()
    services.reset_broker_state()
    ratelimit.reset_cache_state()
    # Keys such as the refresh debounce name ids, and ids repeat from test to test: each test gets a
    # cache of its own. LocMem is cleared; a shared Redis is never flushed, each test gets a new prefix.
    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()
    else:
        cache.key_prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield
    survey_views._items_cache.clear()
    survey_views._html_cache.clear()
    publication.clear_plan_cache()
    services.reset_broker_state()
    ratelimit.reset_cache_state()


def pytest_terminal_summary(terminalreporter):
    if _skipped_without_chromium:
        terminalreporter.write_line(f"SKIPPED the browser tests, {NO_CHROMIUM}", yellow=True, bold=True)

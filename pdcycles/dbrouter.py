"""Dashboards and exports read from a PostgreSQL streaming replica; everything else uses the primary.

With `REPLICA_DATABASE_URL` set, settings add a `replica` database alias and this router. A read
goes to the replica only when all of these hold:

- the request is a GET or HEAD of a dashboard or export view (`REPLICA_VIEWS`), so the survey
  path, every form and every POST stay on the primary;
- the session did not write a moment ago: any request that is not a GET/HEAD (a POST that saved
  something) sets a short-lived cookie, and while it lives the same browser reads the primary, so
  a page that was just written reads its own writes despite replication lag;
- the model is not one the sign-in machinery reads (users, sessions, lockouts): a password just
  changed or a session just created must be seen at once;
- no transaction is open on the primary (a read inside `atomic()` sees that transaction's rows).

Writes always go to the primary; migrations never run on the replica. Without a replica alias the
router answers None everywhere and Django uses `default`, as before.
"""

import contextlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"

# url names (namespace:name) whose GET reads may come from the replica: pages that only show
# published numbers. A view added here must not write and must not need a row written by the
# same person less than PIN_SECONDS ago (the cookie covers that for the writer's own session).
REPLICA_VIEWS = frozenset(
    {
        "measures:index",
        "measures:classroom",
        "measures:school",
        "measures:district",
        "measures:classroom_export",
        "measures:district_export",
    }
)

# Never read from the replica: who is signed in, their session and lockouts, and the survey's
# own rows (a student's answers are only ever read back on the primary).
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "admin", "contenttypes"})
PRIMARY_ONLY_MODELS = frozenset({"districts.user", "measures.response", "measures.answer"})

PIN_COOKIE = "pdc_primary"

_replica_reads: ContextVar[bool] = ContextVar("pdc_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return getattr(settings, "PDC_REPLICA_PIN_SECONDS", 10)


@contextlib.contextmanager
def replica_reads(enabled: bool = True):
    """Within this block, reads of eligible models may go to the replica."""
    token = _replica_reads.set(enabled)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def _primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if _replica_reads.get() and not _primary_only(model) and not connections["default"].in_atomic_block:
            return REPLICA
        # Explicitly the primary: None would let Django follow a related instance read from the replica.
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaMiddleware:
    """Opens replica reads for dashboard GETs; pins a browser to the primary after it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        token = _replica_reads.set(False)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        match = getattr(request, "resolver_match", None)
        survey = match is not None and match.namespace == "survey"
        if request.method not in ("GET", "HEAD", "OPTIONS") and not survey:
            # This browser just wrote (or tried to): its next pages read the primary for a while.
            # The anonymous survey never reads the replica, so students get no cookie.
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + pin_seconds()),
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured():
            return None
        if request.method in ("GET", "HEAD") and not _pinned(request):
            match = request.resolver_match
            if match is not None and match.view_name in REPLICA_VIEWS:
                _replica_reads.set(True)
        return None


def _pinned(request) -> bool:
    value = request.COOKIES.get(PIN_COOKIE)
    if not value:
        return False
    try:
        return int(value) > time.time()
    except ValueError:
        return True  # a mangled cookie errs on the side of fresh data

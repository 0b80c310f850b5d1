"""The replica router: dashboards' and exports' reads go to the replica, writes and the survey to the
primary, and a browser that just wrote reads its own writes from the primary."""

import json
import time
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import resolve

from districts.models import Classroom, District, School, User
from measures.models import Administration, Answer, ItemSummary, Response, TrendPoint
from pdcycles import dbrouter

from .test_settings import _manage

DASHBOARD_MODELS = [TrendPoint, ItemSummary, Administration, District, School, Classroom]
router = dbrouter.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


@pytest.mark.parametrize("model", DASHBOARD_MODELS)
def test_dashboard_reads_go_to_the_replica(with_replica, model):
    with dbrouter.replica_reads():
        assert router.db_for_read(model) == "replica"
    assert router.db_for_read(model) == "default"  # outside a dashboard request: the primary


@pytest.mark.parametrize("model", DASHBOARD_MODELS + [Response, Answer, User])
def test_every_write_goes_to_the_primary(with_replica, model):
    with dbrouter.replica_reads():
        assert router.db_for_write(model) == "default"


@pytest.mark.parametrize("model", [Response, Answer, User, Session])
def test_survey_rows_and_sign_in_stay_on_the_primary(with_replica, model):
    with dbrouter.replica_reads():
        # Even when the instance that leads to them was read from the replica.
        assert router.db_for_read(model) == "default"
        classroom = Classroom(pk=1)
        classroom._state.db = "replica"
        assert router.db_for_read(model, instance=classroom) == "default"


def test_without_a_replica_nothing_is_routed():
    assert not dbrouter.replica_configured()
    with dbrouter.replica_reads():
        assert router.db_for_read(TrendPoint) is None


def test_migrations_never_run_on_the_replica():
    assert router.allow_migrate("replica", "measures") is False
    assert router.allow_migrate("default", "measures") is True


def test_a_read_inside_a_transaction_uses_the_primary(with_replica, monkeypatch):
    # What transaction.atomic() sets on the primary's connection (no database needed here).
    monkeypatch.setattr(dbrouter, "connections", {"default": SimpleNamespace(in_atomic_block=False)})
    with dbrouter.replica_reads():
        assert router.db_for_read(TrendPoint) == "replica"
        dbrouter.connections["default"].in_atomic_block = True
        assert router.db_for_read(TrendPoint) == "default"


def _run(method, path, cookies=None):
    """One request through the middleware as Django's handler runs it; returns (where a dashboard
    model is read inside the view, the response)."""
    seen = {}

    def handler(request):
        request.resolver_match = resolve(request.path)
        middleware.process_view(request, None, (), {})
        seen["read"] = router.db_for_read(TrendPoint)
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = dbrouter.ReplicaMiddleware(handler)
    factory = RequestFactory()
    request = getattr(factory, method)(path)
    request.COOKIES.update(cookies or {})
    response = middleware(request)
    return seen["read"], response


def test_dashboards_and_exports_read_the_replica(with_replica):
    for path in (
        "/measures/districts/1/",
        "/measures/schools/1/",
        "/measures/classrooms/1/",
        "/measures/districts/1/export.csv",
    ):
        read, response = _run("get", path)
        assert read == "replica", path
        assert dbrouter.PIN_COOKIE not in response.cookies
    assert router.db_for_read(TrendPoint) == "default"  # nothing leaks to the next request


def test_the_survey_and_forms_read_the_primary(with_replica):
    for path in ("/s/ABCDEF", "/measures/surveys/1/", "/measures/surveys/1/count/", "/cycles/"):
        assert _run("get", path)[0] == "default", path


def test_a_write_pins_the_browser_to_the_primary(with_replica):
    read, response = _run("post", "/measures/surveys/1/close/")
    assert read == "default"
    cookie = response.cookies[dbrouter.PIN_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    # The redirect after the POST, and every page for a few seconds, read what was just written.
    assert _run("get", "/measures/districts/1/", {dbrouter.PIN_COOKIE: cookie.value})[0] == "default"
    # Once the window has passed, the dashboard reads the replica again.
    stale = str(int(time.time()) - 1)
    assert _run("get", "/measures/districts/1/", {dbrouter.PIN_COOKIE: stale})[0] == "replica"
    assert _run("get", "/measures/districts/1/", {dbrouter.PIN_COOKIE: "junk"})[0] == "default"


def test_a_student_posting_answers_gets_no_cookie(with_replica):
    read, response = _run("post", "/s/ABCDEF")
    assert read == "default"
    assert dbrouter.PIN_COOKIE not in response.cookies


def test_settings_add_the_replica_and_pgbouncer_options():
    show = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'dbs': s.DATABASES, 'routers': s.DATABASE_ROUTERS, 'mw': s.MIDDLEWARE}, default=str))"
    )
    out = _manage(
        "shell",
        "-c",
        show,
        DEBUG="1",
        PGBOUNCER="1",
        DATABASE_URL="postgres://app@127.0.0.1:6432/pdc",
        REPLICA_DATABASE_URL="postgres://app@10.0.0.2:5432/pdc",
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    primary, replica = found["dbs"]["default"], found["dbs"]["replica"]
    assert replica["HOST"] == "10.0.0.2" and replica["TEST"]["MIRROR"] == "default"
    for db in (primary, replica):
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert db["OPTIONS"]["prepare_threshold"] is None
        assert db["CONN_MAX_AGE"] == 600
    assert found["routers"] == ["pdcycles.dbrouter.ReplicaRouter"]
    assert "pdcycles.dbrouter.ReplicaMiddleware" in found["mw"]
    # Without either variable: one database, no router, server-side cursors as usual.
    out = _manage("shell", "-c", show, DEBUG="1", DATABASE_URL="postgres://app@127.0.0.1:5432/pdc")
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert list(found["dbs"]) == ["default"] and found["routers"] == []
    # Directly on PostgreSQL, psycopg prepares the statements bound on the server after 5 runs.
    assert found["dbs"]["default"]["OPTIONS"]["prepare_threshold"] == 5
    assert (
        "DISABLE_SERVER_SIDE_CURSORS" not in found["dbs"]["default"]
        or not found["dbs"]["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    )

"""Broker faults with a real Celery worker and a private Redis this test starts, stops and restarts.

- Redis stops while the worker holds an unacknowledged task, then comes back empty: the worker
  reconnects by itself and every summary catches up (new refreshes, and the sweep beat sends).
- The whole worker is killed (SIGKILL) in the middle of a refresh: another worker gets the task
  again once the visibility timeout passes, and the survey is counted once.

The shared Redis is never touched: each test runs its own redis-server on a free port and stops
it by its own process (tests/private_services.py). Without redis-server the test skips (fails in CI).
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from measures import aggregation, services, tasks
from measures.models import AdministrationSummary, Response, Scope, TrendPoint
from pdcycles.celery import app as celery_app
from tests import private_services
from tests.private_services import stop_process, wait_for

from .conftest import answer_form, post_answers, productive_choices

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Worker:
    """`celery worker` against the test database and the private Redis; its output goes to a file."""

    def __init__(self, broker_url, pool="prefork", **env):
        db = connection.settings_dict
        self.log = tempfile.NamedTemporaryFile(prefix="pdc-worker-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pdcycles", "worker", "--pool", pool, "-c", "2", "-l", "info"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "pdcycles.settings_test",
                "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                "REDIS_URL": broker_url,
                "CELERY_TASK_DEFAULT_QUEUE": "celery",
                **env,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "ready" in self.output() or self.proc.poll() is not None, 60, "worker not ready")
        if self.proc.poll() is not None:
            pytest.fail("celery worker exited:\n" + self.output())

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        stop_process(self.proc, timeout=20)
        os.unlink(self.log.name)


def _new_producer_pool():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings):
    """A private Redis, Celery's broker and Django's cache while the test runs."""
    with private_services.private_redis() as server:
        old = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = server.url
        _new_producer_pool()
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        try:
            yield server
        finally:
            celery_app.conf.task_always_eager, celery_app.conf.broker_url = old
            _new_producer_pool()


@pytest.fixture
def workers(private_redis):
    started = []

    def start(pool="prefork", **env):
        started.append(Worker(private_redis.url, pool=pool, **env))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


class RowLock:
    """Hold a survey's row lock from another connection, so its refresh waits mid-task."""

    def __init__(self, administration_id):
        db = connection.settings_dict
        self.params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": db["NAME"]}
        self.conn = psycopg.connect(**self.params)
        self.conn.execute("SELECT id FROM measures_administration WHERE id = %s FOR NO KEY UPDATE", [administration_id])

    def waiting(self) -> int:
        """How many sessions of the test database wait for a lock (the blocked refreshes)."""
        with psycopg.connect(**self.params, autocommit=True) as other:
            query = (
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return other.execute(query).fetchone()[0]

    def someone_waits(self) -> bool:
        return self.waiting() > 0

    def release(self):
        self.conn.rollback()
        self.conn.close()


def _answer(client, survey):
    token, items = answer_form(client, survey)
    assert post_answers(client, survey, token, productive_choices(items)).status_code == 303


def _current(surveys) -> bool:
    counted = dict(
        AdministrationSummary.objects.filter(administration__in=surveys).values_list("administration_id", "n_responses")
    )
    return all(counted.get(s.pk) == Response.objects.filter(administration=s).count() for s in surveys)


def _open_surveys(personas, n):
    from tests.factories import make_instrument

    instrument = make_instrument()
    rooms = [personas.classroom, personas.other_classroom, personas.classroom_b]
    return [
        services.administration_open(classroom=rooms[i % 3], instrument=instrument, opened_by=None) for i in range(n)
    ]


def test_the_worker_survives_redis_stopping_mid_task_and_summaries_catch_up_after_it_returns(
    client, personas, private_redis, workers
):
    worker = workers()  # prefork, two pool processes: the main process holds both messages
    surveys = _open_surveys(personas, 4)
    for survey in surveys:
        _answer(client, survey)
    wait_for(lambda: _current(surveys), 30, "summaries not current before the outage")

    # One pool process is mid-refresh, its message unacknowledged; the other is idle, so the
    # main process is listening on Redis when it goes (the path on which kombu stopped the worker).
    lock = RowLock(surveys[0].pk)
    for survey in surveys:
        _answer(client, survey)
    wait_for(lambda: lock.waiting() >= 1 and _current(surveys[1:]), 20, "the refresh did not start")
    private_redis.stop()
    time.sleep(1)
    lock.release()  # the refresh ends while Redis is gone: its acknowledgement cannot be sent
    time.sleep(3)  # the worker notices the drop and retries its connection
    assert worker.alive(), worker.output()

    private_redis.start()  # back, and empty: whatever was queued was lost with it
    wait_for(lambda: worker.output().count("Connected to") >= 2 or not worker.alive(), 60, "no reconnect")
    time.sleep(1)  # the finished refresh is acknowledged now, on the channel that was closed
    assert worker.alive(), worker.output()

    services.reset_broker_state()
    _new_producer_pool()
    _answer(client, surveys[2])  # a new answer queues its refresh as usual
    tasks.sweep.apply_async()  # what beat sends every minute: the rest catch up
    wait_for(lambda: _current(surveys), 60, "summaries did not catch up after Redis returned")
    assert worker.alive(), worker.output()
    assert aggregation.stale_administration_ids() == []


def test_a_task_of_a_killed_worker_is_redelivered_and_counted_once(client, personas, private_redis, workers):
    first = workers()
    survey = _open_surveys(personas, 1)[0]
    _answer(client, survey)
    wait_for(lambda: _current([survey]), 30, "first summary not written")

    lock = RowLock(survey.pk)
    _answer(client, survey)
    wait_for(lock.someone_waits, 20, "the refresh did not start")
    first.kill()  # the whole worker, mid-task
    lock.release()
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 1
    assert private_redis.client().hlen("unacked") == 1  # stranded until the visibility timeout

    # Another worker (a short visibility timeout stands in for the 300 s of production).
    workers(CELERY_VISIBILITY_TIMEOUT="2")
    wait_for(lambda: _current([survey]), 60, "the stranded refresh was not redelivered")
    assert Response.objects.filter(administration=survey).count() == 2
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 2
    # Two responses are below the minimum group size: counted once in the summary, in no trend.
    assert not TrendPoint.objects.filter(scope=Scope.CLASSROOM, scope_id=survey.classroom_id).exists()
    wait_for(lambda: private_redis.client().hlen("unacked") == 0, 20, "the redelivered task was not acknowledged")

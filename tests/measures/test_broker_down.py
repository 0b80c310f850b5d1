"""A dead broker never costs a student their answers: thank-you page, response saved, sweep catches up."""

import pytest

from measures import aggregation, tasks
from measures.models import AdministrationSummary, Response
from pdcycles.celery import app as celery_app

from .conftest import answer_form, post_answers, productive_choices


def _new_producer_pool():
    """Forget the app's producer pool so the next publish uses the broker now configured.

    kombu keeps one pool per broker address, so the real broker's pool survives for later tests.
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def dead_broker():
    old = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _new_producer_pool()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = old
    _new_producer_pool()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_student_gets_thanks_when_the_broker_is_down_and_the_sweep_catches_up(client, personas, dead_broker):
    from measures import services
    from tests.factories import make_instrument

    survey = services.administration_open(classroom=personas.classroom, instrument=make_instrument(), opened_by=None)
    token, items = answer_form(client, survey)
    reply = post_answers(client, survey, token, productive_choices(items))
    assert reply.status_code == 303
    assert client.get(reply["Location"]).status_code == 200
    assert Response.objects.filter(administration=survey).count() == 1
    assert not AdministrationSummary.objects.filter(administration=survey).exists()
    assert aggregation.stale_administration_ids() == [survey.pk]
    tasks.sweep.apply()  # what beat runs every minute once the broker is back
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 1


# --- publishing fails fast and remembers a dead broker (a Redis outage must not stall the site) ----


@pytest.fixture
def connection_attempts(monkeypatch):
    """Count every connection kombu opens to the broker."""
    from kombu.connection import Connection

    attempts = []
    real = Connection._establish_connection

    def counted(self):
        attempts.append(self.hostname)
        return real(self)

    monkeypatch.setattr(Connection, "_establish_connection", counted)
    return attempts


def test_publishing_is_configured_to_fail_at_the_first_refused_connection():
    options = celery_app.conf.broker_transport_options
    assert options["max_retries"] == 0 and options["interval_start"] == 0
    assert options["socket_connect_timeout"] <= 0.1
    assert celery_app.conf.task_publish_retry is False


@pytest.mark.django_db
def test_a_dead_broker_costs_one_connection_attempt_then_is_skipped_for_a_few_seconds(
    administration, dead_broker, connection_attempts
):
    from measures import services

    assert services.enqueue_refresh(administration.pk) is False
    assert len(connection_attempts) == 1  # no retry, no reconnect loop (each would sleep)
    assert services.broker_marked_down()
    assert services.enqueue_refresh(administration.pk) is False
    assert services.enqueue_refresh(administration.pk) is False
    assert len(connection_attempts) == 1  # remembered: no more attempts from this process
    services.reset_broker_state()  # BROKER_DOWN_SECONDS later
    assert services.enqueue_refresh(administration.pk) is False
    assert len(connection_attempts) == 2


@pytest.mark.django_db
def test_a_refresh_is_queued_at_once_never_as_a_delayed_message(administration, monkeypatch):
    """A worker holds delayed (ETA) messages unacknowledged: the path on which a Redis drop stops it."""
    from measures import services, tasks

    sent = []
    monkeypatch.setattr(tasks.refresh_administration, "apply_async", lambda *a, **k: sent.append(k))
    assert services.enqueue_refresh(administration.pk)
    services.clear_refresh_pending(administration.pk)  # the mark would outlive the test in the cache
    assert sent and not {"countdown", "eta"} & set(sent[0])


# --- a worker's lifetime: limits, visibility timeout, reconnects ------------------------------------


def test_a_running_task_is_never_handed_to_a_second_worker_and_a_dead_workers_task_returns_in_minutes():
    from measures import tasks

    conf = celery_app.conf
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit < visibility <= 600
    assert tasks.refresh_administration.retry_backoff_max < visibility  # a retry's countdown, too
    assert conf.broker_transport_options["unacked_restore_throttle"] == 1
    assert conf.broker_transport_options["unacked_restore_interval"] <= 30


def test_with_redis_the_worker_reconnects_forever_through_the_transport_that_survives_a_drop():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from pdcycles.celery import app; c = app.conf; "
        "print(c.broker_transport, c.broker_connection_max_retries, c.broker_connection_retry_on_startup)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pdcycles.settings_test", "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.split()[-3:] == ["pdcycles.broker:Transport", "None", "True"]

"""Integration: a real Celery worker on Redis refreshes a summary after a student submits."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from measures.models import AdministrationSummary, Response
from pdcycles.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(settings):
    """Start `celery worker` against the test database and a private queue; stop it after."""
    queue = f"pdc-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pdcycles.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pdcycles",
            "worker",
            "--pool",
            "solo",
            "-c",
            "1",
            "-Q",
            queue,
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if re.search(r"ready\.?$", line.strip()):
            break
        if proc.poll() is not None:
            pytest.fail("celery worker exited:\n" + "".join(lines))
    else:
        proc.kill()
        pytest.fail("celery worker did not become ready:\n" + "".join(lines))
    old = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield proc
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = old
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_refreshes_the_summary_after_a_submission(client, personas, worker):
    from measures import services
    from tests.factories import make_instrument

    from .conftest import answer_form, post_answers, productive_choices

    instrument = make_instrument()
    survey = services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=None)
    token, items = answer_form(client, survey)
    assert post_answers(client, survey, token, productive_choices(items)).status_code == 303
    assert Response.objects.filter(administration=survey).count() == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        summary = AdministrationSummary.objects.filter(administration=survey).first()
        if summary and summary.n_responses == 1:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not refresh the summary within 30 s")
    assert summary.n_responses == 1

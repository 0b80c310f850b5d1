"""A real PostgreSQL outage on the student survey: a private server this test starts, stops and restarts.

The app runs in its own gunicorn process against a PostgreSQL server of its own (initdb into a
temporary directory, a free port), with no Redis. A student opens the survey, the server stops,
the student presses Send: 503 with Retry-After, and the page still holds their answers and token.
The server comes back, the same form is sent again: 303, and the database holds exactly one
response with all its answers.

The shared PostgreSQL is never touched (tests/private_services.py starts the private one). Without
the server binaries the test skips (fails in CI).
"""

import html
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import pytest

from tests import private_services
from tests.private_services import free_port, stop_process, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


@pytest.fixture
def private_postgres():
    with private_services.private_postgres() as server:
        yield server


def _app_env(database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REPLICA_DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pdcycles.settings_test",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env, *args, timeout=120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# Runs inside `manage.py shell`: a district, a classroom and an open survey; prints what the test needs.
OPEN_SURVEY = """
import json
from measures import services
from tests.factories import ClassroomFactory, make_instrument
survey = services.administration_open(classroom=ClassroomFactory(), instrument=make_instrument(), opened_by=None)
items = survey.instrument.items.order_by("order").prefetch_related("options")
answers = {f"i{item.pk}": str(item.options.order_by("order")[0].pk) for item in items}
print(json.dumps({"id": survey.pk, "code": survey.code, "answers": answers}))
"""


@pytest.fixture
def app_server(private_postgres):
    """gunicorn (one sync worker, persistent connections as in production) on the private server."""
    env = _app_env(private_postgres.url)
    _manage(env, "migrate", "--noinput")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="pdc-gunicorn-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pdcycles.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def output():
        return Path(log.name).read_text(errors="replace")

    def listening():
        if proc.poll() is not None:
            pytest.fail("gunicorn exited:\n" + output())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    try:
        wait_for(listening, 30, "gunicorn did not listen")
        yield {"port": port, "env": env, "output": output}
    finally:
        stop_process(proc, timeout=15)
        log.close()
        os.unlink(log.name)


def _request(port, method, path, fields=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = urllib.parse.urlencode(fields, doseq=True) if fields is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read().decode()
    finally:
        conn.close()


def _kept_fields(page: str) -> list[tuple[str, str]]:
    """What a browser sends when the student presses the button again: hidden fields (the outage
    page that echoes a request), or the survey form itself with the answers still chosen."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    fields += re.findall(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]*)"[^>]* checked', page)
    fields += [(n, v) for n, v in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S) if v]
    return [(html.unescape(n), html.unescape(v)) for n, v in fields]


def test_a_stopped_database_server_gets_503_and_the_resent_form_counts_once_when_it_returns(
    private_postgres, app_server
):
    port = app_server["port"]
    survey = json.loads(_manage(app_server["env"], "shell", "-c", OPEN_SURVEY).strip().splitlines()[-1])
    path = f"/s/{survey['code']}?lang=en"

    status, _, page = _request(port, "GET", path)
    assert status == 200, page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    sent = {"token": token, "lang": "en", **survey["answers"]}

    private_postgres.stop()  # the app's open connection dies with it; new ones are refused
    status, headers, page = _request(port, "POST", path, sent)
    assert status == 503, page
    assert int(headers["Retry-After"]) > 0
    assert "Please try again in a moment" in page
    kept = _kept_fields(page)
    assert dict(kept) == sent  # the answers and the same token, ready to send again
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page).group(1))
    action = urllib.parse.urljoin(path, action)  # as the browser resolves it
    assert action == path

    private_postgres.start()
    status, headers, page = _request(port, "POST", action, kept)  # the student presses Send again
    assert status == 303, page
    assert headers["Location"] == f"/s/{survey['code']}/thanks?lang=en"

    responses = private_postgres.query(
        "SELECT id, token FROM measures_response WHERE administration_id = %s", [survey["id"]]
    )
    assert len(responses) == 1
    assert token.startswith(responses[0][1] + ":")  # the stored token is the signed one's value
    answers = private_postgres.query(
        "SELECT item_id, option_id FROM measures_answer WHERE response_id = %s", [responses[0][0]]
    )
    assert {f"i{item}": str(option) for item, option in answers} == survey["answers"]
    assert len(answers) == len(survey["answers"])
    assert "Traceback" not in app_server["output"]()

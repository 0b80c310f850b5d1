"""A web process knows the refresh task by name (it publishes it without importing the tasks module)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import django
django.setup()
from celery import current_app
from measures import services
print(services.REFRESH_TASK in current_app.tasks)
"""


def test_a_fresh_process_has_the_refresh_task_registered():
    # A process like gunicorn's: Django set up, nothing imports measures.tasks, Celery not a worker.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "pdcycles.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "True"

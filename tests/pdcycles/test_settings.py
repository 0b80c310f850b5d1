"""Settings read the environment strictly and pass Django's deployment checks in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pdcycles import env

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **environment):
    # Start from the machine's environment less what the test settings and pytest put there.
    ours = ("DJANGO_", "DEBUG", "SECRET_KEY", "SECURE_", "STATIC_MANIFEST", "DATABASE_URL", "REDIS_URL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "pdcycles.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_boolean_stops_startup(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env.env_bool("DEBUG", False)


def test_a_bad_integer_stops_startup(monkeypatch):
    monkeypatch.setenv("CONN_MAX_AGE", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env.env_int("CONN_MAX_AGE", 600, minimum=0)
    monkeypatch.setenv("CONN_MAX_AGE", "-1")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env.env_int("CONN_MAX_AGE", 600, minimum=0)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.org, b.example.org ,")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.example.org", "b.example.org"]


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_deployment_checks_pass_with_production_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-entropy-Zq81!x",
        ALLOWED_HOSTS="pd.example.org",
        DATABASE_URL="sqlite:///:memory:",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

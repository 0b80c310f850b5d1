"""Browser journeys: Playwright drives the machine's Chromium against pytest-django's live server."""

from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def shoot():
    """Save a full-page screenshot under artifacts/screenshots/ (git-ignored) for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return _shoot


@pytest.fixture
def console_errors():
    """Collect console errors (a CSP violation shows up here) so a journey can assert there are none."""
    return []


def watch(page, errors):
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def log_in(page, base_url, email, password="pass-word-123"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The starter instruments, practice library and starter rubric that migrations ship.

    A transactional test's flush removes them, and serialized rollback does not bring them back
    for tests that use Playwright's `page` (seen with pytest-django 4.14): ship them again here,
    with the migrations' own functions.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("measures.migrations.0002_starter_instruments").add_starters(apps, None)
    importlib.import_module("cycles.migrations.0002_practice_library").ship(apps, None)
    if not apps.get_model("coaching", "Rubric").objects.filter(district=None).exists():
        importlib.import_module("coaching.migrations.0002_starter_rubric").add_starter(apps, None)

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

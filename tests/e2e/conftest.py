"""Browser journeys: Playwright drives the machine's Chromium against pytest-django's live server."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# axe-core as the installed package ships it (never from a CDN); injected by Playwright, so the
# page's Content-Security-Policy does not stand in its way.
AXE = Axe()
BLOCKING_IMPACTS = ("serious", "critical")
# Modebar buttons that would send a chart elsewhere ("Share chart…" uploads it to plotly's cloud).
OFF_SITE = re.compile(r"cloud|studio|share|plotly|edit|link", re.I)


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
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
    assert_accessible(page)  # the home page of this person's role


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


def charts_ready(page, timeout=10_000):
    """Wait until static/js/charts.js has drawn every chart on the page (it marks each one), then check
    that each drew the trace types it was built with (the small plotly.js build would draw an unknown
    type as a scatter) and that no modebar offers a way off the site."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')].every(el => el.dataset.drawn === 'true')",
        timeout=timeout,
    )
    charts = page.evaluate(
        """() => [...document.querySelectorAll('[data-figure]')].map(el => ({
            built: JSON.parse(document.getElementById(el.dataset.figure).textContent)
                .data.map(t => t.type || 'scatter'),
            drawn: el._fullData.map(t => t.type),
            buttons: [...el.querySelectorAll('.modebar-btn')].map(b => b.dataset.title || b.getAttribute('aria-label')),
            links: [...el.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
            cloud: el._context.showSendToCloud || el._context.plotlyServerURL !== '' || el._context.displaylogo,
        }))"""
    )
    for chart in charts:
        assert chart["drawn"] == chart["built"], chart
        assert chart["buttons"] and not [b for b in chart["buttons"] if OFF_SITE.search(b)], chart
        assert chart["links"] == [] and chart["cloud"] is False, chart
    return charts


def assert_accessible(page):
    """Run axe-core on the page as it stands (charts drawn) and fail on any serious or critical violation."""
    charts_ready(page)
    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in blocking
    )

"""The demo director reads last year's feedback report and the uptake dashboard."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_director_reads_the_report_and_the_uptake_dashboard(page, live_server, settings, shoot):
    settings.DEBUG = True
    call_command("seed_demo", "--weeks", "4", "--password", "pass-word-123", verbosity=0)
    settings.DEBUG = False
    errors = []
    watch(page, errors)
    base = live_server.url
    log_in(page, base, "director@lakeside.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "20-reports")
    page.goto(f"{base}/cycles/recommendations/dashboard/")
    expect(page.locator("[data-figure] .main-svg").first).to_be_attached(timeout=10_000)
    expect(page.get_by_text("largest remainder", exact=False).first).to_be_visible()
    shoot(page, "21-uptake-dashboard")
    assert errors == [], errors

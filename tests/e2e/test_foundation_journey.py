"""The demo director logs in, reaches the home page, the people list and the district trends."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_demo_director_logs_in_and_finds_people_and_trends(page, live_server, settings, shoot):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", "--weeks", "8", "--password", "pass-word-123", verbosity=0)
    settings.DEBUG = False
    errors = []
    watch(page, errors)
    base = live_server.url
    log_in(page, base, "director@lakeside.example")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="People")).to_be_visible()
    shoot(page, "10-director-home")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    expect(page.locator("tbody tr").first).to_be_visible()
    shoot(page, "11-people")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Measures").click()
    assert_accessible(page)
    page.get_by_role("link", name="district trends").first.click()
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "12-district-trends")
    assert_accessible(page)
    assert errors == [], errors

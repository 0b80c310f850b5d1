"""The demo director reads last year's feedback report and the uptake dashboard."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


CSV = (
    "finding,recommendation,area,uptake,implementation,aligned_with_priorities,builds_on_initiative,"
    "authorizer_in_partnership,senior_leader_involved,staff_expertise,math_department\n"
    "Discussions rarely press on reasoning,Coach on pressing moves,coaching,complete,successful,"
    "yes,yes,yes,yes,yes,yes\n"
    "Discussions rarely press on reasoning,Add a discourse PD strand,teacher_pd,partial,,yes,no,,,no,yes\n"
    "Tasks are mostly procedural,Adopt a task bank,curriculum,none,,no,no,no,,,no\n"
)


def test_the_director_imports_recommendations_and_reads_the_uptake_dashboard(
    page, live_server, settings, shoot, tmp_path
):
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
    assert_accessible(page)
    page.get_by_role("link", name="Import from CSV").click()
    assert_accessible(page)
    upload = tmp_path / "recommendations.csv"
    upload.write_text(CSV)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Coach on pressing moves")).to_be_visible()
    shoot(page, "20b-imported-report")
    assert_accessible(page)
    page.goto(f"{base}/recommendations/dashboard/")
    expect(page.locator("[data-figure] .main-svg").first).to_be_attached(timeout=10_000)
    expect(page.get_by_text("largest remainder", exact=False).first).to_be_visible()
    shoot(page, "21-uptake-dashboard")
    assert_accessible(page)
    assert errors == [], errors

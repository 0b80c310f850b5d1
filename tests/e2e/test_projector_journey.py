"""Projector pages at 1366×900 (a common classroom projector): the heading names the survey or session,
and the live count and the Close button are visible without scrolling."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measures import services
from pd.models import PDSeries, PDSession
from tests.factories import make_instrument

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH, HEIGHT = 1366, 900


def _above_the_fold(page, locator):
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box


def test_the_survey_projector_page_fits_above_the_fold(page, live_server, personas):
    instrument = make_instrument(name="Whole-class discussion")
    survey = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server.url, "teacher@example.org")
    page.goto(f"{live_server.url}/measures/surveys/{survey.pk}/present/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Whole-class discussion")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(personas.classroom))
    _above_the_fold(page, page.locator("[data-present-count]"))
    _above_the_fold(page, page.get_by_role("button", name="Close the survey"))
    _above_the_fold(page, page.locator(".join-code"))
    page.screenshot(path=_shot("projector-01-survey"))
    assert_accessible(page)


def test_the_check_in_projector_page_fits_and_warns_nine_days_ahead(page, live_server, personas):
    series = PDSeries.objects.create(district=personas.district, title="Discussions", school_year=2026)
    session = PDSession.objects.create(
        series=series,
        title="Cycle 1 pilot teacher PD: Mixing Juice",
        date=timezone.localdate() + datetime.timedelta(days=9),
    )
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server.url, "leader@example.org")
    page.goto(f"{live_server.url}/pd/sessions/{session.pk}/")
    page.get_by_role("button", name="Open check-in").first.click()
    page.wait_for_url(f"**/sessions/{session.pk}/check-in/present/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cycle 1 pilot teacher PD: Mixing Juice")
    expect(page.locator("[data-early-checkin]")).to_contain_text("9 days from now")
    _above_the_fold(page, page.locator("[data-present-count]"))
    _above_the_fold(page, page.get_by_role("button", name="Close check-in"))
    page.screenshot(path=_shot("projector-02-checkin-early"))
    assert_accessible(page)


def _shot(name):
    from .conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return str(SHOTS / f"{name}.png")  # the viewport only: what the projector shows


def test_the_class_size_warning_appears_live_on_the_projector(page, live_server, personas):
    """More responses than the class has students: the warning appears without a reload."""
    from django.test import Client

    from tests.measures.conftest import answer_form, post_answers, productive_choices

    survey = services.administration_open(
        classroom=personas.classroom, instrument=make_instrument(name="Size check"), opened_by=personas.teacher
    )
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, live_server.url, "teacher@example.org")
    page.goto(f"{live_server.url}/measures/sharing/")  # where she edits her classrooms
    page.locator(f"#id_students_{personas.classroom.pk}").fill("1")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#id_students_{personas.classroom.pk}")).to_have_value("1")
    personas.classroom.refresh_from_db()
    assert personas.classroom.student_count == 1
    page.goto(f"{live_server.url}/measures/surveys/{survey.pk}/present/")
    warning = page.locator("#class-size")
    expect(warning).to_be_hidden()
    for _ in range(2):
        student = Client()
        token, items = answer_form(student, survey)
        assert post_answers(student, survey, token, productive_choices(items)).status_code == 303
    expect(page.locator("#count")).to_have_text("2", timeout=10_000)
    expect(warning).to_have_text(
        "2 responses, but this class has 1 student: someone may have answered more than once. "
        "You can close the survey, or check the results with that in mind."
    )
    _above_the_fold(page, page.get_by_role("button", name="Close the survey"))
    page.screenshot(path=_shot("projector-04-class-size-warning"))
    assert_accessible(page)

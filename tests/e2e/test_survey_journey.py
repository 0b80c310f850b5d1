"""The practical-measure journey in a real browser: start, answer by code on phones and in Spanish,
live count, withheld results, close, results, run chart."""

import re

import pytest
from playwright.sync_api import expect

from measures import aggregation
from tests.factories import ClassroomFactory, make_instrument
from tests.measures.conftest import answer_form, post_answers, productive_choices
from tests.measures.helpers import survey_in_week

from .conftest import assert_accessible, log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _answer_as_student(browser, base_url, code, *, spanish=False, phone=False, shoot=None, name=""):
    context = browser.new_context(**(PHONE if phone else {}), locale="es-US" if spanish else "en-US")
    page = context.new_page()
    page.goto(f"{base_url}/s/")
    if shoot:
        assert_accessible(page)
    page.locator("#code").fill(code.lower())
    page.locator("button[type=submit]").click()
    expect(page.locator("fieldset").first).to_be_visible()
    if spanish:
        expect(page.get_by_role("button", name="Enviar mis respuestas")).to_be_visible()
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label.opt").first.click()
    if shoot:
        shoot(page, name)
        assert_accessible(page)
    page.locator("button.send").click()
    expect(page.locator("h1")).to_have_text("¡Gracias!" if spanish else "Thank you!")
    if shoot:
        assert_accessible(page)
    context.close()


def test_a_teacher_runs_a_survey_and_sees_the_run_chart(page, browser, live_server, client, personas, shoot):
    errors = []
    watch(page, errors)
    instrument = make_instrument(name="Discussion check")
    # Ten earlier weeks: five low, then five high after a change (as a real class varies, not flat).
    for week, good in zip(range(10, 0, -1), [4, 5, 6, 5, 4, 12, 13, 14, 12, 13], strict=True):
        survey_in_week(personas.classroom, instrument, week, productive=good, unproductive=18 - good)
    aggregation.rebuild_all()

    base = live_server.url
    log_in(page, base, "teacher@example.org")
    page.goto(f"{base}/measures/classrooms/{personas.classroom.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a survey").first.click()
    assert_accessible(page)
    page.get_by_label("Instrument").select_option(label="Discussion check")
    page.get_by_role("button", name="Open the survey").click()
    expect(page.locator(".join-code")).to_be_visible()
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    shoot(page, "01-present")
    assert_accessible(page)

    _answer_as_student(browser, base, code, phone=True, shoot=shoot, name="02-student-phone")
    _answer_as_student(browser, base, code, spanish=True, phone=True, shoot=shoot, name="03-student-spanish")
    _answer_as_student(browser, base, code)
    expect(page.locator("#count")).to_have_text("3", timeout=10_000)
    shoot(page, "04-present-count-3")
    assert_accessible(page)

    page.get_by_role("link", name="See results").click()
    expect(page.get_by_text("Results are withheld until at least 10")).to_be_visible()
    shoot(page, "05-withheld")
    assert_accessible(page)

    from measures.models import Administration

    survey = Administration.objects.get(code=code, closed_at__isnull=True)
    for _ in range(9):  # the rest of the class, through the same public form
        token, items = answer_form(client, survey)
        assert post_answers(client, survey, token, productive_choices(items)).status_code == 303

    page.reload()
    page.get_by_role("button", name="Close the survey").click()
    expect(page.get_by_text("is closed")).to_be_visible()
    expect(page.locator("[data-figure] .main-svg").first).to_be_attached(timeout=10_000)
    expect(page.get_by_text("12 responses")).to_be_visible()
    shoot(page, "06-results")
    assert_accessible(page)

    page.goto(f"{base}/measures/classrooms/{personas.classroom.pk}/")
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "07-classroom-trend")
    assert_accessible(page)
    expect(page.get_by_text("Non-random change (Anhøj rules)").first).to_be_visible()
    shoot(page, "07-classroom-trend")
    assert_accessible(page)
    assert errors == [], errors


def test_a_device_that_answered_sees_a_notice_and_may_still_answer(browser, live_server, shoot):
    """The soft one-answer-per-device guard: a notice on the same device, never a block, kept on the device."""
    from measures import services
    from measures.models import Response

    survey = services.administration_open(
        classroom=ClassroomFactory(), instrument=make_instrument(name="Device check"), opened_by=None
    )
    base = live_server.url
    notice = "This device has already sent an answer to this survey"
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors, sent = [], []
    watch(page, errors)
    page.on("request", lambda request: sent.append((request.method, request.url)))

    def answer():
        for fieldset in page.locator("fieldset").all():
            fieldset.locator("label.opt").first.click()
        page.locator("button.send").click()
        expect(page.locator("h1")).to_have_text("Thank you!")

    page.goto(f"{base}/s/{survey.code}")
    expect(page.get_by_text(notice)).to_be_hidden()  # a fresh device: nothing to say
    answer()
    assert page.evaluate("() => JSON.parse(localStorage.getItem('pdc-answered-surveys'))") == [survey.code]

    page.goto(f"{base}/s/{survey.code}")  # the same device opens the survey again
    expect(page.get_by_text(notice)).to_be_visible()
    expect(page.get_by_text("If you are a different student using the same device, go on.")).to_be_visible()
    assert page.get_by_text(notice).bounding_box()["y"] < page.locator("fieldset").first.bounding_box()["y"]
    shoot(page, "08-student-device-notice")
    assert_accessible(page)
    answer()  # a classmate on the same device still sends their answers
    assert Response.objects.filter(administration=survey).count() == 2

    # Nothing left the device but the survey's own pages and answers; no cookie was set.
    assert context.cookies() == []
    posts = [url for method, url in sent if method == "POST"]
    assert posts == [f"{base}/s/{survey.code}?lang=en"] * 2
    assert {url.split("?")[0] for method, url in sent if method == "GET"} <= {
        f"{base}/s/{survey.code}",
        f"{base}/s/{survey.code}/thanks",
        f"{base}/static/css/survey.css",
        f"{base}/static/js/survey-device.js",
        f"{base}/static/favicon.svg",
    }
    context.close()

    other = browser.new_context(**PHONE)  # another device: no notice
    other_page = other.new_page()
    other_page.goto(f"{base}/s/{survey.code}")
    expect(other_page.locator("fieldset").first).to_be_visible()
    expect(other_page.get_by_text(notice)).to_be_hidden()
    other.close()
    assert errors == [], errors

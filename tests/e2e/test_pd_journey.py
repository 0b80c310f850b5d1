"""A PD session from design to review in a real browser: a leader designs a session with three
connected activities, two teachers check in by code, participants give anonymous feedback (only the
count while the survey is open; results once closed, from five answers), the next session's planning
page shows it, and a reviewer codes a clip."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pd.models import Attendance, FacilitationEvidence, PDSession

from .conftest import assert_accessible, log_in, watch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _check_in(browser, base, email, code, *, shoot=None, name=""):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, base, email)
    page.goto(f"{base}/pd/")
    if shoot:
        assert_accessible(page)
    page.get_by_label("Type the code the facilitator shows").fill(code.lower())
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("You are checked in").first).to_be_visible()
    if shoot:
        shoot(page, name)
        assert_accessible(page)
    context.close()


def _give_feedback(browser, base, code, *, agree=True, comment="", shoot=None, name=""):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{base}/s/")
    if shoot:
        assert_accessible(page)
    page.locator("#code").fill(code)
    page.locator("button[type=submit]").click()
    expect(page.locator("fieldset").first).to_be_visible()
    for fieldset in page.locator("fieldset").all():
        options = fieldset.locator("label.opt")
        if options.count():
            (options.last if agree else options.first).click()
    if comment:
        page.locator("textarea").fill(comment)
    if shoot:
        shoot(page, name)
        assert_accessible(page)
    page.locator("button.send").click()
    expect(page.locator("h1")).to_have_text("Thank you!")
    if shoot:
        assert_accessible(page)
    context.close()


def _add_activity(page, title, kind, goal, minutes, *, builds_on=None, toward=None):
    page.get_by_role("link", name=re.compile(r"Add (the first|an) activity")).first.click()
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_label("Learning goal").fill(goal)
    page.get_by_label("Minutes").fill(str(minutes))
    page.get_by_label("Who leads it").fill("Coach")
    if builds_on:
        page.get_by_label("Builds on the activity").select_option(label=builds_on)
    if toward:
        page.get_by_label("Works toward the goal").select_option(label=toward)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("Activity added to the agenda.")).to_be_visible()


def test_a_leader_designs_runs_and_reviews_a_pd_session(page, browser, live_server, personas, shoot):
    errors = []
    watch(page, errors)
    base = live_server.url
    today = timezone.localdate()
    personas.district.min_group_size = 5  # the smallest a district may choose
    personas.district.save(update_fields=["min_group_size"])

    # The leader starts a series and designs a session with three connected activities.
    log_in(page, base, "leader@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="PD", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a PD series").first.click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Grade 7 summary discussions")
    page.get_by_label("Grades", exact=True).fill("7")
    page.get_by_label("Coach (coach)").check()
    page.get_by_label("Long-term goals for teachers' learning").fill(
        "Understand the logic of the lessons\nLead productive summary discussions"
    )
    page.get_by_role("button", name="Start the series").click()
    expect(page.get_by_role("heading", name="Grade 7 summary discussions")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add the first session").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Pilot PD 1: the summary phase")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Starts at").fill("16:00")
    page.get_by_label("Length (minutes)").fill("90")
    page.get_by_label("Lesson or task").fill("Comparing and Scaling 2.3")
    page.get_by_label("Short-term goals for this session").fill(
        "Identify the key student solutions for the summary\nPlan questions that connect them"
    )
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text("No activities yet.")).to_be_visible()
    assert_accessible(page)

    _add_activity(page, "Solve the task", "Solve the mathematics", "See the strategies students will use", 20)
    _add_activity(
        page,
        "Sort student work",
        "Analyze student work",
        "Choose solutions that build toward the lesson's goal",
        30,
        builds_on="Solve the task",
        toward="Identify the key student solutions for the summary",
    )
    _add_activity(
        page,
        "Co-plan the summary",
        "Co-plan a lesson",
        "Sequence the chosen solutions and plan connecting questions",
        30,
        builds_on="Sort student work",
        toward="Plan questions that connect them",
    )
    agenda = page.locator("#agenda")
    expect(agenda.get_by_text("4:00–4:20")).to_be_visible()
    expect(agenda.get_by_text("4:50–5:20")).to_be_visible()
    expect(agenda.get_by_text("80 of 90 minutes planned")).to_be_visible()
    expect(agenda.locator(".alert-warning")).to_have_count(0)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print the agenda").click()
    assert page.evaluate("window.printed") == 1  # static/js/print.js, no inline handler
    shoot(page, "30-pd-session-agenda")
    assert_accessible(page)

    # Check-in by code: two teachers on their phones.
    page.get_by_role("button", name="Open check-in (code and QR)").click()
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    expect(page.locator(".qr svg")).to_be_visible()
    shoot(page, "31-pd-checkin-code")
    assert_accessible(page)
    _check_in(browser, base, "teacher@example.org", code, shoot=shoot, name="32-pd-teacher-checked-in")
    _check_in(browser, base, "teacher_b@example.org", code)
    expect(page.locator("#count")).to_have_text("2", timeout=10_000)
    session = PDSession.objects.get(title="Pilot PD 1: the summary phase")
    assert set(Attendance.objects.filter(session=session).values_list("user__email", flat=True)) == {
        "teacher@example.org",
        "teacher_b@example.org",
    }

    # Anonymous feedback at the end: withheld below the district's minimum of five.
    page.goto(f"{base}/pd/sessions/{session.pk}/")
    page.get_by_role("link", name="Open the feedback survey").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open it and show the code").click()
    feedback_code = page.locator(".join-code").inner_text().strip()
    assert_accessible(page)
    assert feedback_code != code
    comments = ["More time to solve the task ourselves", "", "The student work showed me what to press on"]
    for n, comment in enumerate(comments):
        _give_feedback(
            browser, base, feedback_code, comment=comment, shoot=shoot if n == 0 else None, name="33-pd-feedback-phone"
        )
    page.goto(f"{base}/pd/sessions/{session.pk}/")
    feedback = page.locator("#feedback")
    # While the survey is open the facilitator sees only how many answered.
    expect(feedback.get_by_text("3 responses so far.")).to_be_visible()
    expect(page.get_by_text("More time to solve the task ourselves")).to_have_count(0)
    shoot(page, "33b-pd-feedback-open")
    assert_accessible(page)
    _give_feedback(browser, base, feedback_code, agree=False, comment="Less talk, more doing")
    _give_feedback(browser, base, feedback_code)
    page.reload()
    expect(feedback.get_by_text("5 responses so far.")).to_be_visible()
    page.get_by_role("button", name="Close the survey").click()
    expect(feedback.get_by_text("5 anonymous responses.")).to_be_visible()
    expect(feedback.get_by_text("More time to solve the task ourselves")).to_be_visible()
    assert_accessible(page)

    # The next session's planning page shows what participants said last time.
    page.goto(f"{base}/pd/series/{session.series_id}/sessions/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Pilot PD 2: pressing on ideas")
    page.get_by_label("Date").fill((today + timedelta(days=35)).isoformat())
    page.get_by_role("button", name="Add the session").click()
    last_time = page.locator("#last-time")
    expect(last_time.get_by_role("heading", name="What participants said last time")).to_be_visible()
    expect(last_time.get_by_text("Less talk, more doing")).to_be_visible()
    expect(last_time.get_by_text("The student work showed me what to press on")).to_be_visible()
    shoot(page, "34-pd-next-session-last-time")
    assert_accessible(page)
    assert errors == [], errors

    # A reviewer (the partnership's researcher) codes a clip of the session's video.
    page.context.clear_cookies()
    log_in(page, base, "partner@example.org")
    page.goto(f"{base}/pd/sessions/{session.pk}/review/")
    assert_accessible(page)
    page.get_by_label("Math leader").select_option(label="Coach")
    page.get_by_label("Goal").select_option(label="Press on teachers' ideas")
    page.get_by_label("Evidence of improvement").check()
    page.get_by_label("Clip (link or file)").fill("https://video.example.org/pilot-1.mp4")
    page.get_by_label("Clip starts at").fill("12:30")
    page.get_by_label("Clip ends at").fill("14:05")
    page.get_by_label("Note").fill("Asked a teacher to connect her solution to the ratio table another group made.")
    page.get_by_role("button", name="Record the evidence").click()
    expect(page.get_by_text("Evidence recorded.")).to_be_visible()
    expect(page.get_by_text("At 12:30–14:05")).to_be_visible()
    expect(page.get_by_role("link", name="watch the clip")).to_have_attribute(
        "href", "https://video.example.org/pilot-1.mp4#t=750,845"
    )
    evidence = FacilitationEvidence.objects.get(session=session)
    assert (evidence.clip_start, evidence.clip_end, evidence.leader.email) == (750, 845, "coach@example.org")
    shoot(page, "35-pd-facilitation-review")
    assert_accessible(page)
    page.get_by_role("link", name="How the evidence moved across the series").click()
    expect(page.locator("[data-figure] .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "36-pd-evidence-chart")
    assert_accessible(page)
    assert errors == [], errors

"""Improvement planning in a real browser: the demo director writes a priority with a five-step
why-chain and a logic model with an outcome linked to a measure; a teacher runs a PDSA cycle on a
classroom, records the prediction, sees the Study run chart with the cycle marked, and Act → adapt
starts the next cycle."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in, watch

# serialized_rollback: start from the migrated data (starter instruments, practice library), whatever an
# earlier transactional test flushed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WHYS = [
    ("Why do students rarely explain their thinking?", "Lessons end before the discussion."),
    ("Why do lessons end before the discussion?", "The launch and work time run long."),
    ("Why do they run long?", "Tasks are introduced with many worked examples."),
    ("Why so many worked examples?", "Teachers worry students will get stuck."),
    ("Why that worry?", "Teachers have had little practice supporting productive struggle."),
]


def test_a_director_plans_and_a_teacher_runs_a_pdsa_cycle(page, live_server, settings, shoot):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", "--weeks", "10", "--password", "pass-word-123", verbosity=0)
    settings.DEBUG = False
    from cycles.models import ImprovementCycle
    from measures.models import Administration, Instrument

    errors = []
    watch(page, errors)
    base = live_server.url
    main_nav = page.get_by_role("navigation", name="Main")

    # --- the director: a priority with five whys -------------------------------------------
    log_in(page, base, "director@lakeside.example")
    main_nav.get_by_role("link", name="Priorities").click()
    expect(page.get_by_role("heading", name="Priorities · Lakeside Unified School District")).to_be_visible()
    shoot(page, "cycles-01-priorities-board")
    assert_accessible(page)
    page.get_by_role("link", name="Add a priority").first.click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Students explain their reasoning in the closing discussion")
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Problem of practice").fill("Closing discussions are short; few students explain.")
    page.get_by_label("Data reviewed").fill("Fall discussion surveys: about 40% productive answers.")
    page.get_by_role("button", name="Add the priority").click()
    expect(page.get_by_text("Priority added")).to_be_visible()
    assert_accessible(page)
    for why, because in WHYS:
        add = page.get_by_role("form", name="Add a why")
        add.get_by_label("Why?").fill(why)
        add.get_by_label("Because…").fill(because)
        add.get_by_role("button", name="Add why").click()
    expect(page.locator("#whys li.list-group-item")).to_have_count(5)
    expect(
        page.get_by_text("Root cause: Teachers have had little practice supporting productive struggle.")
    ).to_be_visible()
    shoot(page, "cycles-02-priority-five-whys")
    assert_accessible(page)

    # --- the director: a logic model with an outcome linked to a measure --------------------
    page.get_by_role("link", name="Logic model").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the logic model").click()
    assert_accessible(page)
    boxes = [
        ("inputs", "Coaches and monthly PD days"),
        ("activities", "PD on launching tasks briefly"),
        ("outputs", "Teachers plan a short launch"),
        ("short", "Students make sense of classmates' reasoning"),
        ("long", "Higher spring benchmark scores"),
    ]
    for kind, text in boxes:
        page.get_by_label("Kind").select_option(kind)
        page.get_by_label("Text").fill(text)
        page.get_by_role("button", name="Add the box").click()
    for source, target in [(0, 1), (1, 2), (2, 3), (3, 4)]:
        page.get_by_label("From").select_option(index=_index(page, "From", boxes[source][1]))
        page.get_by_label("Leads to").select_option(index=_index(page, "Leads to", boxes[target][1]))
        page.get_by_role("button", name="Add the arrow").click()
    page.get_by_role("row", name="Short-term outcomes").get_by_role("link", name="Link a measure").click()
    assert_accessible(page)
    whole_class = Instrument.objects.get(district=None, kind="whole_class", is_current=True)
    # The defaults are the district's results and the instrument with data there, never the alphabetical first.
    expect(page.get_by_label("Instrument and item")).to_have_value(f"{whole_class.lineage}:0")
    expect(page.get_by_label("Whose results")).to_have_value(re.compile(r"^district:"))
    page.get_by_label("Instrument and item").select_option(f"{whole_class.lineage}:0")
    page.get_by_label("Whose results").select_option(label="District: Lakeside Unified School District")
    page.get_by_label("Target (% productive answers)").fill("60")
    page.get_by_role("button", name="Link the measure").click()
    diagram = page.locator(".logic-diagram svg")
    expect(diagram).to_be_visible()
    expect(diagram.locator("path[marker-end]")).to_have_count(4)
    expect(diagram).to_contain_text("Latest")
    expect(diagram).to_contain_text("target 60%")
    shoot(page, "cycles-03-logic-model")
    assert_accessible(page)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1  # static/js/print.js, no inline handler
    with page.expect_download() as download:
        page.get_by_role("link", name="Download SVG").click()
    assert download.value.suggested_filename.endswith(".svg")

    # --- the director: a cycle from the priority's linked outcome, with data from the start ---
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Students explain").click()
    expect(page.get_by_role("link", name="Start a cycle", exact=True)).to_be_visible()
    shoot(page, "cycles-03a-priority-starts-cycles")
    page.get_by_role("link", name="Start a cycle for this outcome").click()
    expect(page.get_by_text("Started from the outcome")).to_be_visible()
    assert_accessible(page)
    scope = page.get_by_label("Scope")
    expect(scope).to_have_value("district")
    # Only a classroom's teacher (or their coach) starts a classroom cycle: the director is not offered one.
    expect(scope.locator("option")).to_have_text(["Teacher (own practice)", "School", "District", "Network"])
    expect(page.get_by_label("Classroom")).to_have_count(0)
    shoot(page, "cycles-03b-cycle-form-from-outcome")
    survey_weeks = sorted(set(Administration.objects.values_list("week", flat=True)))
    page.get_by_label("Title").fill("Planned discussions across the district")
    page.get_by_label("Start", exact=True).fill(survey_weeks[-3].isoformat())
    page.get_by_label("End", exact=True).fill((datetime.date.today() + datetime.timedelta(weeks=4)).isoformat())
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_text("Cycle started, judged by the outcome's measure")).to_be_visible()
    expect(page.get_by_text("target 60%").first).to_be_visible()
    study = page.locator("#step-study")
    expect(study.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    expect(study.get_by_text("Baseline median", exact=True)).to_be_visible()
    shoot(page, "cycles-03c-cycle-from-outcome-study")
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()

    # --- a teacher: a PDSA cycle on a classroom ---------------------------------------------
    demo_cycle = ImprovementCycle.objects.filter(scope="classroom").select_related("classroom__teacher").first()
    room, teacher = demo_cycle.classroom, demo_cycle.classroom.teacher
    weeks = sorted(set(Administration.objects.filter(classroom=room).values_list("week", flat=True)))
    start, end = weeks[-3], weeks[-1] + datetime.timedelta(days=4)
    log_in(page, base, teacher.email)
    expect(page.get_by_role("heading", name="My improvement cycles")).to_be_visible()
    main_nav.get_by_role("link", name="Cycles", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a cycle").first.click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Two-minute launch")
    page.get_by_label("Aim").fill("More students make sense of classmates' reasoning.")
    page.get_by_label("Scope").select_option("classroom")
    page.get_by_label("Classroom").select_option(str(room.pk))
    page.get_by_label("Start", exact=True).fill(start.isoformat())
    page.get_by_label("End", exact=True).fill(end.isoformat())
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_text("Cycle started")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Link a measure").first.click()
    assert_accessible(page)
    page.get_by_label("Instrument and item").select_option(f"{whole_class.lineage}:0")
    page.get_by_label("Whose results").select_option(f"classroom:{room.pk}")
    page.get_by_role("button", name="Link the measure").click()

    page.locator("#id_step-date").fill(start.isoformat())
    page.locator("#id_step-change_idea").fill("Launch the task in two minutes, then partners restate it.")
    page.locator("#id_step-prediction").fill("Productive answers rise above the baseline median.")
    page.get_by_role("button", name="Record plan").click()
    page.locator("#id_step-date").fill(start.isoformat())
    page.locator("#id_step-notes").fill("Used the short launch on four days.")
    page.get_by_role("button", name="Record do").click()
    study = page.locator("#step-study")
    expect(study.get_by_text("Prediction: Productive answers rise above the baseline median.")).to_be_visible()
    expect(study.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    expect(study.get_by_text("Baseline median", exact=True)).to_be_visible()
    expect(study).to_contain_text("cycle starts")
    shoot(page, "cycles-04-study-run-chart")
    assert_accessible(page)

    studied_on = min(end, datetime.date.today())
    page.locator("#id_step-date").fill(studied_on.isoformat())
    page.locator("#id_step-notes").fill("The chart moved above the baseline median.")
    page.get_by_role("button", name="Record study").click()
    page.locator("#id_step-date").fill(studied_on.isoformat())
    page.get_by_label("Adapt: change it and try again").check()
    page.locator("#id_step-notes").fill("Add a sentence starter for partners.")
    page.get_by_label("Start the next cycle now").check()
    page.get_by_role("button", name="Record act").click()
    expect(page.get_by_text("The next cycle is ready")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-minute launch · cycle 2")
    expect(page.locator("#id_step-change_idea")).to_have_value(
        "Launch the task in two minutes, then partners restate it."
    )
    shoot(page, "cycles-05-next-cycle")
    assert_accessible(page)

    main_nav.get_by_role("link", name="Cycles", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "cycles-06-timeline")
    assert_accessible(page)
    page.get_by_role("link", name="Tree").click()
    shoot(page, "cycles-07-tree")
    assert_accessible(page)
    assert errors == [], errors


def _index(page, label, text):
    options = page.get_by_label(label).locator("option").all_inner_texts()
    return next(i for i, option in enumerate(options) if text[:40] in option)

"""The coaching journey in a real browser, on the demo district: the coach starts a cycle from a
teacher's survey results, logs a co-plan, scores an observation and debriefs with next steps; the
teacher sees the cycle and the next steps; the principal sees counts but no notes."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coaching.models import CoachingCycle
from districts.models import CoachAssignment, Membership, Role

from .conftest import assert_accessible, log_in, watch

# serialized_rollback: start from the migrated data (starter instruments and rubric), whatever an
# earlier transactional test flushed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "demo-pass-2026"
GOAL = "I want my students to explain why their strategy works, and to each other."
CO_PLAN_STEPS = "Open with 3 minutes of private think time; partners compare before the discussion."
DEBRIEF_STEPS = "Use the turn-and-talk twice this week, then survey the class on Friday."
PRIVATE_NOTE = "Nervous about the principal's walkthrough next week."


def _demo_coachee():
    """Coach 1's coachee at the school whose principal has a demo login."""
    principal = Membership.objects.get(user__email="principal1@lakeside.example", role=Role.PRINCIPAL)
    assignment = (
        CoachAssignment.objects.filter(
            coach__email="coach1@lakeside.example",
            teacher__memberships__school=principal.school,
            teacher__memberships__role=Role.TEACHER,
        )
        .select_related("teacher")
        .order_by("teacher__full_name")
        .first()
    )
    return assignment.teacher, principal.school


def test_a_coach_runs_a_cycle_the_teacher_follows_it_and_the_principal_sees_counts(
    page, browser, live_server, settings, shoot
):
    settings.DEBUG = True
    call_command("seed_demo", "--weeks", "4", "--password", PASSWORD, stdout=StringIO())
    teacher, school = _demo_coachee()
    errors = []
    watch(page, errors)
    base = live_server.url

    # --- the coach ------------------------------------------------------------------------------
    log_in(page, base, "coach1@lakeside.example", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coaching").click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "coaching-01-caseload")
    assert_accessible(page)

    page.locator("#caseload").get_by_role("link", name=teacher.full_name).click()
    expect(page.get_by_role("heading", name=teacher.full_name)).to_be_visible()
    expect(page.locator(".linked-survey").first).to_contain_text("productive answers overall")
    shoot(page, "coaching-02-teacher-surveys")
    assert_accessible(page)
    page.get_by_role("link", name="Start a cycle from this survey").first.click()

    page.get_by_label("Focus practice").fill("Pressing students to explain their reasoning")
    page.get_by_label("Negotiated goal").fill(GOAL)
    shoot(page, "coaching-03-start")
    assert_accessible(page)
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.locator("#goal")).to_contain_text(GOAL)
    expect(page.get_by_text("It started from this survey")).to_be_visible()
    expect(page.locator("#suggestion")).to_contain_text("Pre-conference")

    page.get_by_role("link", name="Log pre-conference / co-plan").click()
    assert_accessible(page)
    page.get_by_label("Lesson and task").fill("Comparing ratios: which recipe is more lemony?")
    page.get_by_label("Mathematical goals for students").fill("Compare ratios by scaling to a common quantity.")
    page.get_by_label("Anticipated student strategies").fill("Unit rates; tape diagrams; additive comparison.")
    page.get_by_label("Agreed next steps").fill(CO_PLAN_STEPS)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#suggestion")).to_contain_text("Classroom collaboration")

    page.get_by_role("link", name="Score an observation").click()
    page.get_by_label("Lesson and task").fill("Comparing ratios")
    for n, score in enumerate((3, 2, 2, 3, 1, 2), start=1):
        dimension = page.locator(f"#dimension-{n}")
        dimension.locator(f"input[type=radio][value='{score}']").check()
        dimension.locator("textarea").fill(f"Evidence {n}: what students said and did.")
    shoot(page, "coaching-04-observation-form")
    assert_accessible(page)
    page.get_by_role("button", name="Save the observation").click()
    expect(page.locator("table.scores").first).to_contain_text("Potential of the Task")

    page.get_by_role("link", name="Log observation with feedback").click()
    assert_accessible(page)
    page.get_by_label("Feedback given").fill("Four students who rarely talk explained their scaling strategy.")
    page.locator("input[name=observations]").first.check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#suggestion")).to_contain_text("Debrief")

    page.get_by_role("link", name="Log debrief").click()
    assert_accessible(page)
    page.get_by_label("What was tried").fill("Private think time, then partners compared strategies.")
    page.get_by_label("Agreed next steps").fill(DEBRIEF_STEPS)
    page.get_by_label("Note", exact=True).fill(PRIVATE_NOTE)
    page.get_by_label("Keep the note private to me").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#suggestion")).to_contain_text("Next round")
    expect(page.locator(".timeline-event")).to_have_count(3)
    expect(page.get_by_text(PRIVATE_NOTE)).to_be_visible()
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "coaching-05-cycle-coach")
    assert_accessible(page)
    cycle = CoachingCycle.objects.get(teacher=teacher, goal=GOAL)
    page.get_by_role("button", name="Log out").click()

    # --- the teacher ----------------------------------------------------------------------------
    log_in(page, base, teacher.email, PASSWORD)
    expect(page.get_by_text(DEBRIEF_STEPS)).to_be_visible()
    shoot(page, "coaching-06-teacher-home")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coaching").click()
    expect(page.get_by_role("heading", name="My coaching")).to_be_visible()
    expect(page.locator(".my-cycle", has_text=GOAL)).to_contain_text(DEBRIEF_STEPS)
    shoot(page, "coaching-07-teacher-coaching")
    assert_accessible(page)
    page.goto(f"{base}{cycle.get_absolute_url()}")
    expect(page.locator("#goal")).to_contain_text(GOAL)
    expect(page.get_by_text(CO_PLAN_STEPS)).to_be_visible()
    expect(page.get_by_text(PRIVATE_NOTE)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the cycle")).to_have_count(0)
    shoot(page, "coaching-08-cycle-teacher")
    assert_accessible(page)
    page.get_by_role("button", name="Log out").click()

    # --- the principal --------------------------------------------------------------------------
    log_in(page, base, "principal1@lakeside.example", PASSWORD)
    page.goto(f"{base}/coaching/schools/{school.pk}/")
    row = page.locator("#school-cycles tr", has_text=teacher.full_name).filter(
        has_text="Pressing students to explain their reasoning"
    )
    expect(row.first).to_contain_text("3")
    expect(page.locator(".chart .main-svg").first).to_be_attached(timeout=10_000)
    shoot(page, "coaching-09-principal-school")
    assert_accessible(page)
    page.goto(f"{base}{cycle.get_absolute_url()}")
    expect(page.locator("#event-counts")).to_contain_text("3")
    for secret in (GOAL, CO_PLAN_STEPS, DEBRIEF_STEPS, PRIVATE_NOTE):
        expect(page.get_by_text(secret)).to_have_count(0)
    shoot(page, "coaching-10-principal-cycle")
    assert_accessible(page)
    assert errors == [], errors

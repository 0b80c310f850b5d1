"""Demo coaching for Lakeside Unified: each coach works with 4–6 of their teachers in cycles at
different stages (just negotiated, co-planned, observed, debriefed, completed), leads two group
sessions, and scores lessons on the starter rubric. Runs after measures.demo, so cycles can start
from a real survey and link the classroom's surveys as evidence. Every name and note is fictional.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cycles.selectors import practices_for
from measures.models import Administration

from . import services
from .models import CoachingCycle, CycleStatus, EventKind, GroupSessionKind, Rubric

STARTER_LINEAGE = "5d0c2f0e-7c1a-4a51-9a43-3c3e6a1b2f71"

# The NCTM teaching practice each demo focus serves (the practice library ships them).
FOCUS_PRACTICE = {
    "Pressing students to explain their reasoning": "NCTM 4",
    "Orchestrating whole-class discussion of student strategies": "NCTM 4",
    "Launching tasks so every student can start": "NCTM 2",
    "Small-group work where students build on each other's ideas": "NCTM 4",
    "Using student work to decide what to teach next": "NCTM 8",
    "Posing questions that open up students' thinking": "NCTM 5",
}

# (focus practice, goal in the teacher's words, lesson, mathematical goals, anticipated strategies)
FOCI = (
    (
        "Pressing students to explain their reasoning",
        "I want my students to explain why their strategy works, not just what they did.",
        "Comparing ratios: which recipe is more lemony?",
        "Ratios can be compared by scaling to a common quantity; equivalent ratios describe the same relationship.",
        "Scale both recipes to the same amount of water; compute unit rates; draw tape diagrams; "
        "some will compare differences (additive thinking) — use it to launch the discussion.",
    ),
    (
        "Orchestrating whole-class discussion of student strategies",
        "I want the whole-class discussion to build on my students' own solutions, in an order that goes somewhere.",
        "Area of composite figures",
        "Area is additive: a figure can be decomposed and recomposed without changing its area.",
        "Cut into rectangles; enclose in a big rectangle and subtract; count squares; a few will average side lengths.",
    ),
    (
        "Launching tasks so every student can start",
        "I want every student to get started on the task without me going table to table.",
        "Linear growth patterns: the growing tiles task",
        "A constant rate of change appears in the table, the graph and the equation as the same number.",
        "Draw the next figures; make a table; look for what is added each time; write a rule in words before symbols.",
    ),
    (
        "Small-group work where students build on each other's ideas",
        "I want my students to listen to each other in groups, not only to me.",
        "Solving equations with a balance model",
        "Doing the same to both sides keeps the equation balanced; inverse operations undo each other.",
        "Guess and check; work backwards; balance moves; some will subtract from one side only.",
    ),
    (
        "Using student work to decide what to teach next",
        "I want to use what my students write to decide where to take the next lesson.",
        "Percent increase and decrease: the sale price task",
        "A percent change is relative to the original amount; successive percents do not simply add.",
        "Find 20% then subtract; multiply by 0.8; use a double number line; some will add and subtract the percents.",
    ),
    (
        "Posing questions that open up students' thinking",
        "I want to ask questions that get students thinking instead of questions with one quick answer.",
        "Probability: is the spinner game fair?",
        "Probability compares favorable outcomes to all equally likely outcomes; "
        "experiments approach it over many trials.",
        "List outcomes; draw a tree; run trials and tally; some will reason from the spinner's colors, not areas.",
    ),
)
TRIED = (
    "Gave 3 minutes of private think time before partners talked; posted two sentence frames.",
    "Selected three solutions in advance and sequenced them from counting to unit rate.",
    "Used a turn-and-talk after each student explanation before asking for agreement or disagreement.",
    "Asked 'How do you know?' and waited; revoiced students' ideas without correcting them.",
    "Started with a notice-and-wonder on the first figure instead of explaining the task.",
)
FEEDBACK = (
    "More students explained their thinking than in September; four students who rarely talk shared with a partner. "
    "When a student gave a quick answer, you moved on — next time press once more.",
    "The sequencing worked: the class got to the unit-rate idea from their own work. The discussion stayed with "
    "the teacher; try asking students to respond to each other's strategies.",
    "Every group started within two minutes. Some groups split the work instead of discussing it.",
    "Your questions were open, and students took them up. Wait time after 'why' questions was short (under 3 s).",
)
NEXT_STEPS = (
    "Try the turn-and-talk routine twice this week; survey the class on Friday and look at the results together.",
    "Plan the next lesson's discussion: choose and sequence three student solutions during the work time.",
    "Teacher will ask students to restate a classmate's idea before adding their own; coach will observe Tuesday.",
    "Bring three pieces of student work to the next pre-conference to decide what to press on.",
    "Count to five after each 'why' question; we'll look at the next survey's item on explaining reasoning.",
)
PRIVATE = (
    "Seemed worried about the upcoming evaluation — keep the focus on students' thinking, not on her.",
    "Prefers to plan in the morning before first period. Hesitant about being observed by the principal.",
    "Ask about the new co-teacher arrangement next time; there may be tension.",
)
OTHER_NOTES = (
    "Shared notes with the teacher after the lesson.",
    "Quick check-in in the hallway: the routine is sticking.",
    "Looked at the survey results together; the class is talking more in small groups.",
)

# Stages of a cycle, in event kinds (oldest first). "completed" ends with a debrief and is closed.
STAGES = (
    ("negotiated", ()),
    ("co-planned", (EventKind.PRE_CONFERENCE,)),
    ("observed", (EventKind.PRE_CONFERENCE, EventKind.OBSERVATION)),
    ("debriefed", (EventKind.PRE_CONFERENCE, EventKind.CO_TEACHING, EventKind.DEBRIEF)),
    (
        "second round",
        (EventKind.PRE_CONFERENCE, EventKind.MODELING, EventKind.DEBRIEF, EventKind.PRE_CONFERENCE),
    ),
    ("completed", (EventKind.PRE_CONFERENCE, EventKind.OBSERVATION, EventKind.DEBRIEF)),
)


def seed(demo, rng: random.Random) -> None:
    rubric = Rubric.objects.filter(lineage=STARTER_LINEAGE, district=None, is_current=True).first()
    if rubric is None:
        demo.warnings.append("No starter observation rubric: no coaching data was seeded.")
        return
    dimensions = list(rubric.dimensions.order_by("order"))
    practices = {p.code: p for p in practices_for(demo.district)}
    today = demo.today
    n_cycles = n_events = n_observations = n_sessions = 0
    for coach in demo.coaches:
        chosen = _interleaved_by_school(demo, demo.coachees_of(coach), rng)
        chosen = chosen[: rng.randint(4, min(6, len(chosen)))]
        stages = list(STAGES)
        rng.shuffle(stages)
        for n, teacher in enumerate(chosen):
            stage, kinds = stages[n % len(stages)]
            rooms = demo.classrooms_of(teacher)
            room = rooms[0] if rooms else None
            focus = FOCI[(n + demo.coaches.index(coach)) % len(FOCI)]
            # Later stages started longer ago: from two weeks up to about three months.
            started = today - timedelta(days=7 * (2 + len(kinds) * 2) + rng.randint(0, 4))
            # The last contact: recent for most, over three weeks ago for some (the caseload flags them).
            last = today - timedelta(days=rng.choice((2, 4, 6, 9, 12, 25)))
            step = (last - started) / max(len(kinds), 1)
            start_survey = _survey_before(room, started) if room else None
            cycle = CoachingCycle(
                district=demo.district,
                school=demo.school_of_teacher[teacher.pk],
                coach=coach,
                teacher=teacher,
                classroom=room,
                school_year=demo.school_year,
                focus_practice=focus[0],
                practice=practices.get(FOCUS_PRACTICE.get(focus[0], "")),
                goal=focus[1],
                started_from_administration=start_survey,
                started_on=started,
            )
            cycle.full_clean()
            cycle.save()
            n_cycles += 1
            day = started
            score_base = rng.randint(1, 2)
            for k, kind in enumerate(kinds):
                day = started + step * (k + 1) - timedelta(days=rng.randint(0, 2) if k + 1 < len(kinds) else 0)
                observations = []
                if kind in (EventKind.OBSERVATION, EventKind.CO_TEACHING):
                    scores = {
                        d.pk: (
                            min(4, score_base + rng.choice((0, 0, 1)) + (1 if k > 1 else 0)),
                            rng.choice(FEEDBACK)[:140],
                        )
                        for d in dimensions
                    }
                    observations.append(
                        services.observation_record(
                            observer=coach,
                            rubric=rubric,
                            district=demo.district,
                            teacher=teacher,
                            classroom=room,
                            cycle=cycle,
                            observed_on=day,
                            lesson=focus[2],
                            summary="Scored during the lesson; evidence from student talk and work.",
                            scores=scores,
                        )
                    )
                    n_observations += 1
                survey = _survey_before(room, day + timedelta(days=3)) if room and kind != "pre_conference" else None
                private = rng.random() < 0.3
                services.event_log(
                    cycle=cycle,
                    by=coach,
                    kind=kind,
                    date=day,
                    minutes=rng.choice((30, 45, 50, 55)),
                    lesson=focus[2],
                    math_goals=focus[3] if kind == EventKind.PRE_CONFERENCE else "",
                    anticipated_strategies=focus[4] if kind == EventKind.PRE_CONFERENCE else "",
                    what_was_tried=rng.choice(TRIED) if kind != EventKind.PRE_CONFERENCE else "",
                    feedback=rng.choice(FEEDBACK) if kind in (EventKind.OBSERVATION, EventKind.DEBRIEF) else "",
                    next_steps=rng.choice(NEXT_STEPS),
                    note=rng.choice(PRIVATE) if private else rng.choice(OTHER_NOTES),
                    note_is_private=private,
                    administrations=[survey] if survey else [],
                    observations=observations,
                )
                n_events += 1
            if stage == "completed":
                cycle.status = CycleStatus.COMPLETED
                cycle.ended_on = max(day, started)
                cycle.save(update_fields=["status", "ended_on"])
        n_sessions += _group_sessions(demo, coach, rng)
    demo.notes.append(
        f"Coaching: {n_cycles} cycles, {n_events} events, {n_observations} observations on the starter rubric, "
        f"{n_sessions} group sessions."
    )


def _interleaved_by_school(demo, teachers, rng: random.Random) -> list:
    """The coach's teachers, alternating between their schools, so every school has cycles."""
    by_school: dict[int, list] = {}
    for teacher in teachers:
        by_school.setdefault(demo.school_of_teacher[teacher.pk].pk, []).append(teacher)
    for group in by_school.values():
        rng.shuffle(group)
    out = []
    while any(by_school.values()):
        for key in sorted(by_school):
            if by_school[key]:
                out.append(by_school[key].pop())
    return out


def _survey_before(room, day: date) -> Administration | None:
    return (
        Administration.objects.filter(classroom=room, closed_at__isnull=False, opened_at__date__lte=day)
        .order_by("-opened_at")
        .first()
    )


def _group_sessions(demo, coach, rng: random.Random) -> int:
    """Two teacher collaborative meetings at the coach's first school."""
    mine = demo.coachees_of(coach)
    if not mine:
        return 0
    school = demo.school_of_teacher[mine[0].pk]
    colleagues = [t for t in demo.teachers if demo.school_of_teacher[t.pk].pk == school.pk]
    plans = (
        (
            GroupSessionKind.STUDENT_WORK,
            "Using student work to decide what to teach next",
            "Sorted exit tickets from the ratio lesson into three piles: additive, scaling, unit rate. "
            "Teachers noticed most additive answers came from one wording of the task.",
            "Each teacher brings three pieces of student work from the next lesson; try the reworded task.",
        ),
        (
            GroupSessionKind.ENGAGE_MATH,
            "Orchestrating whole-class discussion of student strategies",
            "Solved the growing tiles task ourselves, then anticipated student strategies and planned the sequence.",
            "Teach the task this week; bring one student solution we did not anticipate.",
        ),
    )
    for n, (kind, focus, notes, next_steps) in enumerate(plans):
        day = demo.today - timedelta(days=7 * (5 - 3 * n) + rng.randint(0, 3))
        services.group_session_save(
            coach=coach,
            school=school,
            kind=kind,
            date=day,
            minutes=60,
            focus_practice=focus,
            notes=notes,
            next_steps=next_steps,
            attendees=rng.sample(colleagues, min(len(colleagues), rng.randint(3, 5))),
        )
    return len(plans)

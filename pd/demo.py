"""Demo PD series for Lakeside Unified, after seed 004: a research team and the district's math
director support three math leaders (the demo's coaches) who design and lead PD for grade 6–7
teachers. Each of four cycles runs co-planning → math-leader PD → a pilot teacher PD the leaders
co-lead, centred on a hard-to-teach CMP2 lesson → the research team's review of the pilot's video.

The data shows what the seed found, so every PD page has something to say: cycle 1's pilot
treats its activities as discrete parts (no links, one activity without a learning goal, and an
agenda that runs over), later pilots are connected sequences; feedback improves across cycles; the
facilitation evidence moves toward improvement on progression and design while pressing on
teachers' ideas stays mostly in stasis. Cycles 1–3 are held; cycle 4's math-leader PD and pilot
are still planned. One math-leader survey has fewer answers than the district's minimum group
size, so its feedback shows as suppressed. Dates are relative to `demo.today`; every name is
fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cycles.models import Practice, Priority
from measures import aggregation
from measures import services as measure_services
from measures.instruments import adult_instruments_for
from measures.models import ItemKind

from . import services as pd_services
from .models import (
    ActivityKind,
    Attendance,
    AttendanceMethod,
    EvidenceDirection,
    FacilitationGoal,
    PDSeries,
    PDSession,
    PDSessionKind,
)

SERIES_GOALS = [
    "Understand the logic of the curriculum's lessons (launch, explore, summary)",
    "Lead productive whole-class summary discussions",
    "Co-plan lessons around key student solutions",
]
PRACTICES = ["NCTM 4", "NCTM 8"]  # meaningful discourse; elicit and use evidence of student thinking
GRADES = ("6", "7")
VIDEO_HOST = "https://video.lakeside.example/pd"
CO_PLAN_AHEAD = 15  # days from a cycle's co-planning (a Tuesday) to its pilot (a Wednesday)
LEADER_PD_AHEAD = 6  # days from the math-leader PD (a Thursday) to the pilot

A = ActivityKind


@dataclass(frozen=True)
class Act:
    kind: str
    title: str
    minutes: int
    led_by: str  # a key of _names: "L0".."L2" a math leader, "LL" all three, "RT" the research team, "D" the director
    materials: str
    learning_goal: str
    builds_on_previous: bool = False
    goal: int | None = None  # the session goal (1-based) it builds on


@dataclass(frozen=True)
class Cycle:
    short: str  # for titles
    lesson: str  # the session's focus
    co_plan_goals: tuple[str, ...]
    leader_goals: tuple[str, ...]
    pilot_goals: tuple[str, ...]
    leader_acts: tuple[Act, ...]
    pilot_acts: tuple[Act, ...]


CYCLES = (
    Cycle(
        short="Mixing Juice",
        lesson="CMP2 Comparing and Scaling (grade 7): the Mixing Juice problem",
        co_plan_goals=("Agree what the math leaders should learn about the summary of Mixing Juice",),
        leader_goals=(
            "Understand how the launch, explore and summary of Mixing Juice serve one mathematical goal",
            "Plan a pilot session that helps teachers see what the summary is for",
        ),
        pilot_goals=(
            "See how the summary of Mixing Juice builds on students' strategies from the explore",
            "Name the key mathematical idea the summary should reach",
        ),
        leader_acts=(
            Act(A.SOLVE, "Do Mixing Juice as learners", 60, "RT", "CMP2 Comparing and Scaling student edition",
                "Ratios can be compared by scaling to a common quantity or by unit rates; the summary is where "
                "students compare those strategies.", goal=1),
            Act(A.STUDENT_WORK, "What did students' strategies show?", 60, "D",
                "Fifteen student solutions from a grade 7 class",
                "Students' strategies range from additive comparisons to part-to-whole ratios; the summary "
                "has to start from them.", True, 1),
            Act(A.VIDEO, "Watch the lesson's summary", 75, "RT", "Video: a grade 7 Mixing Juice summary (14 min)",
                "A summary that compares strategies moves the class toward the ratio idea; one that lists "
                "answers does not.", True, 1),
            Act(A.CO_PLAN, "Draft the pilot session", 90, "RTD", "Pilot planning template",
                "A pilot session's activities should lead teachers to the summary's purpose.", True, 2),
        ),
        pilot_acts=(
            # Discrete on purpose (seed 004, cycle 1): nothing builds on anything, one activity has
            # no learning goal, and the agenda runs 15 minutes over.
            Act(A.SOLVE, "Solve Mixing Juice ourselves", 45, "L0", "CMP2 Comparing and Scaling; chart paper",
                "Ratios can be compared by scaling to a common quantity or by unit rates."),
            Act(A.STUDENT_WORK, "Look at students' juice comparisons", 50, "L1",
                "Twelve student solutions from a grade 7 class",
                "Students' strategies range from additive comparisons to part-to-whole ratios."),
            Act(A.VIDEO, "Watch a summary discussion", 50, "L2", "Video clip: a grade 7 summary (12 min)", ""),
            Act(A.CO_PLAN, "Plan your own summary", 50, "LL", "Planning template",
                "A summary should be planned around the strategies students used."),
        ),
    ),
    Cycle(
        short="Mug Wump's family",
        lesson="CMP2 Stretching and Shrinking (grade 7): Mug Wump's family of similar figures",
        co_plan_goals=("Decide how to help the leaders connect the pilot's activities to one another",),
        leader_goals=(
            "Design pilot activities that build on one another",
            "Choose student work and video that serve the session's goal",
        ),
        pilot_goals=(
            "Select and sequence student solutions for the Mug Wump summary",
            "Connect the scale factor to students' own strategies",
        ),
        leader_acts=(
            Act(A.VIDEO, "Review our cycle 1 pilot", 60, "RT", "Video of the cycle 1 pilot; the analytic memo",
                "Watching our own pilot shows where activities stood alone and teachers lost the thread.", goal=1),
            Act(A.SOLVE, "Do the Mug Wump task as learners", 50, "D", "Grid paper, rulers, CMP2 student edition",
                "Similar figures keep angles and scale every length by one factor; adding distorts the figure.",
                True, 2),
            Act(A.STUDENT_WORK, "Select student work for the pilot", 70, "RT",
                "Mug Wump drawings from two grade 7 classes",
                "Work chosen for its mathematical ideas, not its variety, lets a session reach its goal.", True, 2),
            Act(A.CO_PLAN, "Design connected pilot activities", 100, "RTD", "Pilot planning template with links",
                "Each pilot activity should say which earlier activity or goal it builds on.", True, 1),
        ),
        pilot_acts=(
            Act(A.SOLVE, "Solve the Mug Wump task", 40, "L1",
                "CMP2 Stretching and Shrinking, Investigation 2; grid paper; rulers",
                "Similar figures have equal corresponding angles and side lengths related by one scale factor.",
                goal=2),
            Act(A.STUDENT_WORK, "Sort students' Mug Wump drawings", 45, "L0",
                "Student drawings from two grade 7 classes",
                "Sorting students' work by strategy (adding vs multiplying) shows which ideas the summary must "
                "reach.", True, 1),
            Act(A.VIDEO, "Watch how a teacher sequences the summary", 40, "L2",
                "Video: a grade 7 Mug Wump lesson (9 min) and its transcript",
                "Sequencing from additive to multiplicative strategies lets students see why adding distorts the "
                "figure.", True, 2),
            Act(A.CO_PLAN, "Plan the order of solutions for your summary", 50, "LL",
                "Sequencing template; the sorted student work",
                "Teachers can select and sequence solutions toward the lesson's mathematical goal.", True, 1),
        ),
    ),
    Cycle(
        short="Area of triangles",
        lesson="CMP2 Covering and Surrounding (grade 6): finding the area of triangles",
        co_plan_goals=("Plan how the leaders can press on teachers' ideas, not only collect them",),
        leader_goals=(
            "Anticipate teachers' ideas about the summary and plan how to press on them",
            "Rehearse saying explicitly how each activity builds on the last",
        ),
        pilot_goals=(
            "Plan a summary that compares decomposition strategies with the area formula",
            "Use student work to decide which ideas to press on",
        ),
        leader_acts=(
            Act(A.VIDEO, "Review cycle 2's pilot: where did we press?", 60, "RT",
                "Clips from the cycle 2 pilot; the analytic memo",
                "Most teacher comments in the pilot were accepted without follow-up.", goal=1),
            Act(A.SOLVE, "Triangle area, two ways", 45, "D", "Dot paper, geoboards",
                "Decomposing and recomposing a triangle explains the area formula.", True, 2),
            Act(A.MODEL_LESSON, "Role-play teachers' likely comments", 75, "RT",
                "Cards with comments teachers made in earlier pilots",
                "Different teacher ideas call for different presses: some to extend, some to question.", True, 1),
            Act(A.CO_PLAN, "Plan the pilot and its press questions", 100, "RTD", "Pilot planning template",
                "A pilot plan names the ideas to press on and the questions to ask.", True, 1),
        ),
        pilot_acts=(
            Act(A.SOLVE, "Find the area of the triangles in two ways", 35, "L2",
                "CMP2 Covering and Surrounding; geoboards; dot paper",
                "Decomposing and recomposing a triangle into a parallelogram explains the area formula.", goal=1),
            Act(A.STUDENT_WORK, "Which student ideas should we press on?", 45, "L0",
                "Six student solutions, including one that uses a side as the height",
                "Some student ideas (a side as the height) need pressing before the summary can reach the "
                "formula.", True, 2),
            Act(A.VIDEO, "A summary that compares strategies", 40, "L1", "Video: a grade 6 summary (10 min)",
                "Comparing a decomposition strategy with the formula helps students see why the formula works.",
                True, 1),
            Act(A.CO_PLAN, "Co-plan the next lesson's summary", 60, "LL",
                "Planning template with space for press questions",
                "Planning a summary means deciding which ideas to compare, in what order, and what to ask.",
                True, 1),
        ),
    ),
    Cycle(
        short="Chip-model subtraction",
        lesson="CMP2 Accentuate the Negative (grade 7): subtracting integers with the chip model",
        co_plan_goals=("Plan differential press: which teacher ideas to take up, and how",),
        leader_goals=(
            "Practise pressing differently on different teachers' ideas",
            "Co-plan the pilot around three key student solutions",
        ),
        pilot_goals=(
            "Co-plan a summary around three key student solutions to chip-model subtraction",
            "Press students to connect the chip model and the number line",
        ),
        leader_acts=(
            Act(A.VIDEO, "Review cycle 3's pilot: pressing differently", 60, "RT",
                "Clips from the cycle 3 pilot; the analytic memo",
                "Pressing every idea with the same question is not yet pressing differentially.", goal=1),
            Act(A.SOLVE, "Chip-model subtraction as learners", 50, "D", "Two-color chips; CMP2 student edition",
                "Adding zero pairs makes any subtraction possible with chips.", True, 2),
            Act(A.STUDENT_WORK, "Which three solutions?", 60, "RT", "Student work from a grade 7 class",
                "Three solutions chosen for their ideas carry a summary from chips to the number line.", True, 2),
            Act(A.MODEL_LESSON, "Rehearse pressing on teachers' ideas", 70, "RT",
                "Anticipated teacher comments, with possible presses",
                "A leader decides which idea to press on and how, rather than pressing on all in the same way.",
                True, 1),
            Act(A.CO_PLAN, "Finish the pilot plan", 55, "RTD", "Pilot planning template",
                "The pilot plan names its three solutions and the press for each.", True, 2),
        ),
        pilot_acts=(
            Act(A.SOLVE, "Subtract integers with chips", 35, "L0", "Two-color chips; CMP2 Accentuate the Negative",
                "Adding zero pairs lets us take away more than we have.", goal=2),
            Act(A.MODEL_LESSON, "The leaders model the launch and explore", 40, "L1+L2", "Launch slides; chips",
                "A short launch keeps the task's demand and lets every student start.", True),
            Act(A.STUDENT_WORK, "Choose three key student solutions", 45, "L2", "Student work from a grade 7 class",
                "Three solutions, in order, can carry the class from chips to the number line.", True, 1),
            Act(A.CO_PLAN, "Co-plan the summary around the three solutions", 55, "LL", "Planning template",
                "Teachers plan the questions that press students to connect the two models.", True, 1),
        ),
    ),
)  # fmt: skip

# Evidence on the pilot videos, per cycle: (leader index, goal, direction, note).
PROG, DESIGN, PRESS, REORG = (
    FacilitationGoal.PROGRESSION,
    FacilitationGoal.DESIGN,
    FacilitationGoal.PRESS,
    FacilitationGoal.REORGANIZE,
)
STASIS, BETTER = EvidenceDirection.STASIS, EvidenceDirection.IMPROVEMENT
EVIDENCE = {
    1: (
        (0, PROG, STASIS,
         "Launched the solve without saying how it prepares for the student-work analysis; "
         "teachers treated the two as separate tasks."),
        (1, DESIGN, STASIS,
         "Chose the student work for a variety of answers, not for the ideas the summary should reach."),
        (2, PRESS, STASIS,
         "Accepted a teacher's claim that 'they just need the algorithm' and moved to the next slide "
         "without asking what the students' work showed."),
        (0, PRESS, STASIS,
         "Revoiced every teacher comment with equal weight; no idea was taken up and pressed on."),
        (1, REORG, STASIS,
         "Presented the summary as a new routine to add on, not as a change to how teachers already "
         "close a lesson."),
        (2, PROG, BETTER,
         "Opened by naming the series goal and where today's session sits in it."),
    ),
    2: (
        (0, PROG, BETTER,
         "Introduced the video by pointing back to the task: 'Watch how the teacher uses the scale "
         "factor we just argued about.'"),
        (1, DESIGN, BETTER,
         "Sequenced the student work from additive to multiplicative strategies, as the session goal asked."),
        (2, DESIGN, STASIS,
         "The video clip shows the launch, not the summary the session is about."),
        (0, PRESS, STASIS,
         "When a teacher called the summary 'just sharing answers', moved on rather than asking what "
         "students would learn from the sharing."),
        (1, PRESS, BETTER,
         "Asked a teacher which student idea she would bring up first, and why."),
        (2, REORG, STASIS,
         "Framed selecting and sequencing as an extra planning step rather than a change to how "
         "teachers already plan."),
        (1, REORG, BETTER,
         "Connected sequencing to teachers' habit of 'going over' the homework, and said what changes."),
    ),
    3: (
        (0, PROG, BETTER,
         "Opened each activity with how it built on the last; teachers used the area strategies from "
         "the solve in the student-work analysis."),
        (1, PROG, BETTER,
         "Closed by asking what teachers would now add to their summary plans, linking back to cycle 2's "
         "sequencing."),
        (2, DESIGN, BETTER,
         "Chose a clip of the summary in which a student's decomposition is compared with the formula."),
        (0, DESIGN, BETTER,
         "Built the co-planning template around the three student solutions analysed earlier."),
        (1, PRESS, STASIS,
         "Pressed every teacher with the same 'Can you say more?'; the teacher who took a side as the "
         "height was not pressed on."),
        (2, PRESS, STASIS,
         "Heard a teacher describe the summary as 'showing the right answer' and did not probe it."),
        (0, PRESS, BETTER,
         "Asked one teacher to compare her sequence with the one the video teacher used."),
        (2, REORG, BETTER,
         "Said explicitly which parts of teachers' usual wrap-up to keep and which to change."),
    ),
}  # fmt: skip

MEMOS = {
    1: (
        "The leaders ran the session as four separate parts: solve, student work, video, planning. Teachers rarely "
        "carried an idea from one activity into the next, the video had no stated purpose, and the agenda ran over "
        "into the planning time. {l0}, {l1} and {l2} revoiced teachers' comments but did not press on the ideas that "
        "matter for the summary. Next math-leader PD: plan how each activity builds on the last and give every "
        "activity its own learning goal."
    ),
    2: (
        "The activities now built on one another: {l0} introduced the video by pointing back to the task, and the "
        "student work was sequenced toward the multiplicative idea. The clip still showed the launch rather than "
        "the summary. Pressing was uneven: {l1} asked a teacher to justify the order of solutions, but most "
        "comments were accepted without follow-up. Next: rehearse pressing moves by role-playing teachers' likely "
        "comments."
    ),
    3: (
        "The session was a connected sequence: teachers used the strategies from the solve in the student-work "
        "analysis, and the video showed the summary the session was about. The leaders said explicitly what to "
        "keep and what to change in teachers' usual wrap-up. Pressing on teachers' ideas is still the hardest "
        "part: {l1} and {l2} pressed every idea with the same generic question instead of deciding which ideas to "
        "press on and how. The next math-leader PD should plan differential press around the comments we "
        "anticipate."
    ),
}

COMMENTS = {
    PDSessionKind.PULL_OUT: {
        1: (
            "More time to solve the task ourselves",
            "The video part felt rushed and I wasn't sure what to look for",
            "I'd like to know how the activities connect",
            "We ran out of time for planning",
            "Hard to see how this fits my own lessons",
        ),
        2: (
            "The student work helped me see what to press on",
            "Sorting the Mug Wump drawings was the best part",
            "More time to plan the sequence with my grade-level partner",
            "Could we see a video of the summary, not the launch?",
        ),
        3: (
            "The student work helped me see what to press on",
            "Solving it ourselves before the video made the summary click",
            "I'd like a second session on asking follow-up questions",
            "More time to co-plan with teachers from my school",
            "Send the planning template ahead of time",
        ),
    },
    PDSessionKind.LEADER_PD: {
        1: ("More time to plan how each activity leads to the next", "Doing the lesson as learners was useful"),
        2: ("Watching our own pilot was uncomfortable but useful", "More time to rehearse before the pilot"),
        3: (
            "The role-play of teachers' comments was the most useful part",
            "Still unsure how to press without putting a teacher on the spot",
        ),
    },
}
# Chance that a participant agrees (items 1–2) and, if so, strongly: better with every cycle.
AGREE = {1: 0.55, 2: 0.72, 3: 0.86}
STRONGLY = {1: 0.25, 2: 0.4, 3: 0.55}


def seed(demo, rng: random.Random) -> None:
    district = demo.district
    leaders = list(demo.coaches[:3])
    if len(leaders) < 3:
        demo.warnings.append("Fewer than three coaches: no demo PD series was seeded.")
        return
    pilots = _pilot_dates(demo)
    year = demo.school_year
    series = PDSeries.objects.create(
        district=district,
        title=f"Grade 6–7 summary discussions, {year}–{str(year + 1)[2:]}",
        school_year=year,
        description=(
            "Three math leaders design and lead PD for grade 6–7 teachers, supported by the research team and the "
            "math director. Each cycle: co-plan the math-leader PD, a math-leader PD day, a pilot teacher PD the "
            "leaders co-lead around one hard-to-teach CMP2 lesson, and the research team's review of its video."
        ),
        audience_grades=list(GRADES),
        audience_roles=["teacher"],
        priority=Priority.objects.filter(district=district).first(),
        created_by=demo.director,
        created_at=_at(pilots[0] - timedelta(days=20), time(9)),
    )
    series.facilitators.set(leaders)
    series.practices.set(Practice.objects.filter(district=None, code__in=PRACTICES))
    pd_services.set_series_goals(series=series, lines=SERIES_GOALS)

    names = _names(demo, leaders)
    teachers = [t for t in demo.teachers if {c.grade for c in demo.classrooms_of(t)} & set(GRADES)]
    instrument = adult_instruments_for(district).first()
    if instrument is None:
        demo.warnings.append("No adult instrument: the demo PD sessions have no feedback.")
    surveys = []
    for number, (cycle, pilot_day) in enumerate(zip(CYCLES, pilots, strict=True), start=1):
        co_plan = _session(
            series, number, PDSessionKind.CO_PLANNING, f"Cycle {number} co-planning: {cycle.short}",
            pilot_day - timedelta(days=CO_PLAN_AHEAD), time(15, 30), 90, "District office, room 214", cycle.lesson,
            cycle.co_plan_goals, demo.today,
        )  # fmt: skip
        leader_pd = _session(
            series, number, PDSessionKind.LEADER_PD, f"Cycle {number} math-leader PD: {cycle.short}",
            pilot_day - timedelta(days=LEADER_PD_AHEAD), time(9), 300, "District office, Learning Center", cycle.lesson,
            cycle.leader_goals, demo.today,
        )  # fmt: skip
        pilot = _session(
            series, number, PDSessionKind.PULL_OUT, f"Cycle {number} pilot teacher PD: {cycle.short}",
            pilot_day, time(16), 180, f"{demo.schools[(number - 1) % len(demo.schools)].name}, library",
            cycle.lesson, cycle.pilot_goals, demo.today,
        )  # fmt: skip
        _agenda(leader_pd, cycle.leader_acts, names)
        _agenda(pilot, cycle.pilot_acts, names)

        if co_plan.date <= demo.today:
            _attend(co_plan, [demo.director, demo.specialist, demo.partner], rng, facilitator_share=1.0)
        if leader_pd.date < demo.today:
            present = _attend(leader_pd, [*leaders, demo.specialist], rng, facilitator_share=0.0)
            if instrument is not None and number == 1:
                # A math-leader PD has a handful of participants: its feedback stays below the minimum
                # group size, so the page shows the count and withholds the rest (suppression on screen).
                surveys.append(_feedback(leader_pd, instrument, demo.director, present, number, rng))
        if pilot.date < demo.today:
            present = _attend(pilot, rng.sample(teachers, min(len(teachers), rng.randint(12, 20))), rng)
            if instrument is not None:
                n = rng.randint(min(max(8, district.min_group_size), present), min(18, present))
                surveys.append(_feedback(pilot, instrument, demo.director, n, number, rng))
            if number in MEMOS:
                _review(pilot, number, leaders, demo.partner, rng)
    aggregation.refresh_administrations(surveys)

    demo.notes.append(
        f"PD: /pd/ — “{series.title}”, a four-cycle math-leader series ({series.sessions.count()} sessions) "
        f"with agendas, attendance, feedback and the facilitation review ({demo.partner.email})."
    )


def _pilot_dates(demo) -> list[date]:
    """Four pilot days, on Wednesdays: cycle 4's one to two weeks ahead, the others 6 weeks apart, or
    closer when today is early in the school year (down to 3 weeks)."""
    today = demo.today
    last = today + timedelta(days=(2 - today.weekday()) % 7)
    if last < today + timedelta(days=7):
        last += timedelta(days=7)
    earliest = date(demo.school_year, demo.district.school_year_start_month, 15)
    for gap in (6, 5, 4, 3):
        if last - timedelta(weeks=3 * gap, days=CO_PLAN_AHEAD) >= earliest:
            break
    return [last - timedelta(weeks=gap * (3 - n)) for n in range(4)]


def _at(day: date, at: time, minutes: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, at) + timedelta(minutes=minutes))


def _names(demo, leaders) -> dict[str, str]:
    first = [leader.full_name.split()[0] for leader in leaders]
    team = f"Research team ({demo.partner.full_name})"
    return {
        "L0": leaders[0].full_name,
        "L1": leaders[1].full_name,
        "L2": leaders[2].full_name,
        "L1+L2": f"{first[1]} and {first[2]}",
        "LL": f"{first[0]}, {first[1]} and {first[2]}",
        "RT": team,
        "D": demo.director.full_name,
        "RTD": f"{team} and {demo.director.full_name}",
    }


def _session(series, cycle, kind, title, day, starts, minutes, place, focus, goals, today) -> PDSession:
    recorded = kind != PDSessionKind.CO_PLANNING and day < today
    label = "pilot" if kind == PDSessionKind.PULL_OUT else "leader-pd"
    session = PDSession.objects.create(
        series=series,
        title=title,
        kind=kind,
        date=day,
        starts_at=starts,
        minutes=minutes,
        place=place,
        focus=focus,
        cycle=cycle,
        video_ref=f"{VIDEO_HOST}/{day:%Y-%m-%d}-{label}.mp4" if recorded else "",
    )
    pd_services.set_session_goals(session=session, lines=list(goals))
    return session


def _agenda(session: PDSession, acts: tuple[Act, ...], names: dict[str, str]) -> None:
    goals = list(session.goals.order_by("order"))
    previous = None
    for act in acts:
        previous = pd_services.activity_add(
            session=session,
            kind=act.kind,
            title=act.title,
            minutes=act.minutes,
            led_by=names[act.led_by],
            materials=act.materials,
            learning_goal=act.learning_goal,
            builds_on_activity=previous if act.builds_on_previous else None,
            builds_on_goal=goals[act.goal - 1] if act.goal else None,
        )


def _attend(session: PDSession, people, rng: random.Random, *, facilitator_share: float = 0.12) -> int:
    """Mark people present: most checked in by code in the first minutes, a few marked by a facilitator."""
    start = _at(session.date, session.starts_at)
    rows = []
    for person in people:
        by_hand = rng.random() < facilitator_share
        rows.append(
            Attendance(
                session=session,
                user=person,
                method=AttendanceMethod.FACILITATOR if by_hand else AttendanceMethod.CODE,
                recorded_at=start + timedelta(minutes=rng.randint(30, 60) if by_hand else rng.randint(-8, 12)),
            )
        )
    Attendance.objects.bulk_create(rows)
    return len(rows)


def _feedback(session: PDSession, instrument, opened_by, n: int, cycle: int, rng: random.Random) -> int:
    """Open the session's survey at its end, save `n` anonymous answers, close it 15 minutes later."""
    opened = _at(session.date, session.starts_at, session.minutes)
    pd_services.feedback_open(session=session, instrument=instrument, opened_by=opened_by, now=opened)
    survey = session.feedback
    items = list(instrument.items.order_by("order").prefetch_related("options"))
    agreement = [item for item in items if item.has_options]
    texts = [item for item in items if item.kind == ItemKind.TEXT]
    comments = COMMENTS[session.kind][cycle]
    for _ in range(n):
        person = rng.gauss(0, 0.1)  # some participants like every session more than others
        choices = {}
        for number, item in enumerate(agreement):
            options = list(item.options.all())
            good = [o for o in options if o.productive]
            other = [o for o in options if not o.productive]
            # Cycle 1's pilot met its goals less well than it was liked: its activities did not connect.
            p = AGREE[cycle] + person - (0.08 if cycle == 1 and number == 1 else 0)
            if good and other and rng.random() >= p:
                chosen = other[0] if len(other) > 1 and rng.random() < 0.2 else other[-1]
            elif good:
                chosen = good[-1] if len(good) > 1 and rng.random() < STRONGLY[cycle] else good[0]
            else:
                chosen = rng.choice(options)
            choices[item.pk] = (chosen.pk,)
        written = {}
        if texts and rng.random() < 0.5:
            written[texts[0].pk] = rng.choice(comments)
        token = measure_services.read_submission_token(measure_services.make_submission_token(survey), survey)
        measure_services.response_submit(
            administration=survey,
            token=token,
            answers=measure_services.ParsedAnswers(choices, written),
            now=opened + timedelta(seconds=rng.randint(30, 14 * 60)),
        )
    pd_services.feedback_close(session=session, now=opened + timedelta(minutes=pd_services.FEEDBACK_MINUTES))
    return survey.pk


def _review(pilot: PDSession, cycle: int, leaders, partner, rng: random.Random) -> None:
    """The research team's analytic memo and coded moments of the pilot's video, a few days later."""
    first = {f"l{n}": leader.full_name.split()[0] for n, leader in enumerate(leaders)}
    pd_services.memo_save(session=pilot, text=MEMOS[cycle].format(**first), by=partner)
    written = min(_at(pilot.date + timedelta(days=4), time(10)), timezone.now())
    PDSession.objects.filter(pk=pilot.pk).update(memo_at=written)
    length = pilot.minutes * 60
    for n, (leader, goal, direction, note) in enumerate(EVIDENCE[cycle]):
        # Spread the moments over the video, roughly in the order they were coded.
        slot = length // len(EVIDENCE[cycle])
        start = n * slot + rng.randint(0, max(0, slot - 300))
        pd_services.evidence_add(
            session=pilot,
            recorded_by=partner,
            leader=leaders[leader],
            goal=goal,
            direction=direction,
            clip_start=start,
            clip_end=start + rng.randint(45, 240),
            note=note,
            recorded_at=written - timedelta(hours=rng.randint(1, 30)),
        )

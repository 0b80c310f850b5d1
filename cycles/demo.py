"""Demo improvement plan for the demo district: two district priorities with Five Whys chains, a
logic model whose outcome is linked to the district's discussion survey, the benchmark calendar,
and a district ROCI holding a school ROCI that holds a teacher's two PDSA cycles (the first
adapted into the second), whose Study steps read the demo survey data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from measures.models import Administration, Instrument, InstrumentKind, Scope, TrendPoint

from . import selectors, services
from .models import (
    Cadence,
    CycleKind,
    CycleScope,
    CycleStatus,
    Decision,
    ElementKind,
    Practice,
    PriorityStatus,
    StepKind,
)

PRIORITIES = [
    {
        "title": "Students explain and critique each other's reasoning",
        "problem_of_practice": (
            "In most middle-school math lessons the teacher does the explaining: whole-class discussions are "
            "short question-and-answer exchanges, and few students build on a classmate's idea."
        ),
        "data_reviewed": (
            "Fall whole-class discussion surveys: about four in ten answers were productive. Classroom "
            "walkthroughs in all six schools; the spring benchmark results in grades 6–8."
        ),
        "context": "Six middle schools; a new curriculum in its second year; many newly hired teachers.",
        "participants": "Math director, math specialist, three coaches, two principals, six teacher leaders.",
        "whys": [
            (
                "Why do few students build on each other's ideas?",
                "Discussions are mostly teacher questions with one right answer.",
            ),
            (
                "Why are the questions mostly closed?",
                "Teachers plan the tasks but not the discussion that follows them.",
            ),
            ("Why is the discussion not planned?", "Common planning time goes to pacing and assessment logistics."),
            ("Why does planning time go to logistics?", "There is no shared routine for planning a discussion."),
            ("Why is there no shared routine?", "Professional learning has not yet given teachers one to practise."),
        ],
        "practices": ["NCTM 4", "NCTM 5", "NCTM 8"],
        "status": PriorityStatus.ACTIVE,
    },
    {
        "title": "Students persevere with non-routine problems",
        "problem_of_practice": "Students give up quickly on multi-step problems and wait for the teacher's steps.",
        "data_reviewed": "Benchmark items on multi-step problems; task-launch surveys in two schools.",
        "context": "Intervention periods are used for procedural practice only.",
        "participants": "Math specialist, coaches, teachers from Bayside and Heron Point.",
        "whys": [
            ("Why do students give up on multi-step problems?", "They expect to be shown a procedure first."),
            ("Why do they expect a procedure?", "Most tasks they see are practice of a shown method."),
            ("Why are most tasks practice?", "Teachers worry that open tasks take too long."),
            (
                "Why do open tasks seem too long?",
                "Launches are long and students start without understanding the context.",
            ),
            (
                "Why are launches long and unclear?",
                "Teachers have few models of a short launch that keeps the demand high.",
            ),
        ],
        "practices": ["NCTM 2", "NCTM 7", "NCEE 2012-4055 · 4"],
        "status": PriorityStatus.PROPOSED,
    },
]


def seed(demo, rng: random.Random) -> None:
    district, director = demo.district, demo.director
    priorities = []
    for data in PRIORITIES:
        priority = services.priority_create(
            district=district,
            created_by=director,
            practices=list(Practice.objects.filter(district=None, code__in=data["practices"])),
            title=data["title"],
            problem_of_practice=data["problem_of_practice"],
            data_reviewed=data["data_reviewed"],
            data_links=f"/measures/districts/{district.pk}/",
            context=data["context"],
            participants=data["participants"],
            status=data["status"],
            school_year=demo.school_year,
        )
        for why, because in data["whys"]:
            services.why_add(priority=priority, why=why, because=because)
        priorities.append(priority)

    instrument = Instrument.objects.filter(district=None, kind=InstrumentKind.WHOLE_CLASS, is_current=True).first()
    _logic_model(priorities[0], district, instrument)
    _benchmarks(district, demo.school_year)
    weeks = sorted(set(Administration.objects.filter(district=district).values_list("week", flat=True)))
    if instrument is None or len(weeks) < 4:
        demo.warnings.append("Too few weeks of survey data: no demo improvement cycles were seeded.")
        return
    _cycles(demo, priorities[0], instrument, weeks)


def _logic_model(priority, district, instrument) -> None:
    model = services.logic_model_for(priority=priority)
    add = lambda kind, text: services.element_add(logic_model=model, kind=kind, text=text)  # noqa: E731
    coaches = add(ElementKind.INPUTS, "Three math coaches and a monthly network day")
    survey = add(ElementKind.INPUTS, "3-minute student surveys on whole-class discussion")
    sessions = add(ElementKind.ACTIVITIES, "Monthly PD on planning discussions with talk moves")
    cycles = add(ElementKind.ACTIVITIES, "Teachers' weekly PDSA cycles with coaching")
    plans = add(ElementKind.OUTPUTS, "Every teacher plans one discussion a week")
    surveyed = add(ElementKind.OUTPUTS, "Classes surveyed after those lessons")
    talk = add(ElementKind.SHORT, "More students say they made sense of classmates' reasoning")
    routine = add(ElementKind.MEDIUM, "Discussion planning is a routine in every school")
    learning = add(ElementKind.LONG, "Higher conceptual understanding on the spring benchmark")
    add(ElementKind.ASSUMPTIONS, "Teachers have common planning time at least weekly")
    add(ElementKind.ASSUMPTIONS, "Survey results are used for improvement, never for evaluation")
    add(ElementKind.EXTERNAL, "Testing calendar and staff turnover")
    for source, target in [
        (coaches, sessions),
        (survey, cycles),
        (sessions, plans),
        (cycles, surveyed),
        (plans, talk),
        (surveyed, talk),
        (talk, routine),
        (routine, learning),
    ]:
        services.arrow_add(logic_model=model, source=source, target=target)
    if instrument is not None:
        services.outcome_link(
            element=talk,
            lineage=instrument.lineage,
            item_order=0,
            scope=Scope.DISTRICT,
            scope_id=district.pk,
            target_percent=60,
        )


def _benchmarks(district, school_year: int) -> None:
    for name, start in [
        ("Fall benchmark", date(school_year, 9, 8)),
        ("Winter benchmark", date(school_year + 1, 1, 12)),
        ("Spring benchmark", date(school_year + 1, 4, 13)),
    ]:
        services.benchmark_window_create(
            district=district, school_year=school_year, name=name, start=start, end=start + timedelta(days=11)
        )


def _best_classroom(demo, instrument, school, since: date, start: date, end: date):
    """The classroom in `school` whose surveys rose most after the demo's change week."""
    best, best_change = None, None
    rooms = [c for c in demo.classrooms if c.school_id == school.pk]
    weeks_of = {}
    for tp in TrendPoint.objects.filter(
        scope=Scope.CLASSROOM, scope_id__in=[c.pk for c in rooms], lineage=instrument.lineage, item_order=0
    ):
        weeks_of.setdefault(tp.scope_id, []).append(tp)
    for room in rooms:
        points = [
            selectors.SeriesPoint(p.week, p.n_responses, p.n_answered, p.n_productive, p.n_responses < 10)
            for p in sorted(weeks_of.get(room.pk, []), key=lambda p: p.week)
        ]
        baseline = (since, start - timedelta(days=1))
        comparison = selectors.compare(points, baseline=baseline, period=(start, end), min_n=10)
        change = comparison.change
        if change is not None and (best_change is None or change > best_change):
            best, best_change = room, change
    return best or rooms[0]


def _cycles(demo, priority, instrument, weeks: list[date]) -> None:
    district = demo.district
    change = len(weeks) // 2
    first = weeks[max(0, change - 3)]
    quarter_end = max(demo.today, weeks[-1]) + timedelta(weeks=5)
    practice = Practice.objects.filter(district=None, code="NCTM 4").first()
    school = demo.schools[0]
    principal = demo.principals[0]

    # The weeks before `first` are the baseline every cycle below is compared with: the cycles start
    # on `first`, so no baseline week lies inside a cycle (Assess and Study would drop it).
    baseline = {"baseline_start": weeks[0], "baseline_end": first - timedelta(days=1)} if first > weeks[0] else {}
    roci = services.cycle_create(
        district=district,
        owner=demo.director,
        team=[demo.specialist, *demo.coaches],
        kind=CycleKind.ROCI,
        title="District ROCI: discussion that builds on students' ideas",
        aim="By the end of the quarter, 60% of students' answers on the discussion survey are productive.",
        scope=CycleScope.DISTRICT,
        cadence=Cadence.QUARTERLY,
        priority=priority,
        practice=practice,
        start=first,
        end=quarter_end,
        status=CycleStatus.ACTIVE,
    )
    services.measure_link(
        cycle=roci, lineage=instrument.lineage, item_order=0, scope=Scope.DISTRICT, scope_id=district.pk,
        target_percent=60, **baseline,
    )  # fmt: skip
    services.step_record(
        cycle=roci,
        kind=StepKind.GOALS,
        recorded_by=demo.director,
        date=first,
        notes="Raise productive answers on the whole-class discussion survey from about 40% to 60%.",
    )
    services.step_record(
        cycle=roci,
        kind=StepKind.PLAN,
        recorded_by=demo.director,
        date=first + timedelta(days=1),
        change_idea="Monthly network days on planning discussions; each school runs its own ROCI.",
        data_plan="Weekly whole-class discussion surveys in every classroom.",
    )

    school_roci = services.cycle_create(
        district=district,
        owner=principal,
        team=[demo.coaches[0]],
        kind=CycleKind.ROCI,
        title=f"{school.name} ROCI: talk moves in every math class",
        aim="Every math teacher tries one talk move a week and surveys the class after it.",
        scope=CycleScope.SCHOOL,
        school=school,
        cadence=Cadence.QUARTERLY,
        parent=roci,
        priority=priority,
        practice=practice,
        start=first,
        end=quarter_end,
        status=CycleStatus.ACTIVE,
    )
    services.measure_link(
        cycle=school_roci, lineage=instrument.lineage, item_order=0, scope=Scope.SCHOOL, scope_id=school.pk,
        target_percent=55,
    )  # fmt: skip
    services.step_record(
        cycle=school_roci,
        kind=StepKind.GOALS,
        recorded_by=principal,
        date=first,
        notes="Half of students' answers productive by the winter benchmark.",
    )

    start = weeks[change]
    end = weeks[-1] + timedelta(days=4)
    room = _best_classroom(demo, instrument, school, weeks[0], start, end)
    teacher = room.teacher
    first_try = services.cycle_create(
        district=district,
        owner=teacher,
        kind=CycleKind.PDSA,
        title="Turn and talk before sharing",
        aim="More students make sense of a classmate's reasoning in the closing discussion.",
        scope=CycleScope.CLASSROOM,
        classroom=room,
        cadence=Cadence.WEEKLY,
        parent=school_roci,
        priority=priority,
        practice=practice,
        start=first,
        end=start - timedelta(days=1),
    )
    plan = {
        "change_idea": "Before the whole-class share, partners explain their solution to each other for two minutes.",
        "prediction": "More students will say they listened to and made sense of others' reasoning.",
        "logistics": "Periods with the discussion task, Tuesday to Thursday; I time the turn-and-talk.",
        "data_plan": "The whole-class discussion survey at the end of each of those lessons.",
    }
    # The teacher's cycles are judged by the class's own discussion survey; the follow-up cycle
    # inherits the measure, with this cycle's weeks as its baseline.
    services.measure_link(
        cycle=first_try, lineage=instrument.lineage, item_order=0, scope=Scope.CLASSROOM, scope_id=room.pk,
        target_percent=60, **baseline,
    )  # fmt: skip
    services.step_record(cycle=first_try, kind=StepKind.PLAN, recorded_by=teacher, date=first, **plan)
    services.step_record(
        cycle=first_try,
        kind=StepKind.DO,
        recorded_by=teacher,
        date=first + timedelta(days=8),
        notes="Tried it in four lessons.",
        surprises="Partners mostly compared answers, not reasoning.",
    )
    services.step_record(
        cycle=first_try,
        kind=StepKind.STUDY,
        recorded_by=teacher,
        date=start - timedelta(days=3),
        notes="No clear change yet: students talked, but about answers.",
    )
    services.step_record(
        cycle=first_try,
        kind=StepKind.ACT,
        recorded_by=teacher,
        date=start - timedelta(days=2),
        decision=Decision.ADAPT,
        notes="Give partners a sentence starter: 'I think you… because…'.",
    )
    second = services.cycle_follow_up(cycle=first_try, owner=teacher, today=start)
    services.cycle_update(cycle=second, title="Turn and talk with sentence starters", end=end)
    services.step_record(
        cycle=second,
        kind=StepKind.PLAN,
        recorded_by=teacher,
        date=start,
        **{**plan, "change_idea": plan["change_idea"] + " With the starter 'I think you… because…'."},
    )
    # The last survey week may be this week (a survey is open now): no step is dated after today,
    # so the teacher can record Act today.
    studied = max(start, min(end, demo.today))
    services.step_record(
        cycle=second,
        kind=StepKind.DO,
        recorded_by=teacher,
        date=min(start + timedelta(days=10), studied),
        notes="Used the starters in most discussion lessons.",
    )
    services.step_record(
        cycle=second,
        kind=StepKind.STUDY,
        recorded_by=teacher,
        date=studied,
        notes="The run chart moved above the baseline median and stayed there.",
    )
    demo.notes.append(
        f"Cycles: a district ROCI holds {school.name}'s ROCI and {teacher.full_name}'s PDSA cycles in {room} "
        f"({teacher.email}); two district priorities with Five Whys and a logic model."
    )

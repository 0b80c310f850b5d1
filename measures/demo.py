"""Demo survey data: a semester of whole-class-discussion surveys for the demo district.

Each classroom has a baseline share of productive answers; about a third improve after a change
halfway through (so their run charts show a real signal), a few stay flat, the rest wander. Rows
are written with bulk_create and the summaries rebuilt once at the end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from . import aggregation
from .models import Administration, Answer, Instrument, InstrumentKind, Item, ItemKind, Response
from .services import DEFAULT_OPEN_MINUTES, administration_open, new_join_code

CLOSED_AFTER = timedelta(minutes=15)
BATCH = 4000  # responses per bulk insert (their answers follow in the same round)
LIVE_SURVEY_MINUTES = 12 * 60  # the demo's live survey stays open through a day of demonstrating
LESSON_NOTES = (
    "Compared two strategies for the warm-up",
    "Gallery walk of solutions",
    "Number talk, then partner share",
    "Students explained each other's reasoning",
    "Debated which representation fits best",
    "Error analysis of a sample solution",
)


@dataclass
class _Profile:
    """How one classroom answers over the semester."""

    baseline: float
    change: float  # added from the change week on (improvers)
    drift: float  # added gradually over the semester (the rest)
    noise: float  # week-to-week spread
    attendance: float  # chance the class takes the survey in a given week
    size: int
    spanish: float


def seed(demo, rng: random.Random) -> None:
    instrument = Instrument.objects.filter(district=None, kind=InstrumentKind.WHOLE_CLASS, is_current=True).first()
    if instrument is None:
        demo.warnings.append("No current starter 'Whole-class discussion' instrument: no survey data was seeded.")
        return
    items = Item.objects.filter(instrument=instrument).prefetch_related("options")
    choices = [_Choices.of(item, rng) for item in items if item.has_options]
    weeks = school_weeks(demo.today, start=_first_week(demo.district, demo.school_year), count=demo.weeks)
    change_at = len(weeks) // 2

    administrations: list[tuple[Administration, _Profile, float]] = []
    for classroom in demo.classrooms:
        profile = _profile(rng)
        period = int(classroom.period or rng.randint(1, 7))
        for n, monday in enumerate(weeks):
            if rng.random() > profile.attendance:
                continue
            level = profile.baseline + profile.drift * n / max(len(weeks) - 1, 1) + rng.gauss(0, profile.noise)
            if n >= change_at:
                # The change takes a week to settle in.
                level += profile.change * (0.6 if n == change_at else 1.0)
            opened = _lesson_end(monday + timedelta(days=rng.randint(0, 4)), period, rng)
            admin = Administration(
                district=demo.district,
                school=classroom.school,
                classroom=classroom,
                instrument=instrument,
                code=new_join_code(),
                opened_by=classroom.teacher,
                opened_at=opened,
                week=monday,
                closes_at=opened + timedelta(minutes=DEFAULT_OPEN_MINUTES),
                closed_at=opened + CLOSED_AFTER,
                lesson_note=rng.choice(LESSON_NOTES) if rng.random() < 0.3 else "",
            )
            administrations.append((admin, profile, level))
    Administration.objects.bulk_create([a for a, _, _ in administrations], batch_size=1000)

    writer = _Writer(token_prefix=f"demo-{demo.district.slug}")
    for admin, profile, level in administrations:
        n_students = max(18, min(30, profile.size - rng.choice((0, 0, 1, 1, 2, 3))))
        for _ in range(n_students):
            student = rng.gauss(0, 0.08)  # some students see more discussion than others
            language = "es" if rng.random() < profile.spanish else "en"
            submitted = admin.opened_at + timedelta(seconds=rng.randint(40, 600))
            chosen = []
            for item in choices:
                p = min(0.97, max(0.03, level + student + item.offset))
                chosen += [(item.item_id, option_id) for option_id in item.pick(rng.random() < p, rng)]
            writer.add(Response(administration=admin, language=language, submitted_at=submitted), chosen)
    writer.flush()

    live_classroom = demo.classrooms[0]
    live = administration_open(
        classroom=live_classroom,
        instrument=instrument,
        opened_by=live_classroom.teacher,
        minutes=LIVE_SURVEY_MINUTES,
        lesson_note="Live demo survey",
    )
    aggregation.rebuild_all()
    demo.notes.append(
        f"Survey data: {instrument.name}, {len(weeks)} weeks ({weeks[0]:%b %d} – {weeks[-1]:%b %d}), "
        f"{len(administrations)} administrations, {writer.responses} responses, {writer.answers} answers."
        if weeks
        else "Survey data: no school weeks before today in this school year."
    )
    demo.notes.append(
        f"Live survey: join code {live.code} for {live_classroom} ({live_classroom.teacher.email}), "
        f"open until {timezone.localtime(live.closes_at):%H:%M}."
    )


def school_weeks(today: date, *, start: date, count: int) -> list[date]:
    """Mondays of the last `count` full school weeks before `today`, oldest first.

    Not before the school year's first survey week, and not over the winter break.
    """
    monday = today - timedelta(days=today.weekday())
    weeks: list[date] = []
    while len(weeks) < count:
        monday -= timedelta(days=7)
        if monday < start:
            break
        if not _winter_break(monday):
            weeks.append(monday)
    return weeks[::-1]


def _first_week(district, school_year: int) -> date:
    # Classes start in the first weeks of the start month; surveys begin once routines settle.
    day = date(school_year, district.school_year_start_month, 15)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _winter_break(monday: date) -> bool:
    sunday = monday + timedelta(days=6)
    return any(monday <= d <= sunday for d in (date(monday.year, 12, 25), date(sunday.year, 1, 1)))


def _profile(rng: random.Random) -> _Profile:
    kind = rng.choices(("improves", "flat", "wanders"), weights=(34, 8, 58))[0]
    return _Profile(
        baseline=rng.uniform(0.25, 0.55),
        change=rng.uniform(0.18, 0.25) if kind == "improves" else 0.0,
        drift=rng.uniform(-0.04, 0.06) if kind == "wanders" else 0.0,
        noise=0.01 if kind == "flat" else rng.uniform(0.02, 0.04),
        # Teachers trying the change idea survey nearly every week; others skip more often.
        attendance=rng.uniform(0.9, 1.0) if kind == "improves" else rng.uniform(0.7, 0.95),
        size=rng.randint(19, 30),
        spanish=rng.choice((0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.35)),
    )


def _lesson_end(day: date, period: int, rng: random.Random) -> datetime:
    # Periods of 55 minutes from 8:00; the survey takes the last minutes of the lesson.
    minutes = 8 * 60 + (period - 1) * 55 + 42 + rng.randint(0, 5)
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_current_timezone())


@dataclass(frozen=True)
class _Choices:
    """One item's options, split by whether they are the answer the improvement aims for."""

    item_id: int
    multiple: bool
    good: tuple[int, ...]
    other: tuple[int, ...]
    offset: float  # some practices are harder to see than others

    @classmethod
    def of(cls, item: Item, rng: random.Random) -> _Choices:
        options = list(item.options.all())
        return cls(
            item_id=item.pk,
            multiple=item.kind == ItemKind.MULTIPLE,
            good=tuple(o.pk for o in options if o.productive),
            other=tuple(o.pk for o in options if not o.productive),
            offset=rng.uniform(-0.08, 0.08),
        )

    def pick(self, productive: bool, rng: random.Random) -> list[int]:
        """Option ids one student picks: a productive one if `productive`, else another one."""
        if not self.good or not self.other:
            pool = self.good or self.other
            return [rng.choice(pool)] if pool else []
        if not self.multiple:
            return [rng.choice(self.good if productive else self.other)]
        if productive:
            picks = rng.sample(self.good, rng.randint(1, len(self.good)))
            if rng.random() < 0.2:
                picks.append(rng.choice(self.other))
            return picks
        return rng.sample(self.other, rng.randint(1, min(2, len(self.other))))


class _Writer:
    """Buffers responses with their answers and inserts them in batches."""

    def __init__(self, token_prefix: str):
        self.token_prefix = token_prefix
        self.buffer: list[tuple[Response, list[tuple[int, int]]]] = []
        self.responses = 0
        self.answers = 0

    def add(self, response: Response, chosen: list[tuple[int, int]]) -> None:
        self.responses += 1
        response.token = f"{self.token_prefix}-{self.responses}"
        response.fingerprint = "demo"
        self.buffer.append((response, chosen))
        if len(self.buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        Response.objects.bulk_create([r for r, _ in self.buffer])
        rows = [
            Answer(administration_id=r.administration_id, response_id=r.pk, item_id=item_id, option_id=option_id)
            for r, chosen in self.buffer
            for item_id, option_id in chosen
        ]
        Answer.objects.bulk_create(rows, batch_size=5000)
        self.answers += len(rows)
        self.buffer = []

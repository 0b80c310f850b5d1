"""What may be published to whom: the one gate between survey numbers and people.

Every number about students' (or PD participants') answers that a page, a chart, a CSV or a JSON
endpoint shows goes through this module; views, templates and other apps never count answers
themselves (a test over the sources enforces it). `measures.aggregation` keeps the counts; this
module decides, for one viewer, which of them may leave the server.

The model (README "Privacy", rules R1–R5):

- **Publishable units.** A survey (administration) counts nowhere — not in its classroom's week,
  not in any school, grade or district figure — unless it has at least the district's minimum
  group size of responses; an item counts only where at least that many answered it (the trend
  roll-ups in `aggregation` apply this). So every number is a sum of units that are each big
  enough (R1), and "this week minus that survey" subtracts nothing that was withheld (R4).
- **Atoms.** For one viewer, each week's data falls into disjoint atoms: the classrooms the viewer
  may see (their own results are theirs to read), each school-and-grade block, the rest of each
  school, the rest of the district. An atom that holds classrooms the viewer may not see must
  hold such classrooms of at least three teachers (R2), else it is merged with a neighbour
  (complementary suppression, smallest first) or withheld. Every published figure — a week, a
  range of weeks, a school, a grade, the district, a chart point, a CSV row — is a sum of whole
  published atoms, so no combination of figures, by subtraction or any other linear algebra,
  isolates fewer than three unseen teachers' classrooms or a group below the minimum (R3). A
  range is the sum of its published weeks (never a total from which a withheld week could be
  subtracted). The district's grade rows are published only where every school's block of that
  grade is (the same cell is withheld at every level that contains it).
- **Questions.** A question's school or district figure sums the same published atoms as the
  index, but only the surveys whose class answered that question enough; it is shown only in weeks
  where every question counts every survey the index counts (`question_reasons`), else the index
  minus the other questions would give a thin question's figure for the classes that remain.
- **Raw rows.** Per-response rows only for surveys at or above the minimum, shuffled, no response
  numbers, no time finer than the day (R5).

`tests/measures/test_disclosure_audit.py` collects everything each role can reach and solves for
every protected quantity; it fails if any is determined. `test_disclosure_audit_items.py` does the
same per question: each class's counts on each question, and each question a class answered too little.
"""

from __future__ import annotations

import random
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import wraps

from django.db import connections
from django.db.models import Count
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from districts import access
from districts.models import Classroom, District, School

from . import aggregation
from .aggregation import INDEX, AdministrationResults, Series, SeriesPoint, TextAnswers
from .models import (
    Administration,
    AdministrationSummary,
    Answer,
    Instrument,
    ItemKind,
    ItemSummary,
    Response,
    Scope,
    TrendPoint,
)

MIN_TEACHERS = 3  # unseen classrooms reach a viewer only inside a group of at least this many teachers

# Why a figure is withheld, said to the person reading the page. Lazy: the decisions may be computed
# once and read by people reading other languages; each reads the reason in their own.
FEW_TEACHERS = gettext_lazy("fewer than 3 teachers")
COMPLEMENT = gettext_lazy("to protect another cell")
# A question's weekly figure for a school or the district is published only where it counts every
# survey its index counts: where some classes' answers to it were too few to count, the figure
# would cover fewer classes than the index the plan decided on (possibly one teacher's). And then
# the week's other questions are withheld with it (`question_reasons`).
PART_OF_CLASSES = gettext_lazy("not every class's answers to this question count")


def _few_responses(min_n: int) -> str:
    return gettext("fewer than %(n)s responses") % {"n": min_n}


def few_responses(min_n: int) -> str:
    return lazy(_few_responses, str)(min_n)


# ============================================================================================
# One snapshot per page
# ============================================================================================


@contextmanager
def snapshot():
    """Read a page's figures from one snapshot of the database.

    The plan's decisions and the chart values come from separate queries; a refresh committing
    between them could pair a "publish" decided on last minute's data with a value that now holds
    a new, unprotected classroom. On PostgreSQL the reads run in one REPEATABLE READ transaction;
    SQLite's read transaction is a snapshot already. Nested use (inside an atomic block) keeps the
    outer transaction's isolation."""
    from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

    # The database the figures come from: a streaming replica where the router sends dashboard reads.
    alias = router.db_for_read(TrendPoint) or DEFAULT_DB_ALIAS
    connection = connections[alias]
    marked = _in_snapshot.set(True)
    try:
        if connection.in_atomic_block:
            yield
            return
        with transaction.atomic(using=alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    finally:
        _in_snapshot.reset(marked)


# Whether this code runs inside `snapshot()`: only there are a week's stamp and its classroom-weeks
# read from one state of the database, so only there may decided weeks be kept or reused (`Plan`).
_in_snapshot: ContextVar[bool] = ContextVar("pdc_in_snapshot", default=False)


def in_snapshot(view):
    """A view whose survey figures are read from one snapshot (see `snapshot`)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with snapshot():
            return view(*args, **kwargs)

    return wrapped


# ============================================================================================
# The viewer
# ============================================================================================


@dataclass(frozen=True)
class Viewer:
    """Who is looking, reduced to what the rules need: the classrooms whose own results they see."""

    user_id: int | None
    visible: frozenset[int]

    @classmethod
    def of(cls, user, district: District | int | None = None) -> Viewer:
        rooms = access.classrooms_with_results(user)
        if district is not None:
            rooms = rooms.filter(school__district_id=getattr(district, "pk", district))
        return cls(getattr(user, "pk", None), frozenset(rooms.values_list("pk", flat=True)))


# ============================================================================================
# One survey (the viewer may see its classroom, or runs its group survey)
# ============================================================================================


def survey_results(administration: Administration, *, language: str = "en") -> AdministrationResults:
    """Per-item counts and shares of one survey; nothing below the district's minimum (R1)."""
    return aggregation.administration_results(administration, language=language)


def survey_texts(administration: Administration, *, language: str = "en") -> tuple[TextAnswers, ...]:
    """Written answers, sorted, only from a group at or above the minimum (R1, R5)."""
    return aggregation.text_answers(administration, language=language)


def survey_counts(administrations: Iterable[Administration]) -> dict[int, int | None]:
    """Responses per survey for lists of surveys: the count where it reaches the minimum, else None."""
    surveys = list(administrations)
    counted = dict(
        AdministrationSummary.objects.filter(administration__in=surveys).values_list("administration_id", "n_responses")
    )
    return {
        s.pk: (counted.get(s.pk, 0) if counted.get(s.pk, 0) >= s.district.min_group_size else None) for s in surveys
    }


@dataclass(frozen=True)
class LiveCount:
    """How many responses a survey has so far, for the people who run it (the teacher and her coach
    see every response while the class answers, also below the minimum: it is their own class).

    `students` is the class size the teacher recorded, given only to the classroom's own teacher;
    `beyond_class_size` says more responses arrived than that (someone may have answered twice).
    """

    n: int
    students: int | None = None

    @property
    def beyond_class_size(self) -> bool:
        return self.students is not None and self.n > self.students


def live_count(administration: Administration, user=None) -> LiveCount:
    """Responses so far to one survey the caller may run or see; the class size for its teacher only."""
    n = Response.objects.filter(administration=administration).count()
    room = administration.classroom
    if room is None or user is None or room.teacher_id != getattr(user, "pk", None):
        return LiveCount(n)
    return LiveCount(n, room.student_count)


@dataclass(frozen=True)
class ItemShare:
    prompt: str
    n: int  # 0 when withheld
    n_productive: int
    withheld: bool


def group_survey_items(administrations: Iterable[Administration]) -> dict[int, list[ItemShare]]:
    """Per group survey (PD feedback) and choice item, in order: how many answered and how many
    agreed, withheld where the survey or the item is below the district's minimum (two queries)."""
    surveys = {s.pk: s for s in administrations}
    if not surveys:
        return {}
    counted = dict(
        AdministrationSummary.objects.filter(administration_id__in=surveys).values_list(
            "administration_id", "n_responses"
        )
    )
    out: dict[int, list[ItemShare]] = {pk: [] for pk in surveys}
    rows = (
        ItemSummary.objects.filter(administration_id__in=surveys)
        .exclude(item__kind=ItemKind.TEXT)
        .select_related("item")
        .order_by("item__order")
    )
    for row in rows:
        min_n = surveys[row.administration_id].district.min_group_size
        withheld = counted.get(row.administration_id, 0) < min_n or row.n_answered < min_n
        out[row.administration_id].append(
            ItemShare(
                row.item.prompt_en, 0 if withheld else row.n_answered, 0 if withheld else row.n_productive, withheld
            )  # fmt: skip
        )
    return out


# ============================================================================================
# The weekly plan: which atoms are published for one viewer in one district
# ============================================================================================


@dataclass(slots=True)
class Totals:
    n_responses: int = 0
    n_answered: int = 0
    n_productive: int = 0

    def add(self, r: int, a: int, p: int) -> None:
        self.n_responses += r
        self.n_answered += a
        self.n_productive += p

    def plus(self, other: Totals) -> None:
        self.add(other.n_responses, other.n_answered, other.n_productive)


@dataclass(slots=True)
class _Node:
    totals: Totals = field(default_factory=Totals)
    hidden: set[int] = field(default_factory=set)  # teachers of classrooms the viewer may not see
    parts: list = field(default_factory=list)  # sets of classrooms whose union it sums
    reason: str | None = None  # None: published

    @property
    def published(self) -> bool:
        return self.reason is None

    @property
    def rooms(self) -> frozenset[int]:
        """The classrooms it sums (the audit reads them; pages never need them, so they are joined
        only when asked)."""
        return frozenset().union(*self.parts)


# Levels of the plan's nodes and their keys.
CLASSROOM, GRADE, SCHOOL, DISTRICT, DISTRICT_GRADE = "classroom", "grade", "school", "district", "district_grade"


def _safe(teachers: set[int]) -> bool:
    return not teachers or len(teachers) >= MIN_TEACHERS


def _pool(candidates: list[tuple[object, _Node]], residual: set[int]) -> list[object]:
    """Complementary suppression: move published nodes that hold unseen classrooms (smallest first)
    into a residual that holds one or two unseen teachers, until it holds at least three."""
    moved: list[object] = []
    if not residual or len(residual) >= MIN_TEACHERS:
        return moved
    candidates = sorted((c for c in candidates if c[1].hidden), key=lambda c: (c[1].totals.n_responses, str(c[0])))
    while residual and len(residual) < MIN_TEACHERS and candidates:
        key, node = candidates.pop(0)
        moved.append(key)
        residual |= node.hidden
    return moved


def decide_week(rows: Iterable[tuple[int, int, int, int]], rooms: dict[int, tuple], visible: frozenset[int]) -> dict:
    """One week's decisions: {(level, key): _Node}. `rows` are (classroom id, responses, answered,
    productive) of publishable surveys; `rooms` maps a classroom id to (school id, grade, teacher id,
    district id). Pure: the audit test and the pages call the same rules (`Plan` sums the blocks of
    every week in one pass over the rows, then applies `decide_blocks` to each week).

    Classrooms are first summed into school-and-grade blocks in one tight loop (a dashboard reads
    every classroom-week of the district); the rules then work on the few dozen blocks."""
    nodes: dict[tuple, _Node] = {}
    acc: dict[tuple, list] = {}  # (school, grade) → [responses, answered, productive, rooms, unseen teachers]
    district_key = None
    for room, r, a, p in rows:
        info = rooms[room]
        key = (info[0], info[1])
        district_key = info[3]
        entry = acc.get(key)
        if entry is None:
            entry = acc[key] = [0, 0, 0, set(), set()]
        entry[0] += r
        entry[1] += a
        entry[2] += p
        entry[3].add(room)
        if room in visible:
            nodes[(CLASSROOM, room)] = _Node(Totals(r, a, p), set(), [(room,)])
        else:
            entry[4].add(info[2])
    blocks = {key: _Node(Totals(e[0], e[1], e[2]), e[4], [e[3]]) for key, e in acc.items()}
    return decide_blocks(blocks, district_key, nodes)


def decide_blocks(blocks: dict[tuple, _Node], district_key, nodes: dict | None = None) -> dict:
    """The rules on one week's school-and-grade blocks ({(school, grade): _Node} with its totals,
    classrooms and unseen teachers). Block nodes are not modified except for their `reason`."""
    nodes = {} if nodes is None else nodes
    for (school, grade), block in blocks.items():
        nodes[(GRADE, (school, grade))] = block
        t, part = block.totals, block.parts[0]
        for level, key in ((SCHOOL, school), (DISTRICT, district_key), (DISTRICT_GRADE, grade)):
            n = nodes.get((level, key))
            if n is None:
                n = nodes[(level, key)] = _Node(Totals(), set(), [])
            n.totals.n_responses += t.n_responses
            n.totals.n_answered += t.n_answered
            n.totals.n_productive += t.n_productive
            if block.hidden:
                n.hidden |= block.hidden
            n.parts.append(part)
    # Schools: grade blocks with one or two unseen teachers are withheld; the rest of the school
    # (total minus its published blocks) must again hold none or at least three.
    grades_of: dict[int, list] = defaultdict(list)
    for (school, grade), block in blocks.items():
        grades_of[school].append(((school, grade), block))
    for school, school_blocks in grades_of.items():
        residual: set[int] = set()
        for _, n in school_blocks:
            if not _safe(n.hidden):
                n.reason = FEW_TEACHERS
                residual |= n.hidden
        if residual:
            for key in _pool([(k, n) for k, n in school_blocks if n.published], residual):
                nodes[(GRADE, key)].reason = COMPLEMENT
        school_node = nodes[(SCHOOL, school)]
        if not _safe(school_node.hidden):
            school_node.reason = FEW_TEACHERS
    # The district: the same one level up, over schools.
    schools = [(school, nodes[(SCHOOL, school)]) for school in grades_of]
    residual = set()
    for _, n in schools:
        if not n.published:
            residual |= n.hidden
    if residual:
        for key in _pool([(k, n) for k, n in schools if n.published], residual):
            nodes[(SCHOOL, key)].reason = COMPLEMENT
    if blocks and not _safe(nodes[(DISTRICT, district_key)].hidden):
        nodes[(DISTRICT, district_key)].reason = FEW_TEACHERS
    for (school, grade), block in blocks.items():
        # A withheld school publishes no block that holds unseen classrooms.
        if block.published and block.hidden and not nodes[(SCHOOL, school)].published:
            block.reason = COMPLEMENT
        # District-wide grades: only where every school's block of that grade is published.
        if not block.published:
            dg = nodes[(DISTRICT_GRADE, grade)]
            if dg.published:
                dg.reason = COMPLEMENT
    return nodes


@dataclass
class Figure:
    """One published (or withheld) figure over a period: a row of a table, a point of a chart."""

    key: object
    label: str
    n_responses: int = 0
    n_answered: int = 0
    n_productive: int = 0
    reason: str | None = None  # why it is withheld; None when shown
    weeks_shown: int = 0
    weeks_with_data: int = 0
    weeks: list[date] = field(default_factory=list)  # the published weeks it sums
    level: str = ""

    @property
    def withheld(self) -> bool:
        return self.reason is not None

    # The templates' and charts' name for it.
    suppressed = withheld

    @property
    def value(self) -> float | None:
        if self.reason is not None or not self.n_answered:
            return None
        return self.n_productive / self.n_answered

    @property
    def partial(self) -> bool:
        return not self.withheld and self.weeks_shown < self.weeks_with_data


def _blocks_in_sql(alias: str) -> bool:
    """PostgreSQL sums the classroom-weeks into blocks itself; elsewhere Python does (same result:
    tests/measures/test_plan_paths.py)."""
    return connections[alias].vendor == "postgresql"


class _WeekCache:
    """One process's decided weeks: {plan key: {week: (stamp, nodes)}}, the least recently used
    plan keys dropped first.

    Only a cache: each entry is used only where its stamp equals the one just read in the page's own
    snapshot (`Plan._week_stamps`), so nothing here is needed by another process, and a cleared or
    cold cache changes no decision (tests/measures/test_plan_cache.py compares cached and fresh
    plans). About 15 KB per week of a 200-classroom district."""

    def __init__(self, max_plans: int = 32):
        self.max_plans = max_plans
        self._plans: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, stamps: dict[date, tuple]) -> dict[date, dict]:
        """The decided weeks of `key` whose stamp is still the one given."""
        with self._lock:
            weeks = self._plans.get(key)
            if weeks is None:
                return {}
            self._plans.move_to_end(key)
            return {week: nodes for week, (stamp, nodes) in weeks.items() if stamps.get(week) == stamp}

    def put(self, key: tuple, decided: dict[date, tuple]) -> None:
        if not decided:
            return
        with self._lock:
            weeks = self._plans.setdefault(key, {})
            weeks.update(decided)
            self._plans.move_to_end(key)
            while len(self._plans) > self.max_plans:
                self._plans.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()


_week_cache = _WeekCache()


def clear_plan_cache() -> None:
    """Forget every decided week (tests: ids are reused when a test's transaction rolls back)."""
    _week_cache.clear()


class Plan:
    """For one viewer, district and instrument: every week's decisions over a range of weeks.

    A page reads every classroom-week of the district (8,000 rows for 200 classrooms over 40 weeks).
    They are summed into school-and-grade blocks per week in one pass: by the database on PostgreSQL
    (1,200 block rows, each with its classrooms), else in Python; the rules then run on the blocks
    (`decide_blocks`). A block's unseen teachers are worked out once per distinct set of classrooms
    (a block usually holds the same classrooms every week). The nodes of classrooms the viewer may
    see are read and made only when a page asks for them (the school page's table).

    A week's decisions are kept in this process (`_WeekCache`) and reused while that week's data, the
    district's classrooms and the viewer's visible classrooms are what they were: past weeks do not
    change, so a page reads and decides only the weeks whose data changed (see `_week_stamps`)."""

    def __init__(self, *, viewer: Viewer, district: District, lineage, since=None, until=None):
        self.viewer, self.district, self.lineage = viewer, district, lineage
        self.since, self.until = since, until
        self.min_n = district.min_group_size
        rooms = {
            pk: (school, grade or "—", teacher, district.pk)
            for pk, school, grade, teacher in Classroom.objects.filter(school__district=district).values_list(
                "pk", "school_id", "grade", "teacher_id"
            )
        }
        self.rooms = rooms
        self._seen: dict[int, list] = defaultdict(list)  # a classroom the viewer may see → its (week, r, a, p)
        self._seen_read: set[int] = set()
        self._classrooms_added: set[int] = set()
        self._keys: dict[str, set] = {}
        visible = viewer.visible
        points = self._points()
        # What the decisions depend on besides the week's own data: who teaches which classroom where,
        # and which of them this viewer may see (compared whole, not by a hash).
        cache_key = (
            points.db,
            district.pk,
            str(lineage),
            self.min_n,
            tuple(sorted(rooms.items())),
            frozenset(visible & rooms.keys()),
        )
        # Decided weeks are kept and reused only inside `snapshot()`: outside it the stamps and the
        # classroom-weeks are read by separate statements, and a refresh committing between them
        # would file decisions made on new data under the old stamp.
        use_cache = _in_snapshot.get()
        stamps = self._week_stamps(points.db)
        cached = _week_cache.get(cache_key, stamps) if use_cache else {}
        wanted = sorted(week for week in stamps if week not in cached)
        if not wanted:
            acc = {}
        elif _blocks_in_sql(points.db):
            acc = self._blocks_from_sql(points, wanted)
        else:
            acc = self._blocks_from_rows(points, wanted, every_week=not cached)
        unseen: dict[frozenset, frozenset] = {}  # a block's classrooms → their unseen teachers
        decided: dict[date, dict] = {}
        for week in acc:
            blocks = {}
            for key, (r, a, p, members) in acc[week].items():
                members = frozenset(members)
                hidden = unseen.get(members)
                if hidden is None:
                    hidden = unseen[members] = frozenset(rooms[m][2] for m in members if m not in visible)
                blocks[key] = _Node(Totals(r, a, p), hidden, [members])
            decided[week] = decide_blocks(blocks, district.pk)
        if use_cache:
            _week_cache.put(
                cache_key, {week: (stamps[week], nodes) for week, nodes in decided.items() if week in stamps}
            )
        # Each plan gets its own week dictionaries: the school page adds its classrooms' nodes to them.
        self.weeks: dict[date, dict] = {week: dict(nodes) for week, nodes in sorted({**cached, **decided}.items())}

    def _week_stamps(self, db: str) -> dict[date, tuple]:
        """Each week's stamp: the row of the district's overall point of that week (id and sums).

        Every writer of a week's classroom points rewrites the district point of that week in the
        same transaction (`aggregation.refresh_administrations`, `rebuild_all`, and
        `measures.deletion`, which refreshes or deletes whole weeks), and a new row gets a new id
        (PostgreSQL sequences and SQLite's AUTOINCREMENT never reuse the id of a committed row). So
        an unchanged stamp, read in the same snapshot as everything else, means unchanged classroom
        points. A week with a classroom point has a district point (both sum the same publishable
        surveys), so the stamped weeks are the weeks with data; a week that somehow had none would
        be missing from the plan, and so withheld everywhere (tests/measures/test_plan_cache.py)."""
        stamps = TrendPoint.objects.using(db).filter(
            district_id=self.district.pk,
            scope=Scope.DISTRICT,
            scope_id=self.district.pk,
            lineage=self.lineage,
            item_order=INDEX,
        )
        if self.since:
            stamps = stamps.filter(week__gte=self.since)
        if self.until:
            stamps = stamps.filter(week__lte=self.until)
        return {
            week: tuple(rest)
            for week, *rest in stamps.values_list(
                "week", "id", "n_responses", "n_answered", "n_productive", "n_administrations"
            ).order_by()
        }

    def _points(self):
        points = TrendPoint.objects.filter(
            district_id=self.district.pk, scope=Scope.CLASSROOM, lineage=self.lineage, item_order=INDEX
        )
        if self.since:
            points = points.filter(week__gte=self.since)
        if self.until:
            points = points.filter(week__lte=self.until)
        return points

    def _blocks_from_rows(self, points, weeks: list[date], every_week: bool) -> dict:
        """{week: {(school, grade): [responses, answered, productive, [classrooms]]}} from the
        classroom-weeks of these weeks."""
        visible, seen = self.viewer.visible, self._seen
        block_of = {pk: (info[0], info[1]) for pk, info in self.rooms.items()}
        acc: dict[date, dict] = {}
        for room, week, r, a, p in (
            points.values_list("scope_id", "week", "n_responses", "n_answered", "n_productive")
            .filter(week__in=weeks)
            .order_by()
        ):
            key = block_of.get(room)
            if key is None:
                continue
            blocks = acc.get(week)
            if blocks is None:
                blocks = acc[week] = {}
            entry = blocks.get(key)
            if entry is None:
                entry = blocks[key] = [0, 0, 0, []]
            entry[0] += r
            entry[1] += a
            entry[2] += p
            entry[3].append(room)
            if room in visible:
                seen[room].append((week, r, a, p))
        if every_week:  # the visible classrooms' rows are all in `seen`: no second read
            self._seen_read.update(self.rooms)
        return acc

    def _blocks_from_sql(self, points, weeks: list[date]) -> dict:
        """The same sums, made by PostgreSQL: one row per week and block, with its classrooms."""
        trend, classroom, school = (connections[points.db].ops.quote_name(m._meta.db_table)
                                    for m in (TrendPoint, Classroom, School))  # fmt: skip
        where, params = "", [self.district.pk, Scope.CLASSROOM, self.lineage, INDEX, self.district.pk]
        if self.since:
            where, params = where + " AND t.week >= %s", [*params, self.since]
        if self.until:
            where, params = where + " AND t.week <= %s", [*params, self.until]
        where, params = where + " AND t.week = ANY(%s)", [*params, weeks]
        acc: dict[date, dict] = defaultdict(dict)
        with connections[points.db].cursor() as cur:
            cur.execute(
                f"SELECT t.week, c.school_id, c.grade, SUM(t.n_responses), SUM(t.n_answered), SUM(t.n_productive), "
                f"array_agg(t.scope_id) FROM {trend} t JOIN {classroom} c ON c.id = t.scope_id "
                f"JOIN {school} s ON s.id = c.school_id WHERE t.district_id = %s AND t.scope = %s "
                f"AND t.lineage = %s AND t.item_order = %s AND s.district_id = %s{where} "
                f"GROUP BY t.week, c.school_id, c.grade",
                params,
            )
            for week, school_id, grade, r, a, p, members in cur.fetchall():
                acc[week][(school_id, grade or "—")] = [int(r), int(a), int(p), members]
        return acc

    def _read_classrooms(self, rooms: Iterable[int]) -> None:
        """Read the weekly rows of these classrooms that the viewer may see (once each)."""
        wanted = sorted(
            r for r in set(rooms) if r in self.viewer.visible and r in self.rooms and r not in self._seen_read
        )
        if not wanted:
            return
        self._seen_read.update(wanted)
        rows = (
            self._points()
            .filter(scope_id__in=wanted)
            .values_list("scope_id", "week", "n_responses", "n_answered", "n_productive")
        )
        for room, week, r, a, p in rows.order_by():
            self._seen[room].append((week, r, a, p))

    def _add_classrooms(self, rooms: Iterable[int] | None = None) -> None:
        """Nodes for classrooms the viewer may see (all, or these), as `decide_week` makes them:
        each its own, always published. Only the school page's table asks, for its own classrooms."""
        rooms = list(self.viewer.visible if rooms is None else rooms)
        self._read_classrooms(rooms)
        for room in rooms:
            if room in self._classrooms_added or room not in self._seen:
                continue
            self._classrooms_added.add(room)
            for week, r, a, p in self._seen[room]:
                nodes = self.weeks.get(week)
                if nodes is not None:  # a week the plan has no data for publishes nothing
                    nodes[(CLASSROOM, room)] = _Node(Totals(r, a, p), set(), [(room,)])

    def classrooms_with_data(self, rooms: Iterable[int]) -> set[int]:
        """Which of these classrooms the viewer may see have data in the plan's weeks."""
        rooms = set(rooms)
        self._add_classrooms(rooms)
        return {room for room in rooms if room in self._seen}

    def reason(self, level: str, key, week: date) -> str | None:
        if level == CLASSROOM:
            self._add_classrooms([key])
        node = self.weeks.get(week, {}).get((level, key))
        return None if node is None else node.reason

    def figure(self, level: str, key, label: str) -> Figure:
        """The sum of the node's published weeks; withheld when none is published."""
        if level == CLASSROOM:
            self._add_classrooms([key])
        fig = Figure(key=key, label=label, level=level)
        reasons = []
        for week, nodes in self.weeks.items():
            node = nodes.get((level, key))
            if node is None:
                continue
            fig.weeks_with_data += 1
            if node.published:
                fig.weeks_shown += 1
                fig.weeks.append(week)
                fig.n_responses += node.totals.n_responses
                fig.n_answered += node.totals.n_answered
                fig.n_productive += node.totals.n_productive
            else:
                reasons.append(node.reason)
        if fig.weeks_with_data and not fig.weeks_shown:
            fig.reason = max(set(reasons), key=reasons.count)
        return fig

    def keys(self, level: str) -> set:
        if level == CLASSROOM:
            self._add_classrooms()
            return set(self._classrooms_added)
        found = self._keys.get(level)
        if found is None:
            found = self._keys[level] = {key for nodes in self.weeks.values() for (lv, key) in nodes if lv == level}
        return set(found)


# ============================================================================================
# Pages: trends, breakdowns, exports
# ============================================================================================


def _scope_district(scope: str, scope_id: int) -> District:
    if scope == Scope.DISTRICT:
        return District.objects.get(pk=scope_id)
    if scope == Scope.SCHOOL:
        return District.objects.get(schools__pk=scope_id)
    return District.objects.get(schools__classrooms__pk=scope_id)


_LEVEL = {Scope.SCHOOL: SCHOOL, Scope.DISTRICT: DISTRICT}


def question_reasons(*, scope: str, scope_id: int, lineage=None, since=None, until=None) -> dict[tuple, str]:
    """Why a question's weekly figure of a school or the district is withheld in a week the plan
    publishes: {(lineage, week, item order): reason}; a question not named here follows the plan.

    A question's figure counts only the surveys whose class answered that question enough (the
    roll-ups' units), and the index of a survey sums exactly those of its questions. So the index of
    a week minus its other questions' figures is the figure of the remaining question: where that one
    counts fewer surveys than the index (PART_OF_CLASSES), publishing the others would hand it out —
    possibly one teacher's class alone. In such a week no question's figure of that school or
    district is published: the thin ones for PART_OF_CLASSES, the others to protect them (COMPLEMENT).
    The district counts every school's surveys, so a thin question anywhere withholds its week's
    questions district-wide too; a school with none keeps its own. (tests/measures/
    test_disclosure_audit_items.py solves for every class's question figures.)"""
    points = TrendPoint.objects.filter(scope=scope, scope_id=scope_id)
    if lineage is not None:
        points = points.filter(lineage=lineage)
    if since:
        points = points.filter(week__gte=since)
    if until:
        points = points.filter(week__lte=until)
    return _question_reasons_of(points.values_list("lineage", "item_order", "week", "n_responses").order_by())


def _question_reasons_of(rows: Iterable[tuple]) -> dict[tuple, str]:
    """`question_reasons` from (lineage, item order, week, responses) rows of one school or district."""
    index: dict[tuple, int] = {}
    questions: dict[tuple, list] = defaultdict(list)
    for lin, order, week, n in rows:
        if order == INDEX:
            index[(lin, week)] = n
        else:
            questions[(lin, week)].append((order, n))
    reasons = {}
    for key, found in questions.items():
        thin = {order for order, n in found if n != index.get(key)}
        if thin:
            for order, _ in found:
                reasons[(*key, order)] = PART_OF_CLASSES if order in thin else COMPLEMENT
    return reasons


def trend(
    user,
    *,
    scope: str,
    scope_id: int,
    lineage,
    item_order: int = INDEX,
    since: date | None = None,
    until: date | None = None,
    plan: Plan | None = None,
) -> Series:
    """A weekly run chart for a classroom, school or district, as this viewer may see it.

    A classroom's series is for those who may see its results (else empty). A school's or the
    district's weekly point is published only in weeks where the plan publishes that node; the
    others are gaps with their reason (the run-chart rules skip them)."""
    district = plan.district if plan is not None else _scope_district(scope, scope_id)
    min_n = district.min_group_size
    if scope == Scope.CLASSROOM:
        if not access.classrooms_with_results(user).filter(pk=scope_id).exists():
            return aggregation.series_of((), min_n=min_n)  # not theirs to see: an empty chart
        return aggregation.trend_series(
            scope=scope,
            scope_id=scope_id,
            lineage=lineage,
            item_order=item_order,
            min_n=min_n,
            since=since,
            until=until,
        )
    # The decisions and the values from one snapshot, also for callers outside a dashboard view (the
    # home panel, a cycle's study): `snapshot` is a no-op inside one already.
    with snapshot():
        if plan is None:
            plan = Plan(viewer=Viewer.of(user, district), district=district, lineage=lineage, since=since, until=until)
        found = aggregation.scope_series(
            scope=scope, scope_id=scope_id, lineage=lineage, item_orders=None, min_n=min_n, since=since, until=until
        )
    return _published(found, plan=plan, scope=scope, scope_id=scope_id, lineage=lineage)[item_order]


def _published(found: dict[int, Series], *, plan: Plan, scope: str, scope_id: int, lineage) -> dict[int, Series]:
    """A school's or the district's series (`found`: the index and every question of one lineage)
    with only the weeks the plan publishes to this viewer, and a question's week only where
    `question_reasons` allows it."""
    rows = ((lineage, order, p.week, p.n_responses) for order, series in found.items() for p in series.points)
    questions = {(week, order): reason for (_, week, order), reason in _question_reasons_of(rows).items()}
    level = _LEVEL[scope]
    index = found.get(INDEX)
    decided = {p.week for p in (index.points if index else ()) if _as_decided(plan, level, scope_id, p)}
    published = defaultdict(lambda: aggregation.series_of((), min_n=plan.min_n))
    for order, series in found.items():
        published[order] = _published_series(series, order, plan=plan, level=level, scope_id=scope_id,
                                             questions=questions, decided=decided)  # fmt: skip
    return published


def _as_decided(plan: Plan, level: str, key, point) -> bool:
    """Whether a stored school or district point of the index holds exactly what the plan decided on.

    The plan sums each week's classroom points by the classrooms' schools now; the stored points sum
    surveys by the school they were taken in. They differ only after a classroom (or school) moved:
    then the stored figure holds a class the plan counted elsewhere, and is withheld, with every
    question of its week (tests/measures/test_moved_classroom_privacy.py)."""
    node = plan.weeks.get(point.week, {}).get((level, key))
    if node is None:
        return False
    t = node.totals
    return (t.n_responses, t.n_answered, t.n_productive) == (point.n_responses, point.n_answered, point.n_productive)


def _published_series(series: Series, order: int, *, plan: Plan, level: str, scope_id: int, questions,
                      decided: set) -> Series:  # fmt: skip
    points = []
    for p in series.points:
        reason = plan.reason(level, scope_id, p.week) if p.week in decided else COMPLEMENT
        if reason is None:
            reason = questions.get((p.week, order))
        if reason is None:
            points.append(p)
        else:
            points.append(SeriesPoint(week=p.week, n_responses=0, n_answered=0, n_productive=0, suppressed=True,
                                      reason=reason))  # fmt: skip
    return aggregation.series_of(points, min_n=plan.min_n)


def trends(
    user,
    *,
    scope: str,
    scope_id: int,
    lineage,
    item_orders: list[int],
    since: date | None = None,
    until: date | None = None,
    plan: Plan | None = None,
) -> list[tuple[int, Series]]:
    """`trend` for several items (or the index) of one scope, in the order asked, every series from
    one query. A classroom's item series are read after the same check of who may see the classroom."""
    items = [order for order in item_orders if order != INDEX]
    if scope != Scope.CLASSROOM:
        district = plan.district if plan is not None else _scope_district(scope, scope_id)
        if plan is None:
            plan = Plan(viewer=Viewer.of(user, district), district=district, lineage=lineage, since=since, until=until)
        found = aggregation.scope_series(
            scope=scope,
            scope_id=scope_id,
            lineage=lineage,
            item_orders=None,  # every question: whether one may be shown depends on the others
            min_n=district.min_group_size,
            since=since,
            until=until,
        )
        published = _published(found, plan=plan, scope=scope, scope_id=scope_id, lineage=lineage)
        return [(order, published[order]) for order in item_orders]
    if len(items) < 2:
        return [
            (
                order,
                trend(
                    user,
                    scope=scope,
                    scope_id=scope_id,
                    lineage=lineage,
                    item_order=order,
                    since=since,
                    until=until,
                    plan=plan,
                ),
            )  # fmt: skip
            for order in item_orders
        ]
    min_n = (plan.district if plan is not None else _scope_district(scope, scope_id)).min_group_size
    if not access.classrooms_with_results(user).filter(pk=scope_id).exists():
        return [(order, aggregation.series_of((), min_n=min_n)) for order in item_orders]  # not theirs to see
    found = aggregation.classroom_item_series(
        classroom_id=scope_id, lineage=lineage, min_n=min_n, item_orders=items, since=since, until=until
    )
    if INDEX in item_orders:
        found[INDEX] = aggregation.trend_series(
            scope=scope, scope_id=scope_id, lineage=lineage, min_n=min_n, since=since, until=until
        )
    return [(order, found[order]) for order in item_orders]


@dataclass
class Breakdown:
    rows: list[Figure]
    total: Figure
    note: str = ""


def school_breakdowns(user, school: School, lineage, *, since=None, until=None, plan: Plan | None = None) -> dict:
    """The school page's tables: by grade and by classroom (only those the viewer may see)."""
    district = school.district
    plan = plan or Plan(viewer=Viewer.of(user, district), district=district, lineage=lineage, since=since, until=until)
    total = plan.figure(SCHOOL, school.pk, pgettext("table total", "All"))
    grades = sorted(k for k in plan.keys(GRADE) if k[0] == school.pk)
    by_grade = [plan.figure(GRADE, k, gettext("Grade %(grade)s") % {"grade": k[1]}) for k in grades]
    rooms = {
        c.pk: c for c in Classroom.objects.filter(school=school, pk__in=plan.viewer.visible).select_related("teacher")
    }
    with_data = plan.classrooms_with_data(rooms)
    by_room = sorted(
        (plan.figure(CLASSROOM, pk, f"{room.teacher} · {room}") for pk, room in rooms.items() if pk in with_data),
        key=lambda f: f.label,
    )
    return {
        "grades": Breakdown(by_grade, total),
        "rooms": Breakdown(by_room, total, note=sharing_note(school, plan.viewer)),
    }


def district_breakdowns(user, district: District, lineage, *, since=None, until=None, plan: Plan | None = None) -> dict:
    plan = plan or Plan(viewer=Viewer.of(user, district), district=district, lineage=lineage, since=since, until=until)
    total = plan.figure(DISTRICT, district.pk, pgettext("table total", "All"))
    names = dict(School.objects.filter(district=district).values_list("pk", "name"))
    by_school = sorted((plan.figure(SCHOOL, k, names[k]) for k in plan.keys(SCHOOL)), key=lambda f: f.label)
    by_grade = sorted(
        (plan.figure(DISTRICT_GRADE, k, gettext("Grade %(grade)s") % {"grade": k}) for k in plan.keys(DISTRICT_GRADE)),
        key=lambda f: f.label,
    )
    return {"schools": Breakdown(by_school, total), "grades": Breakdown(by_grade, total)}


def sharing_note(school: School, viewer: Viewer) -> str:
    """'5 of 9 teachers share their classrooms with you' — counts of people, no survey numbers."""
    teachers = set(Classroom.objects.filter(school=school).values_list("teacher_id", flat=True))
    sharing = set(Classroom.objects.filter(school=school, pk__in=viewer.visible).values_list("teacher_id", flat=True))
    if viewer.user_id in teachers:
        teachers.discard(viewer.user_id)
        sharing.discard(viewer.user_id)
    if not teachers:
        return ""
    return ngettext(
        "%(sharing)s of %(teachers)s teacher share their classrooms with you.",
        "%(sharing)s of %(teachers)s teachers share their classrooms with you.",
        len(teachers),
    ) % {"sharing": len(sharing), "teachers": len(teachers)}


# --- exports --------------------------------------------------------------------------------

EXPORT_HEADER = ["scope", "scope_id", "instrument", "item", "week", "responses", "answered", "productive",
                 "share_productive", "note"]  # fmt: skip


def trend_rows(user, *, scope: str, scope_id: int) -> Iterator[list]:
    """Weekly CSV rows per instrument and item for a classroom (its viewer) or the district, with
    exactly the weeks the pages publish to this viewer."""
    district = _scope_district(scope, scope_id)
    min_n = district.min_group_size
    names = {i.lineage: i.name for i in Instrument.objects.filter(is_current=True)}
    yield EXPORT_HEADER
    if scope == Scope.CLASSROOM and not access.classrooms_with_results(user).filter(pk=scope_id).exists():
        return
    points = TrendPoint.objects.filter(scope=scope, scope_id=scope_id).order_by("lineage", "item_order", "week")
    if scope == Scope.CLASSROOM:
        # A classroom stores trend points for its index only; its item rows are summed from its
        # surveys' item summaries (the same units and sums).
        items = aggregation.classroom_item_points(classroom_id=scope_id)
        points = sorted(
            [*points.filter(item_order=INDEX), *items], key=lambda p: (str(p.lineage), p.item_order, p.week)
        )
    else:
        points = points.iterator()
    plans: dict = {}
    viewer = Viewer.of(user, district) if scope != Scope.CLASSROOM else None
    questions = question_reasons(scope=scope, scope_id=scope_id) if scope != Scope.CLASSROOM else {}
    decided: set[tuple] = set()  # (lineage, week) whose stored index is what the plan decided on
    for p in points:
        item = "index" if p.item_order == INDEX else p.item_order
        name = names.get(p.lineage, p.lineage)
        reason = None
        if scope != Scope.CLASSROOM:
            if p.lineage not in plans:
                plans[p.lineage] = Plan(viewer=viewer, district=district, lineage=p.lineage)
            plan = plans[p.lineage]
            # A week the plan never decided, or decided on other classrooms than the stored figure
            # holds, publishes nothing, as on the pages (`_published`). Index rows come first.
            if p.item_order == INDEX and _as_decided(plan, _LEVEL[scope], scope_id, p):
                decided.add((p.lineage, p.week))
            in_plan = (p.lineage, p.week) in decided
            reason = plan.reason(_LEVEL[scope], scope_id, p.week) if in_plan else COMPLEMENT
            if reason is None:
                reason = questions.get((p.lineage, p.week, p.item_order))
        if reason is None and p.n_responses < min_n:
            reason = few_responses(min_n)
        if reason is not None:
            yield [scope, scope_id, name, item, p.week, "", "", "", "", reason]
        else:
            share = round(p.n_productive / p.n_answered, 4) if p.n_answered else ""
            yield [scope, scope_id, name, item, p.week, p.n_responses, p.n_answered, p.n_productive, share, ""]


def raw_answer_rows(classroom: Classroom) -> Iterator[list]:
    """A teacher's own raw answers, one row per response with an answer per item: only surveys at or
    above the minimum group size, rows shuffled within each survey, the day only, no response
    number (a number in submission order would match a row to the student who just pressed Send)."""
    min_n = classroom.school.district.min_group_size
    surveys = list(
        Administration.objects.filter(classroom=classroom)
        .annotate(n=Count("responses"))
        .filter(n__gte=min_n)  # counted from the raw rows themselves, not from a summary that may lag
        .select_related("instrument")
        .order_by("opened_at")
    )
    items_of = {}
    width = 0
    for survey in surveys:
        items_of[survey.pk] = list(survey.instrument.items.order_by("order"))
        width = max(width, len(items_of[survey.pk]))
    yield ["date", "survey", *[f"item {n}" for n in range(1, width + 1)]]
    shuffle = random.SystemRandom().shuffle
    for survey in surveys:
        items = items_of[survey.pk]
        answers = defaultdict(dict)
        for response_id, item_id, option_label, text in Answer.objects.filter(administration=survey).values_list(
            "response_id", "item_id", "option__label_en", "text"
        ):
            cell = option_label if option_label is not None else text
            answers[response_id][item_id] = (
                f"{answers[response_id][item_id]}; {cell}" if item_id in answers[response_id] else cell
            )
        rows = [
            [survey.opened_at.date().isoformat(), survey.instrument.name, *[a.get(i.pk, "") for i in items]]
            for a in answers.values()
        ]
        shuffle(rows)
        yield from rows

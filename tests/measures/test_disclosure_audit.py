"""The disclosure audit: for each role, collect every survey number it can reach through the
publication layer — every classroom, school and district page it may open, each chart point, every
table over every range of weeks, every CSV — and solve for each protected quantity. The test fails
if any is determined (exactly, by linear algebra over the published counts) or bounded within a
range narrower than the district's minimum group size (linear programming, responses ≥ 0).

Protected, for a viewer: every survey below the minimum group size; and, for classrooms the viewer
may not see, each unseen teacher's classrooms in a week or over all weeks, and each such pair of
teachers (a group of fewer than three teachers).

The district has the hard shapes: a single-teacher grade, a two-teacher grade, a one-classroom
school, a school where every teacher shares, a survey of 6 beside a survey of 12 in one week, a
grade of one teacher inside an otherwise big school, a school with one small grade.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.optimize import linprog

from districts import access
from districts.models import Classroom, Role, School
from measures import aggregation, publication
from measures.models import Administration, Response, Scope
from tests.factories import (
    ClassroomFactory,
    CoachAssignmentFactory,
    DistrictFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
    make_instrument,
)

from .helpers import bulk_survey
from .sharing import share

pytestmark = pytest.mark.django_db
WEEKS = 3


@dataclass
class World:
    district: object
    instrument: object
    people: dict
    classrooms: list


@pytest.fixture
def world():
    rng = random.Random(7)
    district = DistrictFactory(name="Audit", slug="audit", share_with_partners=True)
    instrument = make_instrument(name="Audit discussion", items=2)
    people = {}

    def person(name, role, school=None):
        user = UserFactory(email=f"{name}@audit.example", full_name=name)
        MembershipFactory(user=user, district=district, school=school, role=role)
        people[name] = user
        return user

    a, b, c, d = (SchoolFactory(district=district, name=f"School {x}") for x in "ABCD")
    rooms = []

    def room(school, grade, teacher, name):
        made = ClassroomFactory(school=school, teacher=teacher, name=name, grade=grade)
        rooms.append(made)
        return made

    # School A: grade 6 one teacher (two classrooms), grade 7 two teachers, grade 8 four teachers.
    t1 = person("t1", Role.TEACHER, a)
    room(a, "6", t1, "6-1"), room(a, "6", t1, "6-2")
    t2, t3 = person("t2", Role.TEACHER, a), person("t3", Role.TEACHER, a)
    room(a, "7", t2, "7-1"), room(a, "7", t3, "7-2")
    for k in range(4, 8):
        room(a, "8", person(f"t{k}", Role.TEACHER, a), f"8-{k}")
    # School B: one classroom (a small school).
    room(b, "6", person("t8", Role.TEACHER, b), "B6")
    # School C: every teacher shares with everyone.
    for k in range(9, 13):
        share(room(c, "6" if k < 11 else "7", person(f"t{k}", Role.TEACHER, c), f"C{k}"), leaders=True, principal=True)
    # School D: grade 6 three teachers; grade 7 one teacher whose week holds a survey of 6 and one of 12.
    for k in range(13, 16):
        room(d, "6", person(f"t{k}", Role.TEACHER, d), f"D{k}")
    small = room(d, "7", person("t16", Role.TEACHER, d), "D16")
    # One grade-8 teacher of School A shares with leaders and principal.
    share(Classroom.objects.get(name="8-4"), leaders=True, principal=True)

    person("leader", Role.DISTRICT_LEADER)
    person("partner", Role.PARTNER)
    person("principal_a", Role.PRINCIPAL, a)
    person("principal_c", Role.PRINCIPAL, c)
    coach = person("coach", Role.COACH, a)
    other_coach = person("other_coach", Role.COACH, c)
    for teacher in (t1, people["t4"]):
        CoachAssignmentFactory(district=district, coach=coach, teacher=teacher)
    CoachAssignmentFactory(district=district, coach=other_coach, teacher=people["t9"])

    for r in rooms:
        for w in range(WEEKS):
            bulk_survey(r, instrument, w, rng.randint(10, 24), rng)
    bulk_survey(small, instrument, 1, 6, rng)  # beside its 10–24 survey of that week
    bulk_survey(Classroom.objects.get(name="7-1"), instrument, 0, 7, rng)  # another small one
    aggregation.rebuild_all()
    return World(district, instrument, people, rooms)


# --- what a role can reach -----------------------------------------------------------------


class Collected:
    """Published figures as (set of survey ids, responses, answered, productive)."""

    def __init__(self, district):
        self.rows: list[tuple[frozenset, int, int, int]] = []
        self.min_n = district.min_group_size
        surveys = Administration.objects.filter(district=district).select_related("classroom")
        self.survey_room = {s.pk: s.classroom_id for s in surveys}
        self.survey_week = {s.pk: s.week for s in surveys}
        self.survey_n = {s.pk: s.summary.n_responses for s in surveys}

    def publishable(self, rooms, week) -> frozenset:
        return frozenset(
            pk
            for pk, room in self.survey_room.items()
            if room in rooms and self.survey_week[pk] == week and self.survey_n[pk] >= self.min_n
        )

    def add(self, surveys: frozenset, r: int, a: int, p: int, what: str) -> None:
        # The layer's claim about what a figure sums is checked against an independent count.
        truth = Response.objects.filter(administration__in=surveys).count()
        assert r == truth, f"{what}: published {r} responses, the surveys it claims to sum hold {truth}"
        self.rows.append((surveys, r, a, p))


def _ranges(plan_weeks):
    weeks = sorted(plan_weeks)
    out = [(None, None)] + [(w, w) for w in weeks]
    out += [(weeks[0], w) for w in weeks[1:]] + [(w, weeks[-1]) for w in weeks[1:-1]]
    return out


def collect(user, world: World) -> Collected:
    district, lineage = world.district, world.instrument.lineage
    got = Collected(district)
    viewer = publication.Viewer.of(user, district)
    # Classroom pages, their surveys and their exports.
    for room in access.classrooms_with_results(user).filter(school__district=district):
        series = publication.trend(user, scope=Scope.CLASSROOM, scope_id=room.pk, lineage=lineage)
        for p in series.points:
            if not p.suppressed:
                got.add(got.publishable({room.pk}, p.week), p.n_responses, p.n_answered, p.n_productive, "week")
        for survey in Administration.objects.filter(classroom=room):
            results = publication.survey_results(survey)
            if not results.withheld:
                got.add(frozenset({survey.pk}), results.n, 0, 0, "survey")
        for row in publication.trend_rows(user, scope=Scope.CLASSROOM, scope_id=room.pk):
            if row[3] == "index" and row[5] != "":
                got.add(got.publishable({room.pk}, row[4]), row[5], row[6], row[7], "classroom csv")
        if room.teacher_id == user.pk:
            raw = list(publication.raw_answer_rows(room))[1:]
            for survey in Administration.objects.filter(classroom=room):
                n = sum(1 for r in raw if r[0] == survey.opened_at.date().isoformat())
                if n:
                    day = survey.opened_at.date()
                    same_day = [
                        s
                        for s in Administration.objects.filter(classroom=room)
                        if s.opened_at.date() == day and got.survey_n[s.pk] >= got.min_n
                    ]
                    got.add(frozenset(s.pk for s in same_day), n, 0, 0, "raw csv")
    # School and district pages over every range the filter allows.
    weeks = sorted({w for w in got.survey_week.values()})
    scopes = [(Scope.SCHOOL, s) for s in access.schools_with_aggregates(user).filter(district=district)]
    if access.may_see_district_aggregates(user, district):
        scopes.append((Scope.DISTRICT, district))
    for scope, where in scopes:
        for since, until in _ranges(weeks):
            plan = publication.Plan(viewer=viewer, district=district, lineage=lineage, since=since, until=until)

            def rooms_of(level, key, week, plan=plan):
                return plan.weeks[week][(level, key)].rooms

            series = publication.trend(
                user, scope=scope, scope_id=where.pk, lineage=lineage, since=since, until=until, plan=plan
            )
            level = publication.SCHOOL if scope == Scope.SCHOOL else publication.DISTRICT
            for p in series.points:
                if not p.suppressed:
                    got.add(got.publishable(rooms_of(level, where.pk, p.week), p.week), p.n_responses, p.n_answered,
                            p.n_productive, "trend")  # fmt: skip
            tables = (
                publication.school_breakdowns(user, where, lineage, plan=plan)
                if scope == Scope.SCHOOL
                else publication.district_breakdowns(user, where, lineage, plan=plan)
            )
            for table in tables.values():
                for fig in [*table.rows, table.total]:
                    if fig.withheld:
                        continue
                    surveys = frozenset().union(
                        *[got.publishable(rooms_of(fig.level, fig.key, w), w) for w in fig.weeks]
                    )
                    got.add(surveys, fig.n_responses, fig.n_answered, fig.n_productive, f"{fig.level} table")
        if scope == Scope.DISTRICT:
            for row in publication.trend_rows(user, scope=Scope.DISTRICT, scope_id=district.pk):
                if row[3] == "index" and row[5] != "":
                    plan = publication.Plan(viewer=viewer, district=district, lineage=lineage)
                    rooms = plan.weeks[row[4]][(publication.DISTRICT, district.pk)].rooms
                    got.add(got.publishable(rooms, row[4]), row[5], row[6], row[7], "district csv")
    return got


# --- what must stay protected --------------------------------------------------------------


def protected(user, world: World, got: Collected) -> dict[str, frozenset]:
    visible = publication.Viewer.of(user, world.district).visible
    found = {}
    for pk, n in got.survey_n.items():
        if n < got.min_n:
            found[f"survey {pk} of {n}"] = frozenset({pk})
    teacher_of = {r.pk: r.teacher.full_name for r in world.classrooms}
    hidden: dict[tuple, set] = {}
    for pk, room in got.survey_room.items():
        if room not in visible:
            hidden.setdefault((teacher_of[room], got.survey_week[pk]), set()).add(pk)
    teachers = sorted({t for t, _ in hidden})
    for t in teachers:
        found[f"{t}, all weeks"] = frozenset().union(*[s for (tt, _), s in hidden.items() if tt == t])
        for (tt, w), s in hidden.items():
            if tt == t:
                found[f"{t}, week of {w}"] = frozenset(s)
    for t, u in itertools.combinations(teachers, 2):
        for w in sorted({w for (_, w) in hidden}):
            pair = hidden.get((t, w), set()) | hidden.get((u, w), set())
            if pair:
                found[f"{t}+{u}, week of {w}"] = frozenset(pair)
    return found


def determined(got: Collected, targets: dict[str, frozenset]) -> list[str]:
    surveys = sorted(got.survey_room)
    col = {pk: i for i, pk in enumerate(surveys)}
    rows = {r[0]: r[1] for r in got.rows}  # one equation per distinct set
    if not rows:
        return []
    matrix = np.zeros((len(rows), len(surveys)))
    values = np.zeros(len(rows))
    for i, (members, value) in enumerate(rows.items()):
        for pk in members:
            matrix[i, col[pk]] = 1
        values[i] = value
    rank = np.linalg.matrix_rank(matrix)
    leaks = []
    for name, members in targets.items():
        q = np.zeros(len(surveys))
        for pk in members:
            q[col[pk]] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, q])) == rank:
            leaks.append(f"{name}: determined exactly")
            continue
        if "week of" in name or name.startswith("survey"):
            low = linprog(q, A_eq=matrix, b_eq=values, bounds=(0, None), method="highs")
            high = linprog(-q, A_eq=matrix, b_eq=values, bounds=(0, None), method="highs")
            if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < got.min_n:
                leaks.append(f"{name}: between {low.fun:.0f} and {-high.fun:.0f}")
    return leaks


ROLES = ["t1", "t2", "coach", "other_coach", "principal_a", "principal_c", "leader", "partner"]


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_solve_for_a_protected_quantity(world, role):
    user = world.people[role]
    got = collect(user, world)
    targets = protected(user, world, got)
    assert targets, "the audit must have something to protect"
    assert determined(got, targets) == []


@pytest.mark.parametrize("teachers", [1, 2])
def test_the_audit_finds_a_leak_when_the_rules_are_weakened(world, monkeypatch, teachers):
    """The auditor is real: with groups of fewer than three teachers allowed, some role solves for
    a teacher or a pair of teachers."""
    monkeypatch.setattr(publication, "MIN_TEACHERS", teachers)
    leaks = []
    for role in ROLES:
        user = world.people[role]
        got = collect(user, world)
        leaks += determined(got, protected(user, world, got))
    assert leaks


def test_leaders_still_see_real_aggregates(world):
    """Suppression leaves the product useful: the school where every teacher shares, and the district."""
    user = world.people["leader"]
    district = world.district
    tables = publication.district_breakdowns(user, district, world.instrument.lineage)
    shown = {f.label for f in tables["schools"].rows if not f.withheld}
    assert "School C" in shown
    assert not tables["schools"].total.withheld
    school_c = School.objects.get(name="School C")
    by_room = publication.school_breakdowns(user, school_c, world.instrument.lineage)["rooms"]
    assert len([f for f in by_room.rows if not f.withheld]) == 4

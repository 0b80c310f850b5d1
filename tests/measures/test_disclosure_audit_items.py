"""The disclosure audit, per question: every number about a single question (item) that a role can
reach — a classroom's and a survey's item figures, the question charts of school and district pages,
the item rows of the classroom and district CSVs, the teacher's own raw answers — beside every
index figure (charts and tables over every range of weeks), solved for each protected quantity.

The unknowns are each survey's responses and, per survey and question, how many answered it and
how many of those answers were productive. A published figure is a sum of them: the index of a set
of surveys sums every question each survey had answered by at least the minimum (the trend
roll-ups' units), a question's figure that question's units only. Each figure's claim about what it
sums is checked against counts read from the raw answers, so the model cannot drift from the layer.

Protected, for a viewer: for each classroom the viewer may not see, its teacher's counts per
question and for the index, in a week and over all weeks, and each such pair of teachers; every
survey below the minimum; every question a survey had answered by fewer than the minimum (unless
the viewer may download that survey's raw answers: their own class, R5).

The district: a school of four teachers where one class skipped a question and another answered a
question too little, one teacher sharing; a school of three teachers none shares, one class thin
on a question; a school where two of three classes are thin on one question in the same week; a
two-teacher school; a small survey beside a big one; a multiple-choice question where some
respondents chose two answers (counted once); three weeks.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.optimize import linprog

from districts import access
from districts.models import Classroom, Role
from measures import aggregation, publication
from measures.aggregation import INDEX
from measures.models import Administration, Answer, Item, Option, Response, Scope
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
from .test_disclosure_audit import _ranges

pytestmark = pytest.mark.django_db
WEEKS = 3
THIN = 5  # answers to a question in a class that answered it too little


# --- the district ---------------------------------------------------------------------------


class Truth:
    """The true counts, read from the raw rows (not from the summaries the layer reads)."""

    def __init__(self, district, instrument):
        self.min_n = district.min_group_size
        surveys = list(Administration.objects.filter(district=district, classroom__isnull=False))
        self.room = {s.pk: s.classroom_id for s in surveys}
        self.week = {s.pk: s.week for s in surveys}
        self.day = {s.pk: s.opened_at.date() for s in surveys}
        self.r = {s.pk: 0 for s in surveys}
        for pk in Response.objects.filter(administration__in=surveys).values_list("administration_id", flat=True):
            self.r[pk] += 1
        items = Item.objects.filter(instrument=instrument).exclude(kind="text").order_by("order")
        order_of = {item.pk: item.order for item in items}
        self.items = list(order_of.values())
        self.a: dict[tuple, int] = {(s, i): 0 for s in self.r for i in self.items}
        self.p = dict(self.a)
        # A respondent counts once per question, also where they chose several answers.
        answered, productive = defaultdict(set), defaultdict(set)
        answers = Answer.objects.filter(administration__in=surveys, option__isnull=False).values_list(
            "administration_id", "item_id", "response_id", "option__productive"
        )
        for survey, item, response, good in answers:
            answered[(survey, order_of[item])].add(response)
            if good:
                productive[(survey, order_of[item])].add(response)
        for cell in self.a:
            self.a[cell], self.p[cell] = len(answered[cell]), len(productive[cell])
        self.productive_labels = set(
            Option.objects.filter(item__instrument=instrument, productive=True).values_list("label_en", flat=True)
        )

    def publishable(self, rooms, week) -> set:
        return {
            s for s, room in self.room.items() if room in rooms and self.week[s] == week and self.r[s] >= self.min_n
        }

    def counts(self, survey, order) -> bool:
        """A survey's answers to a question count in a trend (the roll-ups' unit rule)."""
        return self.a[(survey, order)] >= self.min_n


class Collected:
    """Published figures as equations: surveys → responses; (survey, question) cells → answered, productive."""

    def __init__(self, truth: Truth):
        self.truth = truth
        self.r: dict[frozenset, int] = {}
        self.a: dict[frozenset, int] = {}
        self.p: dict[frozenset, int] = {}

    def add(self, what, surveys, cells, r, a, p) -> None:
        t = self.truth
        if surveys is not None:
            truth = sum(t.r[s] for s in surveys)
            assert r == truth, f"{what}: published {r} responses, the surveys it claims to sum hold {truth}"
            if surveys:
                self.r[frozenset(surveys)] = r
        if cells is not None:
            truth = (sum(t.a[c] for c in cells), sum(t.p[c] for c in cells))
            assert (a, p) == truth, f"{what}: published {(a, p)}, the answers it claims to sum hold {truth}"
            if cells:
                self.a[frozenset(cells)] = a
                self.p[frozenset(cells)] = p

    def figure(self, what, order, surveys, r, a, p) -> None:
        """A figure of the index (order 0) or of one question over these publishable surveys."""
        t = self.truth
        if order == INDEX:
            cells = {(s, i) for s in surveys for i in t.items if t.counts(s, i)}
        else:
            surveys = {s for s in surveys if t.counts(s, order)}
            cells = {(s, order) for s in surveys}
        self.add(f"{what}, question {order}", surveys, cells, r, a, p)


@dataclass
class World:
    district: object
    instrument: object
    people: dict
    truth: Truth


@pytest.fixture
def world():
    rng = random.Random(11)
    district = DistrictFactory(name="Items", slug="items", share_with_partners=True)
    instrument = make_instrument(name="Item audit", items=3, multiple_last=True)  # question 3: several answers
    people = {}

    def person(name, role, school=None):
        user = UserFactory(email=f"{name}@items.example", full_name=name)
        MembershipFactory(user=user, district=district, school=school, role=role)
        people[name] = user
        return user

    a, b, c, d = (SchoolFactory(district=district, name=f"School {x}") for x in "ABCD")
    rooms = {}

    def room(school, grade, name):
        teacher = person(name, Role.TEACHER, school)
        rooms[name] = ClassroomFactory(school=school, teacher=teacher, name=name, grade=grade)
        return rooms[name]

    # School A: four grade-6 teachers; a1 shares with the principal and leaders.
    for k in range(1, 5):
        room(a, "6", f"a{k}")
    share(rooms["a1"], leaders=True, principal=True)
    # School B: three teachers, none shares beyond the coach.
    room(b, "6", "b1"), room(b, "6", "b2"), room(b, "7", "b3")
    # School C: three grade-7 teachers; c3 shares with the principal only.
    for k in range(1, 4):
        room(c, "7", f"c{k}")
    share(rooms["c3"], principal=True)
    # School D: two teachers, d1 shares with leaders.
    room(d, "8", "d1"), room(d, "8", "d2")
    share(rooms["d1"], leaders=True)

    for name in ("a", "b", "c", "d"):
        person(f"principal_{name}", Role.PRINCIPAL, {"a": a, "b": b, "c": c, "d": d}[name])
    person("leader", Role.DISTRICT_LEADER)
    person("partner", Role.PARTNER)
    coach = person("coach", Role.COACH, a)
    for teacher in ("a2", "b1", "c1"):
        CoachAssignmentFactory(district=district, coach=coach, teacher=people[teacher])

    surveys = {}
    for name, r in rooms.items():
        for w in range(WEEKS):
            surveys[(name, w)] = bulk_survey(r, instrument, w, rng.randint(12, 22), rng)
    bulk_survey(rooms["a4"], instrument, 0, 6, rng)  # a survey below the minimum beside a big one
    items = {item.order: item for item in Item.objects.filter(instrument=instrument)}

    def thin(name, week, order, keep=THIN):
        extra = Answer.objects.filter(administration=surveys[(name, week)], item=items[order])
        Answer.objects.filter(pk__in=list(extra.values_list("pk", flat=True)[keep:])).delete()

    thin("a3", 1, 2, keep=0)  # a3's class skipped question 2
    thin("a2", 2, 3)  # a2's class answered question 3 too little
    thin("b1", 0, 1)  # one of three unseen classes thin on question 1
    thin("c1", 1, 1), thin("c2", 1, 1)  # two of three classes thin on question 1: c3 alone would remain
    thin("d2", 0, 2)
    # Some respondents chose two answers to question 3 (productive or not): counted once each.
    options = list(items[3].options.order_by("order"))
    for _, survey in sorted(surveys.items())[::3]:
        chosen = Answer.objects.filter(administration=survey, item=items[3]).select_related("response")[:4]
        Answer.objects.bulk_create(
            [
                Answer(
                    administration=survey,
                    response=a.response,
                    item=items[3],
                    option=rng.choice([o for o in options if o.pk != a.option_id]),
                )
                for a in chosen
            ]
        )
    aggregation.rebuild_all()
    return World(district, instrument, people, Truth(district, instrument))


# --- what a role can reach -----------------------------------------------------------------


def _rows(rows):
    """CSV rows with their figures: (question order, week, responses, answered, productive)."""
    for row in list(rows)[1:]:
        if row[5] != "":
            yield (INDEX if row[3] == "index" else row[3]), row[4], row[5], row[6], row[7]


def collect(user, world: World) -> Collected:
    district, lineage, truth = world.district, world.instrument.lineage, world.truth
    got = Collected(truth)
    orders = [INDEX, *truth.items]
    viewer = publication.Viewer.of(user, district)
    # Classroom pages (index and question charts), their surveys, their CSVs.
    for room in access.classrooms_with_results(user).filter(school__district=district):
        found = publication.trends(user, scope=Scope.CLASSROOM, scope_id=room.pk, lineage=lineage, item_orders=orders)
        for order, series in found:
            for p in series.shown:
                got.figure(f"classroom {room} week {p.week}", order, truth.publishable({room.pk}, p.week),
                           p.n_responses, p.n_answered, p.n_productive)  # fmt: skip
        for survey in Administration.objects.filter(classroom=room):
            results = publication.survey_results(survey)
            if results.withheld:
                continue
            got.add(f"survey {survey.pk}", {survey.pk}, None, results.n, None, None)
            for item in results.items:
                if not item.suppressed:
                    got.add(f"survey {survey.pk} question {item.order}", None, {(survey.pk, item.order)}, None,
                            item.n, item.n_productive)  # fmt: skip
        for order, week, r, a, p in _rows(publication.trend_rows(user, scope=Scope.CLASSROOM, scope_id=room.pk)):
            got.figure(f"classroom csv {room} {week}", order, truth.publishable({room.pk}, week), r, a, p)
        if access.may_change_sharing(user, room):
            by_day = defaultdict(list)
            for row in list(publication.raw_answer_rows(room))[1:]:
                by_day[row[0]].append(row)
            for day, rows in by_day.items():
                same_day = {s for s, where in truth.room.items() if where == room.pk and truth.r[s] >= truth.min_n
                            and truth.day[s].isoformat() == day}  # fmt: skip
                got.add(f"raw {room} {day}", same_day, None, len(rows), None, None)
                for k, order in enumerate(truth.items):
                    answered = sum(1 for r in rows if r[2 + k] != "")
                    productive = sum(1 for r in rows if set(r[2 + k].split("; ")) & truth.productive_labels)
                    got.add(f"raw {room} {day} question {order}", None, {(s, order) for s in same_day}, None,
                            answered, productive)  # fmt: skip
    # School and district pages, every chart and table over every range; the district CSV.
    weeks = sorted(set(truth.week.values()))
    scopes = [(Scope.SCHOOL, s) for s in access.schools_with_aggregates(user).filter(district=district)]
    if access.may_see_district_aggregates(user, district):
        scopes.append((Scope.DISTRICT, district))
    for scope, where in scopes:
        members = (
            Classroom.objects.filter(school=where)
            if scope == Scope.SCHOOL
            else Classroom.objects.filter(school__district=where)
        )
        rooms = set(members.values_list("pk", flat=True))
        for since, until in _ranges(weeks):
            plan = publication.Plan(viewer=viewer, district=district, lineage=lineage, since=since, until=until)
            found = publication.trends(user, scope=scope, scope_id=where.pk, lineage=lineage, item_orders=orders,
                                       since=since, until=until, plan=plan)  # fmt: skip
            for order, series in found:
                for p in series.shown:
                    got.figure(f"{scope} {where.pk} week {p.week}", order, truth.publishable(rooms, p.week),
                               p.n_responses, p.n_answered, p.n_productive)  # fmt: skip
            tables = (
                publication.school_breakdowns(user, where, lineage, plan=plan)
                if scope == Scope.SCHOOL
                else publication.district_breakdowns(user, where, lineage, plan=plan)
            )
            for table in tables.values():
                for fig in [*table.rows, table.total]:
                    if fig.withheld:
                        continue
                    surveys = set().union(
                        *[truth.publishable(plan.weeks[w][(fig.level, fig.key)].rooms, w) for w in fig.weeks]
                    )
                    got.figure(f"{fig.level} {fig.key} table", INDEX, surveys, fig.n_responses, fig.n_answered,
                               fig.n_productive)  # fmt: skip
        if scope == Scope.DISTRICT:
            for order, week, r, a, p in _rows(publication.trend_rows(user, scope=scope, scope_id=where.pk)):
                got.figure(f"district csv {week}", order, truth.publishable(rooms, week), r, a, p)
    return got


# --- what must stay protected --------------------------------------------------------------


def protected(user, world: World) -> tuple[dict, dict]:
    """(targets over surveys' responses, targets over (survey, question) cells) for this viewer."""
    truth, min_n = world.truth, world.truth.min_n
    visible = publication.Viewer.of(user, world.district).visible
    rooms = {r.pk: r for r in Classroom.objects.filter(school__district=world.district).select_related("teacher")}
    raw = {pk for pk, r in rooms.items() if access.may_change_sharing(user, r)}
    by_r, by_cell = {}, {}
    for s, n in truth.r.items():
        if n < min_n:
            by_r[f"survey {s} of {n}"] = {s}
            for i in truth.items:
                by_cell[f"survey {s} of {n}, question {i}"] = {(s, i)}
        elif truth.room[s] not in raw:
            for i in truth.items:
                if truth.a[(s, i)] < min_n:
                    by_cell[f"survey {s}, question {i} answered by {truth.a[(s, i)]}"] = {(s, i)}
    # Each unseen teacher's publishable surveys per week.
    hidden: dict[tuple, set] = defaultdict(set)
    for s, room in truth.room.items():
        if room not in visible and truth.r[s] >= min_n:
            hidden[(rooms[room].teacher.full_name, truth.week[s])].add(s)
    teachers = sorted({t for t, _ in hidden})
    weeks = sorted({w for _, w in hidden})

    def cells(surveys, order):
        return {(s, i) for s in surveys for i in (truth.items if order == INDEX else [order]) if truth.counts(s, i)}

    def add(name, surveys):
        if not surveys:
            return
        by_r[name] = set(surveys)
        for order in [INDEX, *truth.items]:
            found = cells(surveys, order)
            if found:
                by_cell[f"{name}, {'index' if order == INDEX else f'question {order}'}"] = found

    for t in teachers:
        add(f"{t}, all weeks", set().union(*[s for (tt, _), s in hidden.items() if tt == t]))
        for w in weeks:
            add(f"{t}, week of {w}", hidden.get((t, w), set()))
    for t, u in itertools.combinations(teachers, 2):
        for w in weeks:
            add(f"{t}+{u}, week of {w}", hidden.get((t, w), set()) | hidden.get((u, w), set()))
    return by_r, by_cell


def determined(
    equations: dict[frozenset, int], truth: dict, targets: dict[str, set], min_n: int, label: str, *, ranges: bool
) -> list[str]:
    """Targets fixed by the equations: exactly (in their row space), or, with `ranges`, for a week's
    figure or a single survey, within a range narrower than the minimum (linear programming, counts
    ≥ 0). `truth` gives each unknown's true value: a solution the range search starts from."""
    if not equations or not targets:
        return []
    variables = sorted({v for members in equations for v in members} | {v for t in targets.values() for v in t})
    col = {v: i for i, v in enumerate(variables)}
    matrix = np.zeros((len(equations), len(variables)))
    values = np.zeros(len(equations))
    for k, (members, value) in enumerate(equations.items()):
        for v in members:
            matrix[k, col[v]] = 1
        values[k] = value
    x0 = np.array([truth[v] for v in variables], dtype=float)
    # q is in the row space iff it has no component in the null space.
    _, sv, vt = np.linalg.svd(matrix)
    rank = int((sv > 1e-9 * sv[0]).sum()) if len(sv) else 0
    null = vt[rank:]
    covered = {v for members in equations for v in members}
    leaks = []
    for name, members in targets.items():
        q = np.zeros(len(variables))
        for v in members:
            q[col[v]] = 1
        along = null.T @ (null @ q)  # the direction in which the published figures leave q free
        if np.abs(along).max(initial=0) < 1e-7:
            leaks.append(f"{label} {name}: determined exactly")
            continue
        if not ranges or not members <= covered or not ("week of" in name or name.startswith("survey")):
            continue  # a count in no equation is unbounded
        # Cheap first: how far the true solution moves along that direction staying ≥ 0. If that
        # alone spans the minimum, so does the exact range; else ask the linear program.
        falls, rises = along < -1e-12, along > 1e-12
        up = (x0[falls] / -along[falls]).min(initial=np.inf)
        down = (x0[rises] / along[rises]).min(initial=np.inf)
        if (up + down) * (q @ along) >= min_n:
            continue
        low = linprog(q, A_eq=matrix, b_eq=values, bounds=(0, None), method="highs")
        high = linprog(-q, A_eq=matrix, b_eq=values, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < min_n:
            leaks.append(f"{label} {name}: between {low.fun:.0f} and {-high.fun:.0f}")
    return leaks


def leaks_of(user, world: World) -> list[str]:
    got = collect(user, world)
    by_r, by_cell = protected(user, world)
    min_n = world.truth.min_n
    t = world.truth
    # Productive counts: exactly only. Any published share bounds its members' productive counts by
    # its own total (a group of 40 with 6 productive answers puts each class between 0 and 6):
    # inherent in publishing a share at all, and no rule here could help it.
    return (
        determined(got.r, t.r, by_r, min_n, "responses:", ranges=True)
        + determined(got.a, t.a, by_cell, min_n, "answered:", ranges=True)
        + determined(got.p, t.p, by_cell, min_n, "productive:", ranges=False)
    )


ROLES = ["a1", "a2", "b1", "c3", "coach", "principal_a", "principal_b", "principal_c", "principal_d", "leader",
         "partner"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_solve_for_a_question_figure(world, role):
    user = world.people[role]
    _, targets = protected(user, world)
    assert targets, "the audit must have something to protect"
    leaks = leaks_of(user, world)
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("rule", ["none", "part of classes only"])
def test_the_audit_finds_a_question_figure_when_the_rule_is_weakened(world, monkeypatch, rule):
    """The auditor is real: without the rule some role solves for a class's figures on a question;
    with only PART_OF_CLASSES (the thin question withheld, the week's other questions shown), the
    index minus the other questions still gives the thin one."""
    whole = publication._question_reasons_of  # the rule behind `question_reasons`, pages and CSV alike

    def weakened(rows):
        if rule == "none":
            return {}
        return {k: r for k, r in whole(rows).items() if r != publication.COMPLEMENT}

    monkeypatch.setattr(publication, "_question_reasons_of", weakened)
    leaks = []
    for role in ("principal_b", "leader"):
        leaks += leaks_of(world.people[role], world)
    assert any("question 1: determined exactly" in leak for leak in leaks), leaks


def test_a_thin_question_withholds_its_weeks_questions_and_the_rest_stay(world):
    """School A for a leader (three unseen teachers): in week 1 a3's class skipped question 2, in
    week 2 a2's class answered question 3 too little; week 0 (a4's small survey counts nowhere) is
    whole. The index is shown every week; the questions only in week 0, and the district's questions
    not in weeks 1 and 2 either."""
    leader, lineage = world.people["leader"], world.instrument.lineage
    weeks = sorted(set(world.truth.week.values()))  # weeks 2, 1, 0 ago
    school = Classroom.objects.get(name="a1").school
    shown = {}
    for scope, where in ((Scope.SCHOOL, school.pk), (Scope.DISTRICT, world.district.pk)):
        found = publication.trends(leader, scope=scope, scope_id=where, lineage=lineage, item_orders=[INDEX, 1, 2, 3])
        shown[scope] = {order: {p.week: str(p.reason) for p in series.points} for order, series in found}
    a = shown[Scope.SCHOOL]
    assert a[INDEX] == {w: "" for w in weeks}
    assert {order: a[order][weeks[2]] for order in (1, 2, 3)} == {1: "", 2: "", 3: ""}
    part, complement = str(publication.PART_OF_CLASSES), str(publication.COMPLEMENT)
    assert {order: a[order][weeks[1]] for order in (1, 2, 3)} == {1: complement, 2: part, 3: complement}
    assert {order: a[order][weeks[0]] for order in (1, 2, 3)} == {1: complement, 2: complement, 3: part}
    district = shown[Scope.DISTRICT]
    assert all(district[order][w] in (part, complement) for order in (1, 2, 3) for w in weeks[:2])
    rows = list(publication.trend_rows(leader, scope=Scope.DISTRICT, scope_id=world.district.pk))
    assert {r[9] for r in rows[1:] if r[3] != "index" and r[4] in weeks[:2]} <= {part, complement}


def test_the_pages_and_the_csv_show_no_question_figure_of_those_weeks(client, world):
    """What the leader's browser receives: school A's question charts (the page's JSON and its table)
    and the district CSV carry no figure of a question in the weeks with a thin one."""
    import csv
    import io
    import json
    import re

    from django.urls import reverse

    client.force_login(world.people["leader"])
    weeks = sorted(set(world.truth.week.values()))
    school = Classroom.objects.get(name="a1").school
    html = client.get(reverse("measures:school", args=[school.pk])).content.decode()
    for order in (1, 2, 3):
        found = re.search(rf'<script id="chart-{order}" type="application/json">(.*?)</script>', html, re.S)
        line = json.loads(found.group(1))["data"][0]
        by_week = dict(zip(line["x"], zip(line["y"], line["text"], strict=True), strict=True))
        assert by_week[weeks[2].isoformat()][0] is not None  # the whole week is drawn
        for week in weeks[:2]:
            y, text = by_week[week.isoformat()]
            assert y is None and not text.startswith("n =")
    reply = client.get(reverse("measures:district_export", args=[world.district.pk]))
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    thin_weeks = {w.isoformat() for w in weeks[:2]}
    questions = [r for r in rows[1:] if r[3] != "index" and r[4] in thin_weeks]
    assert questions and all(r[5:9] == ["", "", "", ""] for r in questions)

"""A page reuses the weeks the plan decided before, and only while they are what they were.

`publication.Plan` keeps each week's decisions in the process, keyed by the district's classrooms
(school, grade, teacher), the viewer's visible classrooms, and a stamp of the week's data (its
district point's row). A stale entry would pair last week's "publish" with today's numbers: the
very leak the plan exists to prevent. So every change a district makes through the app is made
here with the cache warm, and the plan after it must equal a plan decided from nothing.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districts import deletion as districts_deletion
from districts.models import Classroom, School
from measures import aggregation, publication
from measures.models import Administration, Response, Scope, TrendPoint

from .helpers import bulk_survey
from .sharing import share
from .test_disclosure_audit import world  # noqa: F401 - the audit's fixture
from .test_plan_paths import _nodes

pytestmark = pytest.mark.django_db

ROLES = ("leader", "principal_a", "coach", "t4", "t9", "partner")


def _plan(w, user):
    """The plan a page makes (pages read it inside `publication.snapshot()`, where weeks are kept)."""
    with publication.snapshot():
        plan = publication.Plan(
            viewer=publication.Viewer.of(user, w.district), district=w.district, lineage=w.instrument.lineage
        )
        for school in School.objects.filter(district=w.district):  # the school pages' classroom rows
            publication.school_breakdowns(user, school, w.instrument.lineage, plan=plan)
    return plan


def _fresh(w, user):
    publication.clear_plan_cache()
    return _plan(w, user)


def _refresh(*surveys):
    aggregation.refresh_administrations([s.pk for s in surveys])


def _survey_of(w, name, weeks_ago=0):
    room = Classroom.objects.get(name=name, school__district=w.district)
    return Administration.objects.filter(classroom=room).order_by("-week")[weeks_ago]


# Each changes what some role's plan decides, the way the app changes it.
def _new_survey_this_week(w):
    _refresh(bulk_survey(Classroom.objects.get(name="B6"), w.instrument, 0, 15, random.Random(1)))


def _survey_falls_below_the_minimum(w):
    survey = _survey_of(w, "8-5")
    Response.objects.filter(pk__in=list(survey.responses.values_list("pk", flat=True)[3:])).delete()
    _refresh(survey)


def _classroom_moves_to_another_grade(w):
    room = Classroom.objects.get(name="7-2")
    room.grade = "8"
    room.save(update_fields=["grade"])


def _classroom_changes_teacher(w):
    room = Classroom.objects.get(name="8-5")
    room.teacher = w.people["t6"]
    room.save(update_fields=["teacher"])


def _teacher_starts_sharing(w):
    share(Classroom.objects.get(name="8-6"), leaders=True, principal=True)


def _classroom_deleted(w):
    districts_deletion.classrooms_delete(classrooms=[Classroom.objects.get(name="8-7")])


def _raw_answers_loaded_then_rebuilt(w):
    bulk_survey(Classroom.objects.get(name="D13"), w.instrument, 1, 20, random.Random(2))
    aggregation.rebuild_all()


def _minimum_raised(w):
    w.district.min_group_size = 16
    w.district.save(update_fields=["min_group_size"])
    aggregation.rebuild_district(district_id=w.district.pk)


CHANGES = [
    _new_survey_this_week,
    _survey_falls_below_the_minimum,
    _classroom_moves_to_another_grade,
    _classroom_changes_teacher,
    _teacher_starts_sharing,
    _classroom_deleted,
    _raw_answers_loaded_then_rebuilt,
    _minimum_raised,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_after_each_change_the_cached_plan_equals_a_plan_decided_afresh(world, change):  # noqa: F811
    before = {role: _nodes(_plan(world, world.people[role])) for role in ROLES}  # every role's weeks cached
    change(world)
    world.district.refresh_from_db()
    changed = 0
    for role in ROLES:
        user = world.people[role]
        cached = _nodes(_plan(world, user))
        assert cached == _nodes(_fresh(world, user)), role
        changed += cached != before[role]
        _plan(world, user)  # warm again for the next role's comparison
    assert changed, "the change altered no role's plan: the comparison proves nothing"


def test_a_school_published_before_a_teacher_left_is_withheld_after_it_with_the_cache_warm(world):  # noqa: F811
    """School A's grade 8 holds three unseen teachers (published to the leader); when one of their
    classes stops counting this week, two remain: the grade must be withheld, not served from cache."""
    leader = world.people["leader"]
    week = _survey_of(world, "8-5").week
    grade = ("grade", (School.objects.get(name="School A").pk, "8"))
    assert _plan(world, leader).weeks[week][grade].reason is None
    survey = _survey_of(world, "8-5")
    Response.objects.filter(pk__in=list(survey.responses.values_list("pk", flat=True)[2:])).delete()
    _refresh(survey)
    assert _plan(world, leader).weeks[week][grade].reason == publication.FEW_TEACHERS


def test_a_page_decides_only_the_weeks_whose_data_changed(world, monkeypatch):  # noqa: F811
    def _plan(world, user):  # the decisions only, without the school tables' own classroom rows
        with publication.snapshot():
            return publication.Plan(viewer=publication.Viewer.of(user, world.district), district=world.district,
                                    lineage=world.instrument.lineage)  # fmt: skip

    decided = []
    real = publication.decide_blocks
    monkeypatch.setattr(
        publication, "decide_blocks", lambda blocks, *a, **k: decided.append(1) or real(blocks, *a, **k)
    )
    leader = world.people["leader"]
    weeks = len(_plan(world, leader).weeks)
    assert len(decided) == weeks == 3
    decided.clear()
    with CaptureQueriesContext(connection) as warm:
        _plan(world, leader)
    assert decided == []
    _new_survey_this_week(world)
    _plan(world, leader)
    assert len(decided) == 1  # this week only
    decided.clear()
    _plan(world, world.people["principal_a"])  # another viewer: its own decisions
    assert len(decided) == 3
    # Outside a snapshot nothing is reused (nor kept): every week is decided.
    decided.clear()
    publication.Plan(viewer=publication.Viewer.of(leader, world.district), district=world.district,
                     lineage=world.instrument.lineage)  # fmt: skip
    assert len(decided) == 3
    # A warm page reads no classroom-week at all.
    trend = TrendPoint._meta.db_table
    assert not [q for q in warm.captured_queries if trend in q["sql"] and "classroom" in q["sql"].lower()]


def test_every_week_with_classroom_points_has_a_district_point_after_every_writer(world):  # noqa: F811
    """The stamp's premise (`Plan._week_stamps`): whoever writes a week's classroom points writes
    the week's district point anew in the same transaction."""

    def weeks(scope):
        rows = TrendPoint.objects.filter(district_id=world.district.pk, scope=scope, item_order=aggregation.INDEX)
        return {(lineage, week): pk for lineage, week, pk in rows.values_list("lineage", "week", "pk")}

    def classroom_rows(lineage, week):
        rows = TrendPoint.objects.filter(district_id=world.district.pk, scope=Scope.CLASSROOM, lineage=lineage,
                                         week=week, item_order=aggregation.INDEX)  # fmt: skip
        return sorted(rows.values_list("scope_id", "n_responses", "n_answered", "n_productive"))

    for change in CHANGES:
        stamps_before = weeks(Scope.DISTRICT)
        rooms_before = {key: classroom_rows(*key) for key in stamps_before}
        change(world)
        world.district.refresh_from_db()
        stamps = weeks(Scope.DISTRICT)
        assert set(weeks(Scope.CLASSROOM)) <= set(stamps), change.__name__
        for key, pk in stamps.items():
            if classroom_rows(*key) != rooms_before.get(key):
                assert pk != stamps_before.get(key), (change.__name__, key)

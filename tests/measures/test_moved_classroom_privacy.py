"""A classroom that moves (the roster import re-keys it by its external id to another school; the
admin's change form can put it in another district's school) takes its past surveys with it in the
plan, which groups classroom-weeks by each classroom's school now. But nothing rewrites the school
and district trend points the pages show: they still count the moved classroom's surveys where they
were taken (`Administration.school_id` and `district_id`). A published figure must never hold a
classroom the plan did not count in it: here that is one teacher's class, read off by subtraction."""

from __future__ import annotations

import random

import pytest

from districts.models import Role
from measures import aggregation, publication
from measures.models import Administration, Scope
from tests.factories import ClassroomFactory, MembershipFactory, SchoolFactory, UserFactory, make_instrument

from .helpers import bulk_survey
from .sharing import share

pytestmark = pytest.mark.django_db


def _leader(district):
    user = UserFactory()
    MembershipFactory(user=user, district=district, role=Role.DISTRICT_LEADER)
    return user


def _surveys(rooms, instrument, weeks_ago, n=12):
    rng = random.Random(7)
    surveys = [bulk_survey(room, instrument, weeks_ago, n, rng) for room in rooms]
    aggregation.refresh_administrations([s.pk for s in surveys])
    return surveys


def _responses(series, week):
    return {p.week: p for p in series.points}[week]


def test_a_classroom_moved_to_another_school_is_not_left_in_a_published_figure_of_its_old_one():
    publication.clear_plan_cache()
    s1 = SchoolFactory(name="North")
    district = s1.district
    s2 = SchoolFactory(name="South", district=district)
    leader = _leader(district)
    shared = [share(ClassroomFactory(school=s1, grade="7"), leaders=True) for _ in range(2)]
    moved = ClassroomFactory(school=s1, grade="7")  # not shared: the leader never sees it alone
    others = [ClassroomFactory(school=s2, grade="7") for _ in range(3)]
    instrument = make_instrument()
    survey = _surveys([*shared, moved, *others], instrument, weeks_ago=2)[0]
    week = Administration.objects.get(pk=survey.pk).week

    def north():
        with publication.snapshot():
            return publication.trends(
                leader, scope=Scope.SCHOOL, scope_id=s1.pk, lineage=instrument.lineage, item_orders=[0]
            )[0][1]

    assert _responses(north(), week).suppressed  # one unseen teacher at North: withheld

    moved.school = s2  # the roster import moves it (matched by its external id)
    moved.save(update_fields=["school"])

    point = _responses(north(), week)
    # Published now (North holds only shared classrooms, the plan says), but it counts the moved class:
    # North's figure minus the two shared classes' own figures is that one teacher's class.
    assert point.suppressed or point.n_responses == 12 * len(shared)


def test_the_district_csv_withholds_a_week_the_plan_has_no_decision_for():
    """The pages withhold a week the plan never decided (`_published_series`); the CSV must too.
    Such a week: its only classroom moved to a school of another district since."""
    publication.clear_plan_cache()
    room = ClassroomFactory(grade="7")
    district = room.school.district
    leader = _leader(district)
    elsewhere = SchoolFactory(name="Across the river")  # another district's school
    instrument = make_instrument()
    survey = _surveys([room], instrument, weeks_ago=2)[0]
    week = Administration.objects.get(pk=survey.pk).week

    def rows():
        with publication.snapshot():
            out = list(publication.trend_rows(leader, scope=Scope.DISTRICT, scope_id=district.pk))
        header, *body = out
        return [dict(zip(header, r, strict=True)) for r in body if r[4] == week]

    assert rows() and all(r["responses"] == "" for r in rows())  # one teacher: withheld

    room.school = elsewhere  # the admin's change form: any school, any district
    room.save(update_fields=["school"])

    with publication.snapshot():
        page = publication.trends(
            leader, scope=Scope.DISTRICT, scope_id=district.pk, lineage=instrument.lineage, item_orders=[0]
        )[0][1]
    assert _responses(page, week).suppressed  # the page withholds it (the plan has no such week) …
    exported = rows()
    assert exported and all(r["responses"] == "" for r in exported), exported  # … and so must the CSV

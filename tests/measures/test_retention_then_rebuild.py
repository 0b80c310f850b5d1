"""Retention deletes students' raw answers and keeps the numbers made from them (measures.retention:
"their AdministrationSummary, ItemSummary and TrendPoint rows stay, so run charts keep their
history"). Every rebuild recounts from the raw answers, though: a later change of the district's
minimum group size (`rebuild_district`), a deleted classroom (`measures.deletion` rebuilds whole
weeks), or the repair command (`rebuild_all`) recounts an expired survey as zero responses and
erased its weeks from every chart, for good. Retention now marks the surveys it empties
(`Administration.answers_expired_at`), and no recount touches their summaries."""

import random

import pytest

from districts import deletion as districts_deletion
from districts import services as district_services
from measures import aggregation
from measures.models import Administration, Scope, TrendPoint
from measures.retention import retention_apply
from tests.factories import ClassroomFactory, make_instrument

from .helpers import bulk_survey

pytestmark = pytest.mark.django_db


def _expired_week(extra_rooms=0):
    """A week of the last school year (past a one-year retention): surveys of 12, raw answers deleted."""
    room = ClassroomFactory(grade="7")
    district = room.school.district
    district.retention_school_years = 1  # only the current school year keeps raw answers
    district.save(update_fields=["retention_school_years"])
    rooms = [room, *(ClassroomFactory(school=room.school, grade="7") for _ in range(extra_rooms))]
    instrument, rng = make_instrument(), random.Random(3)
    surveys = [bulk_survey(r, instrument, 40, 12, rng) for r in rooms]
    aggregation.refresh_administrations([s.pk for s in surveys])
    week = Administration.objects.get(pk=surveys[0].pk).week
    run = retention_apply(district=district)
    assert run.surveys == len(rooms) and week < run.kept_from
    return district, rooms, week


def _district_point(district, week):
    return TrendPoint.objects.filter(scope=Scope.DISTRICT, scope_id=district.pk, week=week, item_order=0).first()


def test_changing_the_minimum_keeps_the_history_retention_kept():
    district, _rooms, week = _expired_week()
    assert _district_point(district, week).n_responses == 12
    district_services.district_min_group_size_set(district=district, min_group_size=11)
    point = _district_point(district, week)
    assert point is not None and point.n_responses == 12


def test_deleting_a_classroom_keeps_the_other_classrooms_history_retention_kept():
    district, rooms, week = _expired_week(extra_rooms=1)
    assert _district_point(district, week).n_responses == 24
    districts_deletion.classrooms_delete(classrooms=[rooms[1]])
    point = _district_point(district, week)
    assert point is not None and point.n_responses == 12


def test_a_full_rebuild_keeps_the_history_retention_kept_and_recounts_the_rest():
    district, rooms, week = _expired_week()
    live = bulk_survey(rooms[0], Administration.objects.get(week=week).instrument, 0, 11, random.Random(4))
    aggregation.refresh_administrations([live.pk])
    aggregation.rebuild_all()
    assert _district_point(district, week).n_responses == 12  # from the kept summaries
    assert _district_point(district, live.week).n_responses == 11  # recounted from its answers
    expired = Administration.objects.get(week=week)
    assert expired.answers_expired_at is not None and live.answers_expired_at is None

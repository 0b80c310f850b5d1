"""Deleting a classroom, school, district or survey leaves no derived number behind."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum

from districts.deletion import classrooms_delete, districts_delete, schools_delete
from districts.models import Classroom, District, School
from measures import aggregation
from measures.deletion import administrations_delete
from measures.models import Administration, Response, Scope, TrendPoint
from tests.measures.helpers import survey_in_week

pytestmark = pytest.mark.django_db


def _trend_rows(**where):
    return sorted(
        TrendPoint.objects.filter(**where).values_list(
            "scope", "scope_id", "lineage", "item_order", "week", "n_responses", "n_answered", "n_productive"
        )
    )


@pytest.fixture
def history(personas, instrument):
    """Two weeks of surveys in three classrooms of two schools, and the summaries built from them."""
    for weeks_ago in (0, 1):
        # Every survey at the minimum group size or above: smaller ones count in no trend at all.
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=8, unproductive=4)
        survey_in_week(personas.other_classroom, instrument, weeks_ago, productive=4, unproductive=7)
        survey_in_week(personas.classroom_b, instrument, weeks_ago, productive=5, unproductive=5)
    aggregation.rebuild_all()
    return personas


def _same_as_a_full_rebuild():
    kept = _trend_rows()
    aggregation.rebuild_all()
    assert kept == _trend_rows()


def test_deleting_a_classroom_leaves_school_trends_counting_the_remaining_responses(history):
    school = history.school
    classrooms_delete(classrooms=[history.classroom])
    assert not TrendPoint.objects.filter(scope=Scope.CLASSROOM, scope_id=history.classroom.pk).exists()
    for point in TrendPoint.objects.filter(scope=Scope.SCHOOL, scope_id=school.pk, item_order=0):
        remaining = Response.objects.filter(administration__school=school, administration__week=point.week).count()
        assert point.n_responses == remaining == 11
    district_total = TrendPoint.objects.filter(scope=Scope.DISTRICT, item_order=0).aggregate(n=Sum("n_responses"))
    assert district_total["n"] == Response.objects.count() == 2 * (11 + 10)
    _same_as_a_full_rebuild()


def test_deleting_the_only_classroom_of_a_week_removes_that_weeks_school_points(history, instrument):
    lonely = Classroom.objects.create(school=history.school_b, teacher=history.teacher_b, name="Solo", school_year=2026)
    survey_in_week(lonely, instrument, 5, productive=10)
    aggregation.rebuild_all()
    week = Administration.objects.get(classroom=lonely).week
    classrooms_delete(classrooms=[lonely])
    assert not TrendPoint.objects.filter(week=week).exists()
    _same_as_a_full_rebuild()


def test_deleting_a_school_leaves_no_row_of_it(history):
    school = history.school
    classroom_ids = list(school.classrooms.values_list("pk", flat=True))
    schools_delete(schools=[school])
    assert not TrendPoint.objects.filter(scope=Scope.SCHOOL, scope_id=school.pk).exists()
    assert not TrendPoint.objects.filter(scope=Scope.CLASSROOM, scope_id__in=classroom_ids).exists()
    assert not Administration.objects.filter(school_id=school.pk).exists()
    district = TrendPoint.objects.filter(scope=Scope.DISTRICT, item_order=0)
    assert {p.n_responses for p in district} == {10}
    _same_as_a_full_rebuild()


def test_deleting_a_survey_in_the_admin_rebuilds_its_trend(history, admin_client):
    survey = Administration.objects.filter(classroom=history.other_classroom).first()
    reply = admin_client.post(f"/admin/measures/administration/{survey.pk}/delete/", {"post": "yes"})
    assert reply.status_code == 302
    assert not Administration.objects.filter(pk=survey.pk).exists()
    _same_as_a_full_rebuild()
    administrations_delete(administrations=list(Administration.objects.all()))
    assert not TrendPoint.objects.exists()


def test_deleting_a_classroom_in_the_admin_goes_through_the_service(history, admin_client):
    reply = admin_client.post(f"/admin/districts/classroom/{history.classroom.pk}/delete/", {"post": "yes"})
    assert reply.status_code == 302
    assert not TrendPoint.objects.filter(scope=Scope.CLASSROOM, scope_id=history.classroom.pk).exists()
    _same_as_a_full_rebuild()


# Summary rows are rebuilt (new ids) whenever a summary is refreshed: name them by what they count.
_NATURAL_KEYS = {
    "measures.AdministrationSummary": ("administration_id",),
    "measures.ItemSummary": ("administration_id", "item_id"),
    "measures.TrendPoint": ("scope", "scope_id", "lineage", "item_order", "week"),
}


def _all_rows() -> dict:
    return {
        model: set(model._base_manager.values_list(*_NATURAL_KEYS.get(model._meta.label, ("pk",))))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def test_deleting_a_district_leaves_no_row_of_it_in_any_table(history, settings):
    settings.DEBUG = True
    before = _all_rows()
    kept = _trend_rows(district=history.district)
    call_command("seed_demo", "--today", "2026-11-23", "--weeks", "6", stdout=StringIO())
    demo = District.objects.get(slug="lakeside")
    aggregation.refresh_administrations(Administration.objects.filter(district=demo).values_list("pk", flat=True))
    ids = {
        "district": {demo.pk},
        "school": set(School.objects.filter(district=demo).values_list("pk", flat=True)),
        "classroom": set(Classroom.objects.filter(school__district=demo).values_list("pk", flat=True)),
    }
    grew = {model for model, pks in _all_rows().items() if pks - before[model]}
    assert {m._meta.label for m in grew} >= {"measures.TrendPoint", "measures.Answer", "cycles.Priority"}

    districts_delete(districts=[demo])

    User = apps.get_model("districts", "User")
    after = _all_rows()
    left = {m._meta.label: after[m] - before[m] for m in after if m is not User and after[m] - before[m]}
    assert left == {}, f"rows of the deleted district remain: {left}"
    # No row anywhere still points at the district, its schools or its classrooms …
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            target = getattr(field.related_model, "_meta", None)
            if field.is_relation and target and target.model_name in ids:
                assert not model._base_manager.filter(**{f"{field.attname}__in": ids[target.model_name]}).exists()
    assert not TrendPoint.objects.filter(scope=Scope.SCHOOL, scope_id__in=ids["school"]).exists()
    # … and the other district's numbers are untouched.
    assert _trend_rows(district=history.district) == kept

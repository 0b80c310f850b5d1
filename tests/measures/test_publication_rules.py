"""The publication layer's weekly decisions (measures.publication.decide_week), on plain rows."""

import pytest

from measures.publication import (
    CLASSROOM,
    COMPLEMENT,
    DISTRICT,
    DISTRICT_GRADE,
    FEW_TEACHERS,
    GRADE,
    SCHOOL,
    decide_week,
)

D = 1


def _rooms(spec):
    """spec: {room: (school, grade, teacher)} → the plan's room map."""
    return {room: (school, grade, teacher, D) for room, (school, grade, teacher) in spec.items()}


def _rows(rooms, n=20):
    return [(room, n, n, n // 2) for room in rooms]


def test_a_single_teacher_grade_is_withheld_and_so_is_its_complement():
    # School 1: grade 6 has one teacher (unseen), grade 7 three teachers, grade 8 three teachers.
    spec = {1: (1, "6", 11), 2: (1, "7", 12), 3: (1, "7", 13), 4: (1, "7", 14), 5: (1, "8", 15), 6: (1, "8", 16)}
    spec[7] = (1, "8", 17)
    nodes = decide_week(_rows(spec), _rooms(spec), frozenset())
    assert nodes[(GRADE, (1, "6"))].reason == FEW_TEACHERS
    # Total minus grades 7 and 8 would give grade 6: one of them (the smaller, ties by key) joins it.
    withheld = [g for g in ("7", "8") if nodes[(GRADE, (1, g))].reason == COMPLEMENT]
    assert len(withheld) == 1
    assert nodes[(SCHOOL, 1)].published


def test_a_school_with_two_unseen_teachers_publishes_no_total():
    spec = {1: (1, "6", 11), 2: (1, "7", 12)}
    nodes = decide_week(_rows(spec), _rooms(spec), frozenset())
    assert nodes[(SCHOOL, 1)].reason == FEW_TEACHERS
    assert nodes[(DISTRICT, D)].reason == FEW_TEACHERS  # the district is that school


def test_what_the_viewer_sees_is_no_secret_and_does_not_count_as_unseen():
    spec = {1: (1, "6", 11), 2: (1, "6", 12)}
    nodes = decide_week(_rows(spec), _rooms(spec), frozenset({1, 2}))
    assert all(n.published for n in nodes.values())


def test_the_district_withholds_a_school_whose_removal_would_expose_a_small_one():
    spec = {1: (1, "6", 11)}  # school 1: one unseen teacher
    spec.update({10 + t: (2, "6", 20 + t) for t in range(4)})  # school 2: four teachers
    nodes = decide_week(_rows(spec), _rooms(spec), frozenset())
    assert nodes[(SCHOOL, 1)].reason == FEW_TEACHERS
    assert nodes[(SCHOOL, 2)].reason == COMPLEMENT  # district − school 2 would be school 1
    assert nodes[(DISTRICT, D)].published
    # Grade 6 district-wide contains the withheld school-1 block: withheld too.
    assert nodes[(DISTRICT_GRADE, "6")].reason == COMPLEMENT


def test_unseen_classrooms_are_never_published_alone():
    spec = {1: (1, "6", 11), 2: (1, "6", 12), 3: (1, "6", 13)}
    nodes = decide_week(_rows(spec), _rooms(spec), frozenset({1}))
    assert nodes[(CLASSROOM, 1)].published
    assert (CLASSROOM, 2) not in nodes and (CLASSROOM, 3) not in nodes  # never a figure of their own
    # Grade 6 minus the seen classroom leaves two unseen teachers: withheld.
    assert nodes[(GRADE, (1, "6"))].reason == FEW_TEACHERS


@pytest.mark.django_db
def test_raising_the_minimum_takes_surveys_out_of_the_trends_at_once(personas, instrument):
    """A survey of 11 counts at a minimum of 10 and in no trend once the district asks for 12."""

    from districts import services
    from measures import aggregation
    from measures.models import TrendPoint
    from tests.measures.helpers import survey_in_week

    survey_in_week(personas.classroom, instrument, 0, productive=6, unproductive=5)
    aggregation.rebuild_all()
    assert TrendPoint.objects.filter(district_id=personas.district.pk).exists()
    services.district_min_group_size_set(district=personas.district, min_group_size=12)
    assert not TrendPoint.objects.filter(district_id=personas.district.pk).exists()
    services.district_min_group_size_set(district=personas.district, min_group_size=10)
    assert TrendPoint.objects.filter(district_id=personas.district.pk).exists()

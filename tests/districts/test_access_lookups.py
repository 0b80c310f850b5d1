"""The one lookup behind "404 outside your districts" (districts.access.get_in_districts), its
filters (in_districts_q, library_q) and the district a page works in (current_district)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cycles.models import Practice, PracticeSource
from districts import access
from districts.models import Classroom, District, Role, School
from tests.factories import DistrictFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _practice(district, code):
    return Practice.objects.create(
        district=district, source=PracticeSource.DISTRICT, code=code, title=f"Practice {code}", order=1
    )


# --- get_in_districts ----------------------------------------------------------------------------


def test_it_finds_an_object_of_the_users_district(personas):
    assert access.get_in_districts(personas.teacher, School, pk=personas.school.pk) == personas.school


def test_it_answers_404_for_another_districts_object(personas):
    with pytest.raises(Http404):
        access.get_in_districts(personas.leader, School, pk=personas.outsider_classroom.school_id)


def test_it_follows_a_path_to_the_district(personas):
    rooms = Classroom.objects.select_related("school")
    assert access.get_in_districts(personas.principal, rooms, via="school__district", pk=personas.classroom.pk)
    with pytest.raises(Http404):
        access.get_in_districts(personas.outsider_leader, rooms, via="school__district", pk=personas.classroom.pk)


def test_a_user_with_no_district_finds_nothing(personas, django_user_model):
    nobody = django_user_model.objects.create_user(email="nobody@example.org", password="x")
    with pytest.raises(Http404):
        access.get_in_districts(nobody, School, pk=personas.school.pk)


def test_library_entries_of_no_district_are_found_only_when_asked(personas):
    published = _practice(None, "TEST-P1")
    theirs = _practice(personas.outsider_district, "TEST-P2")
    ours = _practice(personas.district, "TEST-P3")
    assert access.get_in_districts(personas.teacher, Practice, library=True, pk=published.pk) == published
    assert access.get_in_districts(personas.teacher, Practice, library=True, pk=ours.pk) == ours
    with pytest.raises(Http404):
        access.get_in_districts(personas.teacher, Practice, library=True, pk=theirs.pk)
    with pytest.raises(Http404):
        access.get_in_districts(personas.teacher, Practice, pk=published.pk)


def test_the_filters_match_the_lookup(personas):
    published, theirs, ours = (
        _practice(None, "TEST-P1"),
        _practice(personas.outsider_district, "TEST-P2"),
        _practice(personas.district, "TEST-P3"),
    )
    mine = Practice.objects.filter(code__startswith="TEST-")  # the published library is seeded too
    assert set(mine.filter(access.library_q(personas.teacher))) == {published, ours}
    assert set(mine.filter(access.in_districts_q(personas.teacher))) == {ours}
    assert set(mine.filter(access.library_q(personas.outsider_teacher))) == {published, theirs}


# --- current_district ----------------------------------------------------------------------------


def test_the_current_district_is_the_one_named_else_the_first_by_name(personas):
    second = DistrictFactory(name="Aardvark", slug="aardvark")
    MembershipFactory(user=personas.teacher, district=second, role=Role.TEACHER)
    access.forget(personas.teacher)
    assert access.current_district(personas.teacher) == second
    assert access.current_district(personas.teacher, "riverside") == personas.district


def test_another_districts_slug_is_404_and_no_membership_is_403(personas, django_user_model):
    with pytest.raises(Http404):
        access.current_district(personas.teacher, "hillcrest")
    with pytest.raises(Http404):
        access.current_district(personas.teacher, "no-such-place")
    nobody = django_user_model.objects.create_user(email="nobody@example.org", password="x")
    with pytest.raises(PermissionDenied):
        access.current_district(nobody)


def test_a_leaders_page_takes_a_district_they_lead(personas):
    assert access.current_district(personas.leader, lead=True) == personas.district
    assert access.current_district(personas.leader, "riverside", lead=True) == personas.district


def test_a_leaders_page_refuses_another_role_with_403(personas):
    with pytest.raises(PermissionDenied):
        access.current_district(personas.teacher, lead=True)
    with pytest.raises(PermissionDenied):
        access.current_district(personas.principal_b, "riverside", lead=True)


def test_a_leaders_page_answers_404_for_another_district(personas):
    with pytest.raises(Http404):
        access.current_district(personas.leader, "hillcrest", lead=True)


def test_a_leader_of_one_district_and_teacher_of_another_gets_the_led_one(personas):
    led = District.objects.get(slug="hillcrest")
    MembershipFactory(user=personas.teacher, district=led, role=Role.DISTRICT_LEADER)
    access.forget(personas.teacher)
    assert access.current_district(personas.teacher, lead=True) == led
    with pytest.raises(PermissionDenied):
        access.current_district(personas.teacher, "riverside", lead=True)

"""districts.access: who may see which classroom's results."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from districts import access


@pytest.mark.django_db
class TestClassroomResults:
    def test_the_teacher_sees_their_own_classroom(self, personas):
        assert access.get_classroom(personas.teacher, personas.classroom.pk) == personas.classroom

    def test_the_assigned_coach_sees_the_classroom(self, personas):
        assert access.get_classroom(personas.coach, personas.classroom.pk) == personas.classroom

    def test_a_coach_does_not_see_an_unassigned_teachers_classroom(self, personas):
        with pytest.raises(PermissionDenied):
            access.get_classroom(personas.coach, personas.other_classroom.pk)

    def test_another_teacher_is_refused(self, personas):
        with pytest.raises(PermissionDenied):
            access.get_classroom(personas.other_teacher, personas.classroom.pk)

    def test_leaders_are_refused_until_the_teacher_shares(self, personas):
        for leader in (personas.principal, personas.leader):
            with pytest.raises(PermissionDenied):
                access.get_classroom(leader, personas.classroom.pk)
        personas.classroom.share_with_leaders = personas.classroom.share_with_principal = True
        personas.classroom.save()
        for leader in (personas.principal, personas.leader):
            leader.__dict__.pop("_pdc_grants", None)
            assert access.get_classroom(leader, personas.classroom.pk) == personas.classroom

    def test_a_principal_of_another_school_is_refused_even_when_shared(self, personas):
        personas.classroom.share_with_leaders = personas.classroom.share_with_principal = True
        personas.classroom.save()
        with pytest.raises(PermissionDenied):
            access.get_classroom(personas.principal_b, personas.classroom.pk)

    def test_another_district_gets_404(self, personas):
        for outsider in (personas.outsider_leader, personas.outsider_teacher):
            with pytest.raises(Http404):
                access.get_classroom(outsider, personas.classroom.pk)

    def test_only_the_teacher_and_coach_may_run_surveys(self, personas):
        assert access.may_run_surveys(personas.teacher, personas.classroom)
        assert access.may_run_surveys(personas.coach, personas.classroom)
        assert not access.may_run_surveys(personas.principal, personas.classroom)
        assert not access.may_run_surveys(personas.leader, personas.classroom)

    def test_the_results_queryset_matches_the_checks(self, personas):
        assert set(access.classrooms_with_results(personas.teacher)) == {personas.classroom}
        assert set(access.classrooms_with_results(personas.coach)) == {personas.classroom}
        assert set(access.classrooms_with_results(personas.leader)) == set()
        assert set(access.classrooms_with_results(personas.outsider_leader)) == set()

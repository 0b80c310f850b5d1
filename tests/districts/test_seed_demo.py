"""manage.py seed_demo: the demo district, its logins and a semester of survey data."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from districts.models import Classroom, CoachAssignment, District, Membership, Role, School, User
from measures.models import Administration, Response, Scope, TrendPoint
from measures.runcharts import analyze
from tests.factories import DistrictFactory, MembershipFactory, UserFactory

# A fixed "today" keeps the test independent of the calendar (a run in September has few weeks).
TODAY = "2026-11-23"


def seed(*args):
    out = StringIO()
    call_command("seed_demo", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_it_seeds_a_district_with_people_and_survey_data(debug):
    out = seed("--weeks", "10", "--if-empty")

    district = District.objects.get(slug="lakeside")
    assert School.objects.filter(district=district).count() == 6
    classrooms = Classroom.objects.filter(school__district=district)
    assert classrooms.values("teacher").distinct().count() >= 25
    coaches = set(Membership.objects.filter(district=district, role=Role.COACH).values_list("user", flat=True))
    assert len(coaches) == 3
    assert set(CoachAssignment.objects.filter(district=district).values_list("coach", flat=True)) == coaches
    assert classrooms.filter(share_with_leaders=True).exists()

    director = User.objects.get(email="director@lakeside.example")
    assert director.check_password("demo-pass-2026")
    assert Membership.objects.filter(user=director, district=district, role=Role.DISTRICT_LEADER).exists()
    assert "director@lakeside.example" in out
    assert "coach1@lakeside.example" in out

    assert TrendPoint.objects.filter(district=district).exists()
    series = defaultdict(list)
    points = TrendPoint.objects.filter(scope=Scope.CLASSROOM, scope_id__in=classrooms.values("pk"), item_order=0)
    for point in points.order_by("week"):
        series[point.scope_id].append(point.n_productive / point.n_answered)
    assert any(analyze(values).runs_signal for values in series.values())

    live = Administration.objects.get(district=district, closed_at__isnull=True)
    assert not live.responses.exists()
    assert Response.objects.filter(administration__district=district, language="es").exists()


@pytest.mark.django_db
def test_if_empty_does_nothing_on_a_second_run(debug):
    seed("--weeks", "1", "--if-empty")
    users, responses = User.objects.count(), Response.objects.count()

    out = seed("--weeks", "1", "--if-empty")

    assert "not seeding" in out
    assert District.objects.count() == 1
    assert (User.objects.count(), Response.objects.count()) == (users, responses)


@pytest.mark.django_db
def test_a_rerun_recreates_the_same_district_and_keeps_other_districts_people(debug):
    seed("--weeks", "2")
    first = sorted(Classroom.objects.values_list("teacher__email", "name", "period"))
    n_responses = Response.objects.count()
    old_director = User.objects.get(email="director@lakeside.example")
    # Someone from another district who was also given a demo role.
    other = UserFactory(email="visitor@elsewhere.example")
    MembershipFactory(user=other, district=DistrictFactory(slug="elsewhere"), role=Role.TEACHER)
    MembershipFactory(user=other, district=District.objects.get(slug="lakeside"), role=Role.PARTNER)

    seed("--weeks", "2")

    assert District.objects.filter(slug="lakeside").count() == 1
    assert sorted(Classroom.objects.values_list("teacher__email", "name", "period")) == first
    assert Response.objects.count() == n_responses
    assert not User.objects.filter(pk=old_director.pk).exists()
    assert User.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed("--weeks", "1")

    assert not District.objects.exists()


@pytest.mark.django_db
def test_force_runs_it_without_debug(settings):
    settings.DEBUG = False

    seed("--weeks", "1", "--force")

    assert District.objects.filter(slug="lakeside").exists()

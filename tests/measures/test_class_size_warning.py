"""More responses than the class has students: the teacher (only she) is warned on her survey pages.

The class size is optional (`Classroom.student_count`), set by the teacher on her classrooms page
("Who sees my results") or by the district's roster CSV (an optional `students` column).
"""

import pytest
from django.test import Client
from django.urls import reverse

from districts.models import Classroom
from districts.roster import import_roster
from measures import publication

from .conftest import answer_form, post_answers, productive_choices

pytestmark = pytest.mark.django_db

WARNING = "someone may have answered more than once"


def _answers(survey, n):
    """n students answer the survey, each from a browser of their own."""
    for _ in range(n):
        student = Client()
        token, items = answer_form(student, survey)
        assert post_answers(student, survey, token, productive_choices(items)).status_code == 303


def _class_of(room, students):
    room.student_count = students
    room.save(update_fields=["student_count"])


def _pages(client, user, survey):
    client.force_login(user)
    present = client.get(reverse("measures:administration_present", args=[survey.pk]))
    results = client.get(reverse("measures:administration", args=[survey.pk]))
    count = client.get(reverse("measures:administration_count", args=[survey.pk]))
    return present, results, count


def test_more_responses_than_students_warns_the_teacher_on_the_present_and_results_pages(
    client, personas, administration
):
    _class_of(personas.classroom, 2)
    _answers(administration, 3)
    present, results, count = _pages(client, personas.teacher, administration)
    expected = (
        "3 responses, but this class has 2 students: someone may have answered more than once. "
        "You can close the survey, or check the results with that in mind."
    )
    assert expected in present.content.decode()
    assert expected in results.content.decode()
    assert count.json() == {"count": 3, "open": True, "warning": expected}  # the present page's live update


@pytest.mark.parametrize("students", [3, 4, None], ids=["at the size", "below it", "size unset"])
def test_no_warning_at_or_below_the_class_size_or_without_one(client, personas, administration, students):
    _class_of(personas.classroom, students)
    _answers(administration, 3)
    present, results, count = _pages(client, personas.teacher, administration)
    assert present.status_code == results.status_code == 200
    assert WARNING not in present.content.decode()
    assert WARNING not in results.content.decode()
    assert count.json()["warning"] == ""
    # The live element is there, hidden, for the count's updates to fill in.
    assert 'id="class-size" class="alert alert-warning small mx-auto" role="status" hidden>' in present.content.decode()


def test_a_one_student_class_says_student(client, personas, administration):
    _class_of(personas.classroom, 1)
    _answers(administration, 2)
    _, results, _ = _pages(client, personas.teacher, administration)
    assert "2 responses, but this class has 1 student: someone" in results.content.decode()


def test_nobody_but_the_classrooms_teacher_sees_the_warning_or_the_class_size(client, personas, administration):
    from .sharing import share

    _class_of(personas.classroom, 1)
    share(personas.classroom, coach=True, principal=True, leaders=True)
    _answers(administration, 2)
    # The coach runs surveys with the teacher and sees the results she shares: no warning.
    present, results, count = _pages(client, personas.coach, administration)
    assert present.status_code == results.status_code == count.status_code == 200
    for page in (present, results, count):
        assert WARNING not in page.content.decode()
    assert count.json()["warning"] == ""
    for who in ("principal", "leader"):  # they see the shared results, not the warning
        client.force_login(getattr(personas, who))
        page = client.get(reverse("measures:administration", args=[administration.pk]))
        assert page.status_code == 200 and WARNING not in page.content.decode()
    for who in ("other_teacher", "teacher_b", "outsider_teacher", "partner"):
        for page in _pages(client, getattr(personas, who), administration):
            assert page.status_code in (403, 404)
            assert WARNING not in page.content.decode()
    # The gate itself gives the class size to the teacher only.
    assert publication.live_count(administration, personas.teacher).students == 1
    assert publication.live_count(administration, personas.coach).students is None
    assert publication.live_count(administration, None) == publication.LiveCount(2)


def test_the_teacher_sets_the_class_size_on_her_classrooms_page(client, personas):
    url = reverse("measures:sharing")
    room = personas.classroom
    client.force_login(personas.teacher)
    assert f'name="students_{room.pk}"' in client.get(url).content.decode()
    assert client.post(url, {f"coach_{room.pk}": "on", f"students_{room.pk}": "28"}).status_code == 302
    room.refresh_from_db()
    assert (room.student_count, room.share_with_coach) == (28, True)
    assert 'value="28"' in client.get(url).content.decode()

    for wrong in ("0", "301", "-3", "many"):
        page = client.post(url, {f"coach_{room.pk}": "on", f"students_{room.pk}": wrong})
        assert page.status_code == 200 and "is-invalid" in page.content.decode()
        room.refresh_from_db()
        assert room.student_count == 28

    client.post(url, {f"coach_{room.pk}": "on", f"students_{room.pk}": ""})  # emptied: no size, no warning
    room.refresh_from_db()
    assert room.student_count is None


def test_another_person_cannot_set_a_class_size(client, personas):
    room = personas.classroom
    for who in ("coach", "principal", "leader"):
        client.force_login(getattr(personas, who))
        assert client.post(reverse("measures:sharing"), {f"students_{room.pk}": "5"}).status_code == 403
    client.force_login(personas.other_teacher)  # her own page lists only her classrooms
    client.post(reverse("measures:sharing"), {f"students_{room.pk}": "5"})
    room.refresh_from_db()
    assert room.student_count is None


HEADER = "school,teacher_email,teacher_name,classroom,grade,period"


def _import(personas, text):
    return import_roster(district=personas.district, files={"roster.csv": text.encode()}, school_year=2026)


def test_the_roster_csv_may_give_each_classrooms_number_of_students(personas):
    result = _import(personas, f"{HEADER},students\nAdams,jo@example.org,Jo Ruiz,Roster Science 8,7,1,28\n")
    assert result.ok, result.errors
    room = Classroom.objects.get(name="Roster Science 8", teacher__email="jo@example.org")
    assert room.student_count == 28
    # A blank cell, or a file without the column, keeps the number the classroom has.
    assert _import(personas, f"{HEADER},students\nAdams,jo@example.org,Jo Ruiz,Roster Science 8,7,1,\n").ok
    assert _import(personas, f"{HEADER}\nAdams,jo@example.org,Jo Ruiz,Roster Science 8,7,1\n").ok
    room.refresh_from_db()
    assert room.student_count == 28


@pytest.mark.parametrize("wrong", ["0", "301", "2.5", "-1", "twenty", "２８"])
def test_a_wrong_number_of_students_is_a_row_error_and_nothing_is_written(personas, wrong):
    result = _import(personas, f"{HEADER},students\nAdams,jo@example.org,Jo Ruiz,Roster Science 8,7,1,{wrong}\n")
    assert not result.ok
    assert [(e.line, "not a whole number from 1 to 300" in e.reason) for e in result.errors] == [(2, True)]
    assert not Classroom.objects.filter(name="Roster Science 8", teacher__email="jo@example.org").exists()

"""The seven privacy findings of the outside review, each tried again through the pages as a user
reaches them (the disclosure audit proves the general case over the publication layer)."""

import csv
import io
import json
import random
import re

import pytest
from django.urls import reverse

from districts.models import Classroom, Role
from measures import aggregation
from tests.factories import ClassroomFactory, MembershipFactory, UserFactory

from .helpers import bulk_survey, survey_in_week
from .sharing import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(personas, instrument):
    """Adams Middle: grade 6 one teacher (not sharing), grade 7 two teachers (one sharing), grade 8
    four teachers (not sharing); two weeks of surveys of 12–20."""
    rng = random.Random(3)
    where = personas.school

    def teacher(name):
        user = UserFactory(email=f"{name}@example.org", full_name=name)
        MembershipFactory(user=user, district=personas.district, school=where, role=Role.TEACHER)
        return user

    rooms = {
        "solo6": ClassroomFactory(school=where, teacher=teacher("Solo Six"), name="Six", grade="6"),
        "shared7": share(
            ClassroomFactory(school=where, teacher=teacher("Shared Seven"), name="Seven A", grade="7"),
            leaders=True,
            principal=True,
        ),
        "private7": ClassroomFactory(school=where, teacher=teacher("Private Seven"), name="Seven B", grade="7"),
    }
    for k in range(4):
        rooms[f"eight{k}"] = ClassroomFactory(school=where, teacher=teacher(f"Eight {k}"), name=f"Eight {k}", grade="8")
    for room in rooms.values():
        for week in range(2):
            bulk_survey(room, instrument, week, rng.randint(12, 20), rng)
    aggregation.rebuild_all()
    return rooms


def _page(client, user, url):
    client.force_login(user)
    reply = client.get(url)
    assert reply.status_code == 200, url
    return reply


def _figure(html, name):
    found = re.search(rf'<script id="bd-{name}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else {"data": [{"y": []}]}  # no chart: every row withheld


def _row(html, label):
    found = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", html, re.S)
    return found.group(1) if found else None


def test_1_a_single_teachers_grade_is_not_on_the_school_page(client, personas, school):
    html = _page(client, personas.principal, reverse("measures:school", args=[personas.school.pk])).content.decode()
    assert "fewer than 3 teachers" in _row(html, "Grade 6")
    bars = _figure(html, "grades")["data"][0]["y"]
    assert "Grade 6" not in bars  # nor in the chart's data


def test_2_a_grade_minus_its_shared_classrooms_is_not_on_the_page(client, personas, school):
    """Grade 7 = one shared classroom + one private one: the grade row would give the private one."""
    html = _page(client, personas.principal, reverse("measures:school", args=[personas.school.pk])).content.decode()
    assert "withheld" in _row(html, "Grade 7")
    assert "Shared Seven" in html  # the shared classroom is shown by name
    assert "Private Seven" not in html


def test_3_a_withheld_grade_is_withheld_district_wide_and_the_school_total_protects_it(client, personas, school):
    html = _page(client, personas.leader, reverse("measures:district", args=[personas.district.pk])).content.decode()
    assert "withheld" in _row(html, "Grade 6") and "withheld" in _row(html, "Grade 7")
    # On the school page, total minus grade 8 would leave grades 6 and 7: two unseen teachers. So
    # grade 8 is withheld with them (the smallest complement), and the school total still shows.
    school_html = _page(client, personas.leader, reverse("measures:school", args=[personas.school.pk])).content.decode()
    assert "withheld: to protect another cell" in _row(school_html, "Grade 8")
    total = re.search(r'<tfoot><tr class="fw-semibold"><td>All</td>(.*?)</tr>', school_html, re.S).group(1)
    assert "withheld" not in total


def test_4_this_week_minus_that_survey_gives_nothing(client, personas, instrument):
    small = survey_in_week(personas.classroom, instrument, 0, productive=4, unproductive=2)  # 6
    survey_in_week(personas.classroom, instrument, 0, productive=9, unproductive=3)  # 12, same week
    aggregation.rebuild_all()
    body = _page(client, personas.teacher, reverse("measures:classroom_export", args=[personas.classroom.pk]))
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    week = [r for r in rows[1:] if r[3] == "index" and r[4] == str(small.week)]
    assert [r[5:8] for r in week] == [["12", "36", "27"]]  # the shown survey alone: the 6 count nowhere
    html = _page(client, personas.teacher, reverse("measures:classroom", args=[personas.classroom.pk])).content
    assert "fewer than 10" in html.decode()  # the small survey's own row says why it counts nowhere


def test_5_no_raw_rows_of_a_withheld_survey_and_no_order_to_match(client, personas, instrument):
    survey_in_week(personas.classroom, instrument, 1, productive=3, unproductive=3)  # 6: withheld
    big = survey_in_week(personas.classroom, instrument, 0, productive=10, unproductive=10)
    url = reverse("measures:classroom_export", args=[personas.classroom.pk]) + "?raw=1"
    orders = set()
    for _ in range(3):
        rows = list(csv.reader(io.StringIO(_page(client, personas.teacher, url).content.decode("utf-8-sig"))))
        assert rows[0][:2] == ["date", "survey"] and "response" not in rows[0]
        assert {r[0] for r in rows[1:]} == {big.opened_at.date().isoformat()}  # the small survey is absent
        assert len(rows) == 1 + 20
        orders.add(tuple(tuple(r) for r in rows[1:]))
    assert len(orders) > 1  # shuffled on every download


def test_6_one_control_per_audience_no_checkbox_overrides_another(client, personas, school):
    room = school["solo6"]
    share(room, leaders=True, principal=False)
    assert _page(client, personas.leader, reverse("measures:classroom", args=[room.pk]))
    client.force_login(personas.principal)
    assert client.get(reverse("measures:classroom", args=[room.pk])).status_code == 403


@pytest.mark.parametrize("name", ["measures:school", "measures:district", "measures:district_export"])
def test_7_results_are_not_kept_in_the_browser_cache(client, personas, school, name):
    arg = personas.school.pk if name == "measures:school" else personas.district.pk
    reply = _page(client, personas.leader, reverse(name, args=[arg]))
    assert "no-store" in reply["Cache-Control"] and "private" in reply["Cache-Control"]


def test_the_principal_reads_how_many_teachers_share(client, personas, school):
    html = _page(client, personas.principal, reverse("measures:school", args=[personas.school.pk])).content.decode()
    teachers = Classroom.objects.filter(school=personas.school).values("teacher").distinct().count()
    assert f"1 of {teachers} teachers share their classrooms with you" in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_results_page_reads_its_decisions_and_its_values_from_one_snapshot(client, personas, school):
    """A refresh committing between the plan's query and a chart's query must not pair a decision
    made on old data with a value holding a new classroom: PostgreSQL reads in REPEATABLE READ."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.leader)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("measures:district", args=[personas.district.pk])).status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert any("REPEATABLE READ" in sql for sql in statements)


def _three_unseen_classes(personas, instrument, *, thin: int):
    """Three teachers of one school share nothing with the principal; each class answers 12 times in
    one week. In `thin` of the classes only 5 (below the minimum of 10) answered the first question."""
    from measures.models import Answer, Item

    rng = random.Random(7)
    third = UserFactory(email="third@example.org", full_name="Third Teacher")
    MembershipFactory(user=third, district=personas.district, school=personas.school, role=Role.TEACHER)
    rooms = [
        personas.classroom,
        personas.other_classroom,
        ClassroomFactory(school=personas.school, teacher=third, name="Math 7C"),
    ]
    for room in rooms:
        share(room, coach=False, principal=False, leaders=False)
    first = Item.objects.filter(instrument=instrument).order_by("order").first()
    surveys = [bulk_survey(room, instrument, 1, 12, rng) for room in rooms]
    for survey in surveys[1 : 1 + thin]:
        extra = Answer.objects.filter(administration=survey, item=first).values_list("pk", flat=True)[5:]
        Answer.objects.filter(pk__in=list(extra)).delete()
    aggregation.rebuild_all()
    return rooms, first


@pytest.mark.parametrize("thin", [1, 2])
def test_8_a_question_some_classes_answered_too_little_is_withheld_for_the_school(personas, instrument, thin):
    """The index counts all three classes (3 unseen teachers: published); the first question counts
    only the classes that answered it enough — with two thin classes, one teacher's numbers."""
    from measures import publication
    from measures.models import Scope

    rooms, first = _three_unseen_classes(personas, instrument, thin=thin)
    school = {"scope": Scope.SCHOOL, "scope_id": personas.school.pk, "lineage": instrument.lineage}
    index = publication.trend(personas.principal, **school)
    assert [p.suppressed for p in index.points] == [False]  # the control: the index is shown
    item = publication.trend(personas.principal, **school, item_order=first.order)
    assert [(p.suppressed, str(p.reason)) for p in item.points] == [(True, str(publication.PART_OF_CLASSES))]
    rows = list(publication.trend_rows(personas.leader, scope=Scope.SCHOOL, scope_id=personas.school.pk))
    item_rows = [r for r in rows[1:] if r[3] == first.order]
    assert item_rows and all(r[5] == "" and r[9] == str(publication.PART_OF_CLASSES) for r in item_rows)


def test_8_a_question_every_class_answered_enough_is_shown_for_the_school(personas, instrument):
    from measures import publication
    from measures.models import Scope

    rooms, first = _three_unseen_classes(personas, instrument, thin=0)
    school = {"scope": Scope.SCHOOL, "scope_id": personas.school.pk, "lineage": instrument.lineage}
    item = publication.trend(personas.principal, **school, item_order=first.order)
    assert [p.suppressed for p in item.points] == [False] and item.points[0].n_responses == 36

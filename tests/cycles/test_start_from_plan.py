"""Priority → logic model → cycle carries through: the priority page starts a cycle, and a linked
outcome starts one that inherits the outcome's measure and target, so Study shows data at once."""

import datetime

import pytest
from django.urls import reverse

from cycles import services
from cycles.models import CycleMeasure, ElementKind, ImprovementCycle
from measures import aggregation
from tests.measures.helpers import survey_in_week

from .factories import PriorityFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())


@pytest.fixture
def plan(personas, instrument):
    """A district priority whose short-term outcome reads the district's discussion survey (target 60 %),
    with eight weeks of surveys in three teachers' classrooms."""
    for room in (personas.classroom, personas.other_classroom, personas.classroom_b):
        for weeks_ago in range(8, 0, -1):
            good = 6 if weeks_ago > 3 else 13
            survey_in_week(room, instrument, weeks_ago, productive=good, unproductive=20 - good)
    aggregation.rebuild_all()
    priority = PriorityFactory(district=personas.district, title="Students build on each other's ideas")
    model = services.logic_model_for(priority=priority)
    outcome = services.element_add(logic_model=model, kind=ElementKind.SHORT, text="More students explain")
    services.element_add(logic_model=model, kind=ElementKind.LONG, text="Higher benchmark scores")  # not linked
    services.outcome_link(
        element=outcome,
        lineage=instrument.lineage,
        item_order=0,
        scope="district",
        scope_id=personas.district.pk,
        target_percent=60,
    )
    return priority, outcome


def test_the_priority_page_starts_a_cycle_and_one_per_linked_outcome(client, personas, plan):
    priority, outcome = plan
    client.force_login(personas.leader)
    html = client.get(priority.get_absolute_url()).content.decode()
    assert f'href="/cycles/new/?priority={priority.pk}"' in html
    assert html.count("Start a cycle for this outcome") == 1
    assert f'href="/cycles/new/?outcome={outcome.pk}"' in html
    assert "Discussion check (overall index) · District: Riverside" in html  # the measure named
    html = client.get(reverse("cycles:logic_model", args=[priority.pk])).content.decode()
    assert f'href="/cycles/new/?outcome={outcome.pk}"' in html


def test_a_cycle_from_a_priority_is_prefilled_with_it(client, personas, plan):
    priority, _ = plan
    client.force_login(personas.leader)
    form = client.get(f"{reverse('cycles:cycle_add')}?priority={priority.pk}").context["form"]
    assert form.initial["priority"] == priority.pk


def test_a_cycle_from_an_outcome_inherits_its_measure_and_target_and_study_shows_the_chart(client, personas, plan):
    priority, outcome = plan
    client.force_login(personas.leader)
    url = f"{reverse('cycles:cycle_add')}?outcome={outcome.pk}"
    response = client.get(url)
    form = response.context["form"]
    assert form.initial["priority"] == priority.pk and form.initial["scope"] == "district"
    assert form.initial["aim"].startswith("More students explain")
    assert "judged by its measure and its target of 60%" in response.content.decode()

    response = client.post(
        url,
        {"kind": "pdsa", "title": "Talk moves", "aim": form.initial["aim"], "scope": "district",
         "cadence": "weekly", "priority": priority.pk, "start": (MONDAY - datetime.timedelta(weeks=3)).isoformat(),
         "end": (MONDAY + datetime.timedelta(weeks=2)).isoformat()},
    )  # fmt: skip
    cycle = ImprovementCycle.objects.get(title="Talk moves")
    assert response.url == cycle.get_absolute_url()
    link = CycleMeasure.objects.get(cycle=cycle)
    assert (link.lineage, link.item_order, link.scope, link.scope_id, link.target_percent) == (
        outcome.measure.lineage, 0, "district", personas.district.pk, 60,
    )  # fmt: skip
    html = client.get(cycle.get_absolute_url()).content.decode()
    assert 'id="study-figure"' in html  # the Study step's chart, with no extra step
    assert "Baseline median 30% (5 weeks) → cycle median 65% (3 weeks)" in html


def test_an_outcome_without_a_measure_or_of_another_district_starts_nothing(client, personas, plan):
    priority, _ = plan
    unlinked = priority.logic_model.elements.get(text="Higher benchmark scores")
    client.force_login(personas.leader)
    assert client.get(f"{reverse('cycles:cycle_add')}?outcome={unlinked.pk}").status_code == 404
    client.force_login(personas.outsider_leader)
    _, outcome = plan
    assert client.get(f"{reverse('cycles:cycle_add')}?outcome={outcome.pk}").status_code == 404

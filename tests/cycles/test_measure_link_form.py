"""Linking a measure: the menus default to the classroom's current instrument and to measures with data
(never the alphabetical first), classrooms are grouped by school with their teacher, and a baseline
that reaches into the cycle is refused with a message instead of being dropped."""

import datetime

import pytest
from django.urls import reverse

from cycles import selectors, services
from cycles.models import CycleMeasure, ElementKind
from measures import aggregation
from measures.models import Instrument
from tests.measures.helpers import survey_in_week

from .factories import CycleFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def whole_class(db):
    return Instrument.objects.get(district=None, kind="whole_class", is_current=True)


def _flat(choices):
    return [v for v, label in choices if not isinstance(label, list)] + [
        v for _, group in choices if isinstance(group, list) for v, _ in group
    ]


def test_a_cycles_measure_defaults_to_its_classroom_and_the_classrooms_current_instrument(
    client, personas, whole_class
):
    survey_in_week(personas.classroom, whole_class, 1, productive=6, unproductive=6)
    cycle = CycleFactory(classroom=personas.classroom)
    client.force_login(personas.teacher)
    form = client.get(reverse("cycles:cycle_measure", args=[cycle.pk])).context["form"]
    assert form.initial["where"] == f"classroom:{personas.classroom.pk}"
    assert form.initial["measure"] == f"{whole_class.lineage}:0"
    assert form.fields["measure"].choices[0][0] == f"{whole_class.lineage}:0"  # it leads the menu too


def test_an_outcome_defaults_to_the_district_and_the_measure_with_data(client, personas, whole_class):
    for room in (personas.classroom, personas.other_classroom, personas.classroom_b):
        survey_in_week(room, whole_class, 1, productive=6, unproductive=6)
    aggregation.rebuild_all()
    priority = PriorityFactory(district=personas.district)
    model = services.logic_model_for(priority=priority)
    outcome = services.element_add(logic_model=model, kind=ElementKind.SHORT, text="More talk")
    client.force_login(personas.leader)
    form = client.get(reverse("cycles:outcome_link", args=[outcome.pk])).context["form"]
    assert form.initial == {"where": f"district:{personas.district.pk}", "measure": f"{whole_class.lineage}:0"}


def test_classrooms_to_read_from_are_grouped_by_school_with_their_teacher(personas):
    personas.classroom_b.share_with_leaders = True
    personas.classroom_b.save()
    choices = selectors.scope_choices(personas.leader, personas.district)
    groups = {label: options for label, options in choices if isinstance(options, list)}
    assert groups == {
        "Classrooms · Banneker Middle": [
            (f"classroom:{personas.classroom_b.pk}", f"{personas.classroom_b} — Teacher B")
        ]
    }
    assert f"classroom:{personas.classroom.pk}" not in _flat(choices)  # not shared with leaders


def test_a_baseline_inside_the_cycle_is_refused_with_a_message(client, personas, whole_class):
    cycle = CycleFactory(classroom=personas.classroom)
    client.force_login(personas.teacher)
    data = {"measure": f"{whole_class.lineage}:0", "where": f"classroom:{personas.classroom.pk}"}
    inside = cycle.start + datetime.timedelta(days=3)
    url = reverse("cycles:cycle_measure", args=[cycle.pk])
    response = client.post(url, {**data, "baseline_start": "2025-09-01", "baseline_end": inside.isoformat()})
    assert response.status_code == 200 and not CycleMeasure.objects.exists()
    assert "The baseline must end before the cycle starts" in response.content.decode()
    response = client.post(url, {**data, "baseline_start": inside.isoformat()})  # its end would default before it
    assert response.status_code == 200 and not CycleMeasure.objects.exists()
    before = cycle.start - datetime.timedelta(days=1)
    response = client.post(url, {**data, "baseline_start": "2025-09-01", "baseline_end": before.isoformat()})
    assert response.status_code == 302 and CycleMeasure.objects.get().baseline_end == before

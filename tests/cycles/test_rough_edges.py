"""Small things a leader met on the priority and logic-model pages: the arrow form's defaults, arrows
between boxes of one column, the measure named in the boxes table, data links by name, five whys."""

import re

import pytest
from django.urls import reverse

from cycles import diagram, selectors, services

from .factories import PriorityFactory

pytestmark = pytest.mark.django_db


def _xs(path: str) -> list[float]:
    return [float(x) for x in re.findall(r"(-?\d+),-?\d+", path)]


@pytest.mark.parametrize("kind", ["inputs", "short", "long"])
def test_an_arrow_within_one_column_stays_on_the_page_and_off_the_boxes(kind):
    boxes = [diagram.Box(1, kind, "First box"), diagram.Box(2, kind, "Second box")]
    svg = diagram.render(boxes, [(1, 2)], title="T")
    width = float(re.search(r'viewBox="0 0 (\d+)', svg)[1])
    (path,) = re.findall(r'<path d="([^"]+)"[^>]*class="arrow-same-column"', svg)
    rect = re.search(r'<g class="box" id="box-1"><title>[^<]*</title><rect x="([\d.]+)"', svg)
    left = float(rect[1])
    xs = _xs(path)
    assert all(0 <= x <= width for x in xs), (xs, width)
    # every point is beside the column, not across its boxes
    assert all(x <= left or x >= left + diagram.BOX_W for x in xs), (xs, left)


def test_the_arrow_form_starts_with_two_different_boxes(client, personas):
    priority = PriorityFactory(district=personas.district)
    model = services.logic_model_for(priority=priority)
    pd = services.element_add(logic_model=model, kind="activities", text="Monthly PD")
    other = services.element_add(logic_model=model, kind="activities", text="Coaching")
    talk = services.element_add(logic_model=model, kind="short", text="More talk")
    client.force_login(personas.leader)
    form = client.get(reverse("cycles:logic_model", args=[priority.pk])).context["arrow_form"]
    assert (form["source"].value(), form["target"].value()) == (pd.pk, talk.pk)
    assert selectors.arrow_defaults([pd, other]) == {"source": pd.pk, "target": other.pk}
    assert selectors.arrow_defaults([pd]) == {}


def test_the_boxes_table_names_the_measure_of_a_linked_outcome(client, personas, instrument):
    priority = PriorityFactory(district=personas.district)
    model = services.logic_model_for(priority=priority)
    talk = services.element_add(logic_model=model, kind="short", text="More talk")
    services.outcome_link(
        element=talk, lineage=instrument.lineage, item_order=0, scope="district", scope_id=personas.district.pk,
        target_percent=60,
    )  # fmt: skip
    client.force_login(personas.leader)
    html = client.get(reverse("cycles:logic_model", args=[priority.pk])).content.decode()
    assert "linked: Discussion check, index · target 60 %" in html


def test_data_links_show_names_not_addresses(client, personas):
    priority = PriorityFactory(
        district=personas.district,
        data_links=f"/measures/districts/{personas.district.pk}/\n/measures/\nhttps://www.example.org/reports/benchmark-2026",
    )
    client.force_login(personas.leader)
    html = client.get(reverse("cycles:priority", args=[priority.pk])).content.decode()
    assert f'href="/measures/districts/{personas.district.pk}/">District survey trends: Riverside</a>' in html
    assert 'href="/measures/">Measures</a>' in html
    assert 'href="https://www.example.org/reports/benchmark-2026">example.org · benchmark-2026</a>' in html


def test_after_five_whys_the_page_offers_no_sixth(client, personas):
    priority = PriorityFactory(district=personas.district)
    client.force_login(personas.leader)
    for n in range(4):
        services.why_add(priority=priority, why=f"w{n}", because="b")
    assert "Add why 5" in client.get(reverse("cycles:priority", args=[priority.pk])).content.decode()
    services.why_add(priority=priority, why="w5", because="the root cause")
    html = client.get(reverse("cycles:priority", args=[priority.pk])).content.decode()
    assert "Add why 6" not in html and "data-five-whys-done" in html


def test_the_priority_form_offers_practices_as_checkboxes_and_the_cycle_form_explains_nesting(client, personas):
    from django.urls import reverse

    from cycles.forms import PriorityForm
    from districts.models import School

    priority = PriorityForm(district=personas.district, schools=School.objects.none(), district_wide=True)
    assert priority.fields["practices"].widget.input_type == "checkbox"
    assert "Ctrl" not in str(priority.fields["practices"].help_text)
    client.force_login(personas.leader)
    html = client.get(reverse("cycles:cycle_add")).content.decode()
    assert "Part of a larger cycle" in html and "Nested in." not in html

"""The pages, driven as a user would: priorities with Five Whys, the logic model and its SVG,
starting a cycle, recording steps, Act → adapt starting the next cycle, tree, timeline, home."""

import datetime

import pytest
from django.urls import reverse

from cycles import diagram, services
from cycles.models import FiveWhy, ImprovementCycle, LogicArrow, OutcomeMeasure, Priority

from .factories import CycleFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def test_a_leader_adds_a_priority_with_whys_and_reorders_them(client, personas):
    client.force_login(personas.leader)
    response = client.post(
        reverse("cycles:priority_add"),
        {"title": "Discourse", "school_year": 2026, "status": "active", "problem_of_practice": "Little discussion",
         "data_links": "/measures/\nhttps://example.org/report"},
    )  # fmt: skip
    priority = Priority.objects.get(title="Discourse")
    assert (
        response.status_code == 302
        and priority.rank == 1
        and priority.links == ["/measures/", "https://example.org/report"]
    )
    for n in range(1, 4):
        client.post(reverse("cycles:why_add", args=[priority.pk]), {"why": f"Why {n}?", "because": f"Because {n}"})
    first = priority.whys.get(order=1)
    client.post(reverse("cycles:why_move", args=[first.pk]), {"direction": "down"})
    assert list(priority.whys.values_list("why", flat=True)) == ["Why 2?", "Why 1?", "Why 3?"]
    client.post(reverse("cycles:why_delete", args=[first.pk]))
    assert list(priority.whys.values_list("order", "why")) == [(1, "Why 2?"), (2, "Why 3?")]
    html = client.get(priority.get_absolute_url()).content.decode()
    assert "Root cause:</strong> Because 3" in html


def test_a_javascript_link_is_refused(client, personas):
    client.force_login(personas.leader)
    response = client.post(
        reverse("cycles:priority_add"),
        {"title": "x", "school_year": 2026, "status": "active", "problem_of_practice": "x",
         "data_links": "javascript:alert(1)"},
    )  # fmt: skip
    assert response.status_code == 200 and not Priority.objects.exists()


def test_the_board_ranks_priorities_and_a_leader_moves_one_up(client, personas):
    a = PriorityFactory(district=personas.district, rank=1, title="A")
    b = PriorityFactory(district=personas.district, rank=2, title="B")
    client.force_login(personas.leader)
    client.post(reverse("cycles:priority_move", args=[b.pk]), {"direction": "up"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.rank, a.rank) == (1, 2)
    html = client.get(reverse("cycles:priorities")).content.decode()
    assert html.index(">B</a>") < html.index(">A</a>")
    retired = PriorityFactory(district=personas.district, rank=3, title="Old focus", status="retired")
    shown = client.get(reverse("cycles:priorities") + "?status=retired").context["board"]
    assert shown == [retired]
    shown = client.get(reverse("cycles:priorities") + "?status=proposed").context["board"]
    assert shown == [b, a]


def test_the_logic_model_draws_boxes_arrows_and_a_linked_outcome(client, personas, instrument):
    priority = PriorityFactory(district=personas.district)
    client.force_login(personas.leader)
    client.post(reverse("cycles:logic_model", args=[priority.pk]))
    for kind, text in [("activities", "Monthly PD"), ("short", "More talk"), ("assumptions", "Time to plan")]:
        client.post(reverse("cycles:element_add", args=[priority.pk]), {"kind": kind, "text": text})
    pd, talk = priority.logic_model.elements.get(text="Monthly PD"), priority.logic_model.elements.get(text="More talk")
    client.post(reverse("cycles:arrow_add", args=[priority.pk]), {"source": pd.pk, "target": talk.pk})
    assert LogicArrow.objects.filter(source=pd, target=talk).exists()
    response = client.post(
        reverse("cycles:outcome_link", args=[talk.pk]),
        {"measure": f"{instrument.lineage}:0", "where": f"district:{personas.district.pk}", "target_percent": 60},
    )
    assert response.status_code == 302
    assert OutcomeMeasure.objects.get(element=talk).target_percent == 60
    html = client.get(reverse("cycles:logic_model", args=[priority.pk])).content.decode()
    assert "<svg" in html and "Monthly PD" in html and "Measure linked" in html and "target 60%" in html
    svg = client.get(reverse("cycles:logic_model_svg", args=[priority.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and "attachment" in svg["Content-Disposition"]
    assert svg.content.decode().count('marker-end="url(#arrowhead)"') == 1


def test_the_diagram_escapes_text():
    svg = diagram.render([diagram.Box(1, "inputs", "<script>alert(1)</script> & co")], [], title="T <b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg


def test_a_teacher_starts_a_cycle_and_act_adapt_starts_the_next(client, personas):
    client.force_login(personas.teacher)
    today = datetime.date.today()
    response = client.post(
        reverse("cycles:cycle_add"),
        {"kind": "pdsa", "title": "Talk moves", "aim": "More reasoning", "scope": "classroom",
         "classroom": personas.classroom.pk, "cadence": "weekly", "start": today.isoformat(),
         "end": (today + datetime.timedelta(days=11)).isoformat()},
    )  # fmt: skip
    cycle = ImprovementCycle.objects.get(title="Talk moves")
    assert response.status_code == 302 and cycle.owner == personas.teacher and cycle.school == personas.school
    step = reverse("cycles:step", args=[cycle.pk, "plan"])
    client.post(step, {"step-date": today.isoformat(), "step-change_idea": "Turn and talk", "step-prediction": "Up"})
    for kind in ("do", "study"):
        client.post(reverse("cycles:step", args=[cycle.pk, kind]), {"step-date": today.isoformat(), "step-notes": kind})
    response = client.post(
        reverse("cycles:step", args=[cycle.pk, "act"]),
        {
            "step-date": today.isoformat(),
            "step-decision": "adapt",
            "step-notes": "Add starters",
            "step-start_next": "on",
        },
    )
    follow_up = ImprovementCycle.objects.get(previous=cycle)
    assert response.url == follow_up.get_absolute_url()
    html = client.get(follow_up.get_absolute_url()).content.decode()
    assert "Turn and talk" in html and "Add starters" in html  # the plan form is pre-filled
    cycle.refresh_from_db()
    assert cycle.status == "done"


def test_a_step_out_of_order_is_refused_on_the_page(client, personas):
    cycle = CycleFactory(classroom=personas.classroom)
    client.force_login(personas.teacher)
    response = client.post(reverse("cycles:step", args=[cycle.pk, "study"]), {"step-date": "2026-01-05"})
    assert response.status_code == 200 and "steps are taken in order" in response.content.decode()
    assert not cycle.steps.exists()


def test_delete_asks_first(client, personas):
    cycle = CycleFactory(classroom=personas.classroom)
    client.force_login(personas.teacher)
    assert "Delete the cycle" in client.get(reverse("cycles:cycle_delete", args=[cycle.pk])).content.decode()
    assert ImprovementCycle.objects.filter(pk=cycle.pk).exists()
    client.post(reverse("cycles:cycle_delete", args=[cycle.pk]))
    assert not ImprovementCycle.objects.filter(pk=cycle.pk).exists()


def test_tree_timeline_and_home_panel(client, personas, django_assert_max_num_queries):
    top = services.cycle_create(
        district=personas.district, owner=personas.leader, title="District ROCI", aim="x", kind="roci",
        scope="district", start=datetime.date(2026, 1, 5), end=datetime.date(2026, 3, 27),
    )  # fmt: skip
    CycleFactory(classroom=personas.classroom, title="Nested PDSA", parent=top, start=datetime.date(2026, 1, 12),
                 end=datetime.date(2026, 1, 23))  # fmt: skip
    client.force_login(personas.teacher)
    html = client.get(reverse("cycles:tree")).content.decode()
    assert html.index("District ROCI") < html.index("Nested PDSA")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cycles:timeline"))
    assert 'id="timeline-figure"' in response.content.decode()
    bars = {t["name"]: t["y"] for t in response.context["figure"]["data"]}
    assert bars == {"Planned": ["District ROCI", "  └ Nested PDSA"]}
    home = client.get(reverse("home")).content.decode()
    assert "My improvement cycles" in home and "Nested PDSA" in home


def test_the_nav_links_resolve(client, personas):
    client.force_login(personas.leader)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/cycles/"' in html and 'href="/cycles/priorities/"' in html


def test_empty_states(client, personas):
    client.force_login(personas.leader)
    assert "No cycles yet" in client.get(reverse("cycles:index")).content.decode()
    assert "No priorities" in client.get(reverse("cycles:priorities")).content.decode()


def test_five_why_orders_stay_unique(personas):
    priority = PriorityFactory(district=personas.district)
    steps = [services.why_add(priority=priority, why=f"w{n}", because="b") for n in range(5)]
    services.why_move(step=steps[4], direction="up")
    services.why_move(step=steps[0], direction="up")  # already first: nothing moves
    assert list(FiveWhy.objects.filter(priority=priority).values_list("why", flat=True)) == [
        "w0",
        "w1",
        "w2",
        "w4",
        "w3",
    ]

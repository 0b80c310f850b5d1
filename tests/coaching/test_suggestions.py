"""The cycle page suggests the next kind: pre-conference → classroom collaboration → debrief → again."""

import pytest

from coaching.models import EventKind
from coaching.selectors import suggest_next

PRE, MODEL, CO, OBS, DEBRIEF, OTHER = (
    EventKind.PRE_CONFERENCE,
    EventKind.MODELING,
    EventKind.CO_TEACHING,
    EventKind.OBSERVATION,
    EventKind.DEBRIEF,
    EventKind.OTHER,
)


def test_a_new_cycle_starts_with_a_pre_conference():
    assert suggest_next([]).kinds == (PRE,)


def test_after_a_pre_conference_comes_classroom_collaboration():
    suggestion = suggest_next([PRE])
    assert suggestion.title == "Classroom collaboration"
    assert set(suggestion.kinds) == {MODEL, CO, OBS}


@pytest.mark.parametrize("kind", [MODEL, CO, OBS])
def test_after_classroom_collaboration_comes_a_debrief(kind):
    assert suggest_next([PRE, kind]).kinds == (DEBRIEF,)


def test_after_a_debrief_the_next_round_starts_with_a_pre_conference():
    suggestion = suggest_next([PRE, OBS, DEBRIEF])
    assert suggestion.kinds == (PRE,)
    assert suggestion.title.startswith("Next round")


def test_other_events_do_not_move_the_cycle_on():
    assert suggest_next([PRE, OTHER]).kinds == suggest_next([PRE]).kinds
    assert suggest_next([OTHER]).kinds == (PRE,)


def test_only_the_latest_step_counts():
    assert suggest_next([PRE, OBS, DEBRIEF, PRE, CO]).kinds == (DEBRIEF,)


@pytest.mark.django_db
def test_the_cycle_page_offers_the_suggested_kind_and_the_event_form_defaults_to_it(client, personas, cycle):
    from coaching import services

    services.event_log(cycle=cycle, by=personas.coach, kind=PRE)
    client.force_login(personas.coach)

    page = client.get(cycle.get_absolute_url()).content.decode()
    assert "Suggested next step: Classroom collaboration" in page
    assert f"?kind={OBS}" in page

    form = client.get(f"/coaching/cycles/{cycle.pk}/events/new/").content.decode()
    assert f'type="hidden" name="kind" value="{OBS}"' in form


def test_the_event_form_shows_the_fields_of_its_kind(client, personas):
    from coaching.models import EventKind
    from tests.coaching.factories import start_cycle

    cycle = start_cycle(personas)
    client.force_login(personas.coach)
    url = f"/coaching/cycles/{cycle.pk}/events/new/"
    pre = client.get(url, {"kind": EventKind.PRE_CONFERENCE}).content.decode()
    assert 'name="anticipated_strategies"' in pre and 'name="what_was_tried"' not in pre
    assert 'name="feedback"' not in pre and 'name="administrations"' not in pre
    seen = client.get(url, {"kind": EventKind.OBSERVATION}).content.decode()
    assert 'name="what_was_tried"' in seen and 'name="feedback"' in seen and 'name="anticipated_strategies"' not in seen
    r = client.post(
        f"{url}?kind={EventKind.PRE_CONFERENCE}",
        {"kind": EventKind.PRE_CONFERENCE, "date": "2026-10-01", "anticipated_strategies": "Counting on."},
    )
    assert r.status_code == 302
    assert cycle.events.get().anticipated_strategies == "Counting on."

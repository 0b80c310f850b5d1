"""A coaching cycle's focus is tied to a practice of the library (NCTM, WWC, the district's own)."""

import pytest

from coaching.models import CoachingCycle
from cycles.models import Practice, PracticeSource

pytestmark = pytest.mark.django_db


def _start(client, personas, **data):
    client.force_login(personas.coach)
    form = {"goal": "Students explain why.", "started_on": "2026-01-12", **data}
    return client.post(f"/coaching/teachers/{personas.teacher.pk}/cycles/new/", form)


def test_a_coach_picks_a_library_practice_and_the_focus_takes_its_title(client, personas):
    practice = Practice.objects.get(district=None, code="NCTM 4")
    response = _start(client, personas, practice=practice.pk, focus_practice="")
    cycle = CoachingCycle.objects.get()
    assert response.status_code == 302
    assert (cycle.practice, cycle.focus_practice) == (practice, practice.title)
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert practice.get_absolute_url() in page


def test_the_coachs_own_words_are_kept_beside_the_practice(client, personas):
    practice = Practice.objects.get(district=None, code="NCTM 5")
    _start(client, personas, practice=practice.pk, focus_practice="Questions that open up thinking")
    cycle = CoachingCycle.objects.get()
    assert (cycle.practice, cycle.focus_practice) == (practice, "Questions that open up thinking")


def test_without_a_practice_or_words_the_form_says_so_and_nothing_is_saved(client, personas):
    response = _start(client, personas, focus_practice="")
    assert response.status_code == 200
    assert "Choose a practice from the library or describe the focus." in response.content.decode()
    assert not CoachingCycle.objects.exists()


def test_another_districts_practice_cannot_be_chosen(client, personas):
    theirs = Practice.objects.create(
        district=personas.outsider_district, source=PracticeSource.DISTRICT, code="H-1", title="Hillcrest talk"
    )
    response = _start(client, personas, practice=theirs.pk, focus_practice="Talk")
    assert response.status_code == 200 and not CoachingCycle.objects.exists()


def test_editing_a_cycle_changes_its_practice(client, personas):
    first = Practice.objects.get(district=None, code="NCTM 4")
    _start(client, personas, practice=first.pk, focus_practice="Pressing for reasoning")
    cycle = CoachingCycle.objects.get()
    second = Practice.objects.get(district=None, code="NCTM 8")
    response = client.post(
        f"/coaching/cycles/{cycle.pk}/edit/",
        {"practice": second.pk, "focus_practice": "", "goal": cycle.goal, "status": cycle.status},
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.practice, cycle.focus_practice) == (second, second.title)


def test_the_practice_page_counts_the_coaching_cycles_and_lists_pd_series(client, personas):
    from pd.models import PDSeries

    practice = Practice.objects.get(district=None, code="NCTM 4")
    _start(client, personas, practice=practice.pk, focus_practice="")
    series = PDSeries.objects.create(
        district=personas.district, title="Discourse PD", school_year=2025, audience_roles=["teacher"]
    )
    series.practices.set([practice])
    client.force_login(personas.teacher)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "1 coaching cycle this school year works on it." in page
    assert "Discourse PD" in page
    client.force_login(personas.outsider_leader)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "coaching-count" not in page and "Discourse PD" not in page

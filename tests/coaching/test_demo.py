"""seed_demo's coaching: each coach has 4–6 teachers in cycles at different stages, events with notes,
two group sessions and observations on the starter rubric."""

from io import StringIO

import pytest
from django.core.management import call_command

from coaching.models import CoachingCycle, CoachingEvent, CycleStatus, GroupSession, Observation
from coaching.selectors import suggest_next
from districts.models import Membership, Role

from .factories import STARTER


@pytest.mark.django_db
def test_the_demo_gives_every_coach_a_caseload_of_cycles_at_different_stages(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", "--today", "2026-11-23", "--weeks", "6", stdout=out)
    assert "Coaching:" in out.getvalue()

    coaches = [m.user for m in Membership.objects.filter(role=Role.COACH, district__slug="lakeside")]
    assert len({c.pk for c in coaches}) == 3
    for coach in {c.pk: c for c in coaches}.values():
        cycles = CoachingCycle.objects.filter(coach=coach)
        assert 4 <= cycles.values("teacher").distinct().count() <= 6
        stages = {suggest_next(list(c.events.values_list("kind", flat=True))).title for c in cycles}
        assert len(stages) >= 3
        assert GroupSession.objects.filter(coach=coach).count() == 2
        assert Observation.objects.filter(observer=coach, rubric__lineage=STARTER).exists()
        assert CoachingEvent.objects.filter(cycle__coach=coach).exclude(note="").exclude(next_steps="").exists()
    assert CoachingCycle.objects.filter(status=CycleStatus.COMPLETED).exists()
    assert CoachingEvent.objects.filter(note_is_private=True).exists()
    assert CoachingEvent.objects.filter(administrations__isnull=False).exists()

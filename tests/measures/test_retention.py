"""Each district's retention policy: raw answers expire after N school years, the numbers stay."""

from datetime import date
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from measures import aggregation
from measures.models import (
    Administration,
    AdministrationSummary,
    Answer,
    ItemSummary,
    Response,
    RetentionRun,
    TrendPoint,
)
from measures.retention import retention_apply, retention_kept_from
from measures.retention_tasks import apply_retention
from tests.measures.helpers import survey_in_week

pytestmark = pytest.mark.django_db


def _classrooms():
    return sorted(set(Administration.objects.exclude(classroom=None).values_list("classroom_id", flat=True)))


def _summaries():
    return (
        # Classroom item series are summed from the item summaries when read: they stay with them.
        [aggregation.classroom_item_points(classroom_id=room) for room in _classrooms()],
        sorted(AdministrationSummary.objects.values_list("administration_id", "n_responses")),
        sorted(ItemSummary.objects.values_list("administration_id", "item_id", "n_answered", "n_productive")),
        sorted(
            TrendPoint.objects.values_list("scope", "scope_id", "item_order", "week", "n_responses", "n_productive")
        ),
    )


@pytest.fixture
def old_and_new(personas, instrument):
    """A survey from over a year ago and one from this week in Riverside; an old one in Hillcrest."""
    old = survey_in_week(personas.classroom, instrument, 60, productive=7, unproductive=5)
    new = survey_in_week(personas.classroom, instrument, 0, productive=4, unproductive=8)
    other = survey_in_week(personas.outsider_classroom, instrument, 60, productive=3, unproductive=9)
    aggregation.rebuild_all()
    assert any(p.week == old.week for p in aggregation.classroom_item_points(classroom_id=old.classroom_id))
    personas.district.retention_school_years = 1
    personas.district.save()
    return old, new, other


def test_the_policy_keeps_the_current_school_year_and_the_ones_before_it(personas):
    district = personas.district  # school years start in August; default: three kept
    assert district.retention_school_years == 3
    assert retention_kept_from(district, today=date(2026, 11, 23)) == date(2024, 8, 1)
    assert retention_kept_from(district, today=date(2026, 7, 31)) == date(2023, 8, 1)
    district.retention_school_years = 1
    assert retention_kept_from(district, today=date(2026, 8, 1)) == date(2026, 8, 1)


def test_it_deletes_old_raw_answers_and_keeps_every_aggregate(personas, old_and_new):
    old, new, other = old_and_new
    before = _summaries()
    run = retention_apply(district=personas.district)
    assert not Response.objects.filter(administration=old).exists()
    assert not Answer.objects.filter(administration=old).exists()
    assert Response.objects.filter(administration=new).count() == 12
    assert Response.objects.filter(administration=other).count() == 12  # Hillcrest keeps three years
    assert _summaries() == before
    assert (run.surveys, run.responses_deleted, run.answers_deleted, run.school_years) == (1, 12, 36, 1)
    again = retention_apply(district=personas.district)
    assert (again.surveys, again.responses_deleted) == (0, 0)


def test_rebuild_summaries_keeps_the_aggregates_of_expired_surveys(personas, old_and_new):
    old, new, other = old_and_new
    retention_apply(district=personas.district)
    before = _summaries()
    TrendPoint.objects.filter(week=new.week).delete()  # something to repair
    out = StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert _summaries() == before
    assert "kept those of 1 surveys" in out.getvalue()


def test_rebuild_summaries_without_expired_data_is_the_full_rebuild(personas, old_and_new):
    before = _summaries()
    ItemSummary.objects.all().delete()
    out = StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert _summaries() == before
    assert "Rebuilt every summary" in out.getvalue()


def test_beat_runs_it_nightly_for_every_district(personas, old_and_new):
    entry = django_settings.CELERY_BEAT_SCHEDULE["measures-retention"]
    assert entry["task"] == apply_retention.name
    assert isinstance(entry["schedule"], crontab)
    assert "measures.retention_tasks" in django_settings.CELERY_IMPORTS
    apply_retention.delay()
    assert RetentionRun.objects.count() == 2  # Riverside and Hillcrest
    assert RetentionRun.objects.get(district=personas.district).responses_deleted == 12


def test_a_district_leader_reads_the_log_on_the_district_page(client, personas, old_and_new):
    retention_apply(district=personas.district)
    url = reverse("measures:district", args=[personas.district.pk])
    client.force_login(personas.leader)
    page = client.get(url).content.decode()
    assert "Data retention" in page and "kept for 1 school year," in page
    assert '<td class="text-end">12</td>' in page
    personas.district.share_with_partners = True
    personas.district.save()
    client.force_login(personas.partner)
    reply = client.get(url)
    assert reply.status_code == 200 and "Data retention" not in reply.content.decode()


def test_a_survey_past_retention_keeps_its_shares_and_shows_no_row_of_zeros(client, personas, instrument):
    from django.urls import reverse

    from measures import aggregation
    from measures.models import Answer, Response
    from tests.measures.helpers import survey_in_week

    survey = survey_in_week(personas.classroom, instrument, 0, productive=9, unproductive=3)
    aggregation.rebuild_all()
    Answer.objects.filter(administration=survey).delete()  # what retention does to raw answers
    Response.objects.filter(administration=survey).delete()
    results = aggregation.administration_results(survey)
    assert results.n == 12 and all(i.options == () for i in results.items)
    assert {round(i.productive_share, 2) for i in results.items} == {0.75}
    client.force_login(personas.teacher)
    html = client.get(reverse("measures:administration", args=[survey.pk])).content.decode()
    assert "75%" in html and 'data-figure="dist-' not in html

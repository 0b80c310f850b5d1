"""Projector pages: a heading naming the session, and a warning when check-in opens days ahead."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pd import selectors as pd_selectors
from pd import services as pd_services
from pd.models import PDSeries, PDSession

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


def _session(personas, days_ahead):
    series = PDSeries.objects.create(district=personas.district, title="Discussions", school_year=2026)
    return PDSession.objects.create(
        series=series, title="Pressing on ideas", date=timezone.localdate() + datetime.timedelta(days=days_ahead)
    )


def test_check_in_more_than_a_day_ahead_counts_as_early():
    session = PDSession(date=datetime.date(2026, 12, 16))
    assert pd_selectors.checkin_days_early(session, TODAY) == 9
    assert pd_selectors.checkin_days_early(session, datetime.date(2026, 12, 15)) == 0  # the day before is fine
    assert pd_selectors.checkin_days_early(session, datetime.date(2026, 12, 16)) == 0
    assert pd_selectors.checkin_days_early(session, datetime.date(2026, 12, 20)) == 0  # after: late entries


def test_the_check_in_screen_names_the_session_and_warns_when_opened_nine_days_ahead(client, personas):
    session = _session(personas, 9)
    client.force_login(personas.leader)
    response = client.post(reverse("pd:checkin_toggle", args=[session.pk]), follow=True)
    html = response.content.decode()
    assert '<h1 class="h3 mb-1">Pressing on ideas' in html and "check-in" in html
    assert "data-early-checkin" in html and "9 days from now" in html


def test_no_warning_on_the_day(client, personas):
    session = _session(personas, 0)
    pd_services.checkin_open(session=session)
    client.force_login(personas.leader)
    html = client.get(reverse("pd:checkin_present", args=[session.pk])).content.decode()
    assert "data-early-checkin" not in html and "Close check-in" in html


def test_no_warning_once_check_in_is_closed(client, personas):
    session = _session(personas, 9)
    client.force_login(personas.leader)
    html = client.get(reverse("pd:checkin_present", args=[session.pk])).content.decode()
    assert "data-early-checkin" not in html

"""PD attendance: check-in by code (open, closed, wrong, foreign), names ticked by a facilitator,
and the attendance matrix across a series."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pd import selectors as pd_selectors
from pd import services as pd_services
from pd.models import Attendance, AttendanceMethod, PDSeries, PDSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(personas):
    series = PDSeries.objects.create(
        district=personas.district, title="Discourse in grade 7", school_year=2025, audience_roles=["teacher"]
    )
    series.facilitators.set([personas.coach])
    return series


@pytest.fixture
def session(series):
    return PDSession.objects.create(series=series, title="Launching tasks", date=timezone.localdate(), minutes=90)


@pytest.fixture
def open_session(session):
    return pd_services.checkin_open(session=session)


def _check_in(client, user, code):
    client.force_login(user)
    return client.post(reverse("pd:checkin"), {"code": code})


# --- opening and closing ---------------------------------------------------------------------


def test_opening_check_in_shows_a_code_for_thirty_minutes(session):
    now = timezone.now()
    pd_services.checkin_open(session=session, now=now)
    session.refresh_from_db()
    assert len(session.checkin_code) == 6 and not set(session.checkin_code) & set("0O1IL")
    assert session.checkin_closes_at == now + datetime.timedelta(minutes=pd_services.CHECKIN_MINUTES)
    assert session.checkin_open(now) and not session.checkin_open(now + datetime.timedelta(minutes=31))


def test_reopening_while_open_keeps_the_code_and_extends_the_time(session):
    now = timezone.now()
    pd_services.checkin_open(session=session, now=now)
    code = session.checkin_code
    pd_services.checkin_open(session=session, now=now + datetime.timedelta(minutes=10))
    session.refresh_from_db()
    assert session.checkin_code == code
    assert session.checkin_closes_at == now + datetime.timedelta(minutes=40)


def test_the_toggle_view_opens_and_closes_check_in_for_a_facilitator(client, personas, session):
    client.force_login(personas.coach)
    r = client.post(reverse("pd:checkin_toggle", args=[session.pk]), {"action": "open"})
    assert r.status_code == 302 and r["Location"] == reverse("pd:checkin_present", args=[session.pk])
    session.refresh_from_db()
    assert session.checkin_open()
    page = client.get(r["Location"])
    assert page.status_code == 200 and session.checkin_code in page.content.decode()
    client.post(reverse("pd:checkin_toggle", args=[session.pk]), {"action": "close"})
    session.refresh_from_db()
    assert session.checkin_code and not session.checkin_open()


# --- checking in by code ---------------------------------------------------------------------


def test_a_teacher_checks_in_with_the_code(client, personas, open_session):
    r = _check_in(client, personas.teacher, open_session.checkin_code)
    assert r.status_code == 302 and r["Location"] == open_session.get_absolute_url()
    mark = Attendance.objects.get()
    assert (mark.session, mark.user, mark.method) == (open_session, personas.teacher, AttendanceMethod.CODE)
    page = client.get(r["Location"])
    assert "You are checked in" in page.content.decode()


def test_checking_in_twice_counts_once(client, personas, open_session):
    assert _check_in(client, personas.teacher, open_session.checkin_code).status_code == 302
    assert _check_in(client, personas.teacher, open_session.checkin_code).status_code == 302
    assert Attendance.objects.filter(session=open_session, user=personas.teacher).count() == 1


def test_a_lowercase_spaced_code_is_normalised(client, personas, open_session):
    code = open_session.checkin_code
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    assert _check_in(client, personas.teacher, typed).status_code == 302
    assert Attendance.objects.filter(session=open_session, user=personas.teacher).exists()


def test_a_wrong_code_is_a_400_with_the_reason_and_no_attendance(client, personas, open_session):
    wrong = "ZZZZZZ" if open_session.checkin_code != "ZZZZZZ" else "YYYYYY"
    r = _check_in(client, personas.teacher, wrong)
    assert r.status_code == 400
    assert "No session of your district shows that code." in r.content.decode()
    assert not Attendance.objects.exists()


def test_a_code_of_the_wrong_length_is_refused(client, personas, open_session):
    r = _check_in(client, personas.teacher, "ABC")
    assert r.status_code == 400
    assert "A check-in code has 6 letters and digits." in r.content.decode()
    assert not Attendance.objects.exists()


def test_a_closed_check_in_is_refused(client, personas, open_session):
    pd_services.checkin_close(session=open_session)
    r = _check_in(client, personas.teacher, open_session.checkin_code)
    assert r.status_code == 400
    assert "is closed" in r.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_after_the_closing_time_is_refused(personas, session):
    now = timezone.now()
    pd_services.checkin_open(session=session, now=now, minutes=5)
    with pytest.raises(pd_services.CheckInError, match="closed"):
        pd_services.check_in(user=personas.teacher, code=session.checkin_code, now=now + datetime.timedelta(minutes=6))
    assert pd_services.check_in(
        user=personas.teacher, code=session.checkin_code, now=now + datetime.timedelta(minutes=4)
    )
    assert Attendance.objects.filter(user=personas.teacher).count() == 1


def test_closing_uses_the_given_time(session):
    now = timezone.now()
    pd_services.checkin_open(session=session, now=now)
    pd_services.checkin_close(session=session, now=now + datetime.timedelta(minutes=2))
    session.refresh_from_db()
    assert session.checkin_closes_at == now + datetime.timedelta(minutes=2)


def test_a_user_of_another_district_cannot_use_the_code(client, personas, open_session):
    r = _check_in(client, personas.outsider_teacher, open_session.checkin_code)
    assert r.status_code == 400
    assert "No session of your district shows that code." in r.content.decode()
    assert not Attendance.objects.exists()
    with pytest.raises(pd_services.CheckInError, match="No session of your district"):
        pd_services.check_in(user=personas.outsider_teacher, code=open_session.checkin_code)


def test_the_code_link_prefills_the_form(client, personas, open_session):
    client.force_login(personas.teacher)
    r = client.get(reverse("pd:checkin_code", args=[open_session.checkin_code]))
    assert r.status_code == 200 and f'value="{open_session.checkin_code}"' in r.content.decode()


# --- names ticked by a facilitator -----------------------------------------------------------


def _tick(client, url, present, page=None):
    """Post the attendance form as the browser would: every listed person, and when it was drawn."""
    page = page or client.get(url)
    shown = [row["person"].pk for row in page.context["rows"]]
    return client.post(url, {"present": present, "shown": shown, "drawn_at": page.context["drawn_at"]})


def test_a_facilitator_ticks_names_to_add_and_unticks_to_remove(client, personas, session):
    url = reverse("pd:session_attendance", args=[session.pk])
    client.force_login(personas.coach)
    page = client.get(url)
    assert page.status_code == 200
    listed = {row["person"] for row in page.context["rows"]}
    assert {personas.teacher, personas.other_teacher, personas.teacher_b} <= listed
    assert personas.outsider_teacher not in listed

    r = _tick(client, url, [personas.teacher.pk, personas.other_teacher.pk], page)
    assert r.status_code == 302
    assert set(session.attendance.values_list("user_id", "method")) == {
        (personas.teacher.pk, AttendanceMethod.FACILITATOR),
        (personas.other_teacher.pk, AttendanceMethod.FACILITATOR),
    }
    _tick(client, url, [personas.teacher.pk])
    assert list(session.attendance.values_list("user_id", flat=True)) == [personas.teacher.pk]


def test_ticking_keeps_a_code_check_in_and_ignores_people_not_listed(client, personas, open_session):
    pd_services.check_in(user=personas.teacher, code=open_session.checkin_code)
    client.force_login(personas.coach)
    url = reverse("pd:session_attendance", args=[open_session.pk])
    _tick(client, url, [personas.teacher.pk, personas.outsider_teacher.pk])
    marks = dict(open_session.attendance.values_list("user_id", "method"))
    assert marks == {personas.teacher.pk: AttendanceMethod.CODE}


def test_a_check_in_after_the_list_was_drawn_is_kept(client, personas, open_session):
    client.force_login(personas.coach)
    url = reverse("pd:session_attendance", args=[open_session.pk])
    page = client.get(url)
    pd_services.check_in(user=personas.teacher, code=open_session.checkin_code)  # while the facilitator ticks
    _tick(client, url, [personas.other_teacher.pk], page)
    assert set(open_session.attendance.values_list("user_id", flat=True)) == {
        personas.teacher.pk,
        personas.other_teacher.pk,
    }


def test_a_malformed_attendance_post_is_a_400(client, personas, session):
    client.force_login(personas.coach)
    url = reverse("pd:session_attendance", args=[session.pk])
    assert client.post(url, {"present": ["²"], "shown": [], "drawn_at": "2026-01-01T00:00:00Z"}).status_code == 400
    assert client.post(url, {"present": [], "shown": [personas.teacher.pk]}).status_code == 400
    assert not Attendance.objects.exists()


def test_the_attendance_page_refuses_a_teacher(client, personas, session):
    client.force_login(personas.teacher)
    url = reverse("pd:session_attendance", args=[session.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"present": [personas.teacher.pk]}).status_code == 403
    assert not Attendance.objects.exists()


def test_mark_attendance_returns_added_and_removed(personas, session):
    allowed = {personas.teacher.pk, personas.other_teacher.pk}
    assert pd_services.mark_attendance(session=session, present_ids={personas.teacher.pk}, allowed_ids=allowed) == (
        1,
        0,
    )
    assert pd_services.mark_attendance(
        session=session, present_ids={personas.other_teacher.pk}, allowed_ids=allowed
    ) == (1, 1)


# --- across the series -----------------------------------------------------------------------


@pytest.fixture
def two_sessions_marked(personas, series, session):
    later = PDSession.objects.create(
        series=series, title="Analyzing work", date=session.date + datetime.timedelta(days=14)
    )
    Attendance.objects.create(session=session, user=personas.teacher, method=AttendanceMethod.CODE)
    Attendance.objects.create(session=later, user=personas.teacher, method=AttendanceMethod.CODE)
    Attendance.objects.create(session=session, user=personas.other_teacher, method=AttendanceMethod.FACILITATOR)
    return session, later


def test_the_matrix_shows_who_came_to_which_session(personas, series, two_sessions_marked):
    sessions, rows = pd_selectors.attendance_matrix(series)
    assert sessions == list(two_sessions_marked)
    by_person = {r.person: (r.present, r.total) for r in rows}
    assert by_person == {personas.teacher: ([True, True], 2), personas.other_teacher: ([True, False], 1)}


def test_a_facilitator_sees_every_row_of_the_series_attendance(client, personas, series, two_sessions_marked):
    client.force_login(personas.coach)
    r = client.get(reverse("pd:series_attendance", args=[series.pk]))
    assert r.status_code == 200
    assert {row.person for row in r.context["rows"]} == {personas.teacher, personas.other_teacher}
    page = r.content.decode()
    assert "Attendance across the series" in page
    assert 'fw-normal">Teacher</th>' in page and 'fw-normal">Other Teacher</th>' in page


def test_a_teacher_sees_only_their_own_row(client, personas, series, two_sessions_marked):
    client.force_login(personas.other_teacher)
    r = client.get(reverse("pd:series_attendance", args=[series.pk]))
    assert r.status_code == 200
    assert [row.person for row in r.context["rows"]] == [personas.other_teacher]
    page = r.content.decode()
    assert "Your attendance" in page and "1 of 2" in page
    assert 'fw-normal">Teacher</th>' not in page


def test_facilitators_download_attendance_with_minutes_and_participants_cannot(client, personas):
    import csv
    import io

    from pd.models import Attendance, PDSeries, PDSession

    series = PDSeries.objects.create(
        district=personas.district, title="Grade 7", school_year=2025, audience_roles=["teacher"]
    )
    series.facilitators.set([personas.coach])
    first = PDSession.objects.create(series=series, title="One", date=datetime.date(2025, 9, 10), minutes=180)
    second = PDSession.objects.create(series=series, title="Two", date=datetime.date(2025, 10, 8), minutes=90)
    for session in (first, second):
        Attendance.objects.create(session=session, user=personas.teacher, method="code")
    Attendance.objects.create(session=second, user=personas.teacher_b, method="facilitator")
    url = reverse("pd:series_attendance_csv", args=[series.pk])

    client.force_login(personas.coach)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["participant", "email", "2025-09-10 One", "2025-10-08 Two", "sessions", "minutes"]
    by_email = {r[1]: r for r in rows[1:]}
    assert by_email["teacher@example.org"][2:] == ["1", "1", "2", "270"]
    assert by_email["teacher_b@example.org"][2:] == ["0", "1", "1", "90"]
    client.force_login(personas.teacher)
    assert client.get(url).status_code == 403
    client.force_login(personas.outsider_leader)
    assert client.get(url).status_code == 404


def test_the_series_calendar_lists_its_sessions_for_anyone_who_may_see_it(client, personas):
    from pd.models import PDSeries, PDSession

    series = PDSeries.objects.create(
        district=personas.district, title="Grade 7, summaries", school_year=2025, audience_roles=["teacher"]
    )
    PDSession.objects.create(
        series=series,
        title="Pilot 1",
        date=datetime.date(2026, 1, 14),
        starts_at=datetime.time(16, 0),
        minutes=90,
        place="Adams; library",
    )
    PDSession.objects.create(series=series, title="Planning day", date=datetime.date(2026, 2, 3))
    url = reverse("pd:series_calendar", args=[series.pk])
    client.force_login(personas.teacher)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 2
    # 4:00 pm in the project's time zone (America/Chicago, UTC-6 in January) for 90 minutes.
    assert "DTSTART:20260114T220000Z" in body and "DTEND:20260114T233000Z" in body
    assert "DTSTART;VALUE=DATE:20260203" in body and "DTEND;VALUE=DATE:20260204" in body
    assert "LOCATION:Adams\\; library" in body and "X-WR-CALNAME:Grade 7\\, summaries" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    client.force_login(personas.outsider_leader)
    assert client.get(url).status_code == 404

"""Group sessions: a coach logs a teacher collaborative meeting with attendees; only the coach changes it."""

import pytest

from coaching.models import GroupSession, GroupSessionKind

pytestmark = pytest.mark.django_db


def _data(personas, **extra):
    data = {
        "school": personas.school.pk,
        "kind": GroupSessionKind.LESSON_STUDY,
        "date": "2026-11-10",
        "minutes": "60",
        "focus_practice": "Anticipating student strategies",
        "attendees": [personas.teacher.pk, personas.other_teacher.pk],
        "notes": "Planned the research lesson.",
        "next_steps": "Teach it on Thursday.",
    }
    data.update(extra)
    return data


def test_a_coach_logs_a_group_session_with_attendees(client, personas):
    client.force_login(personas.coach)
    response = client.post("/coaching/group-sessions/new/", _data(personas))
    session = GroupSession.objects.get()
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert set(session.attendees.all()) == {personas.teacher, personas.other_teacher}
    assert session.district == personas.district
    assert "Lesson study" in client.get("/coaching/group-sessions/").content.decode()


def test_attendees_must_teach_at_the_coachs_schools(client, personas):
    client.force_login(personas.coach)
    response = client.post("/coaching/group-sessions/new/", _data(personas, attendees=[personas.outsider_teacher.pk]))
    assert response.status_code == 200 and not GroupSession.objects.exists()


def test_only_coaches_log_and_only_the_leading_coach_changes_a_session(client, personas):
    client.force_login(personas.teacher)
    assert client.get("/coaching/group-sessions/new/").status_code == 403
    client.force_login(personas.coach)
    client.post("/coaching/group-sessions/new/", _data(personas))
    session = GroupSession.objects.get()
    for user in (personas.teacher, personas.principal, personas.leader):
        client.force_login(user)
        assert client.get(f"/coaching/group-sessions/{session.pk}/edit/").status_code == 403
        assert client.post(f"/coaching/group-sessions/{session.pk}/delete/").status_code == 403
    client.force_login(personas.coach)
    assert "Delete the lesson study" in client.get(f"/coaching/group-sessions/{session.pk}/delete/").content.decode()
    assert client.post(f"/coaching/group-sessions/{session.pk}/delete/").status_code == 302
    assert not GroupSession.objects.exists()


def test_a_group_session_ties_its_focus_to_a_library_practice(client, personas):
    from cycles.models import Practice, PracticeSource

    practice = Practice.objects.get(district=None, code="NCTM 8")
    client.force_login(personas.coach)
    client.post("/coaching/group-sessions/new/", _data(personas, practice=practice.pk, focus_practice=""))
    session = GroupSession.objects.get()
    assert (session.practice, session.focus_practice) == (practice, practice.title)
    assert practice.get_absolute_url() in client.get(session.get_absolute_url()).content.decode()
    theirs = Practice.objects.create(
        district=personas.outsider_district, source=PracticeSource.DISTRICT, code="H-2", title="Hillcrest"
    )
    response = client.post("/coaching/group-sessions/new/", _data(personas, practice=theirs.pk))
    assert response.status_code == 200 and GroupSession.objects.count() == 1

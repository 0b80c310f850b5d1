"""Who may see and do what in PD series (districts.access, PD section): outsiders get 404, the
audience sees agendas, facilitators and leaders run sessions, leaders and partners record the
facilitation review, a reviewed leader reads the evidence about themselves."""

import datetime

import pytest
from django.urls import reverse

from pd import services as pd_services
from pd.models import (
    Activity,
    ActivityKind,
    EvidenceDirection,
    FacilitationEvidence,
    FacilitationGoal,
    PDSeries,
    PDSession,
    SeriesGoal,
)

pytestmark = pytest.mark.django_db


def make_series(personas, *, audience_roles=("teacher",), facilitators=("coach",), title="Discourse in grade 7"):
    series = PDSeries.objects.create(
        district=personas.district, title=title, school_year=2025, audience_roles=list(audience_roles)
    )
    series.facilitators.set([getattr(personas, name) for name in facilitators])
    return series


@pytest.fixture
def series(personas):
    return make_series(personas)


@pytest.fixture
def session(series):
    session = PDSession.objects.create(
        series=series, title="Launching tasks", date=datetime.date(2025, 10, 7), minutes=90, cycle=1
    )
    pd_services.activity_add(
        session=session, kind=ActivityKind.SOLVE, title="Solve the staircase task", minutes=30, learning_goal="Notice."
    )
    return session


def _get(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(name, args=[pk]))


def _post(client, user, name, pk, data=None):
    client.force_login(user)
    return client.post(reverse(name, args=[pk]), data or {})


# --- outsiders and audiences -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("pd:series", "series"),
        ("pd:series_attendance", "series"),
        ("pd:series_review", "series"),
        ("pd:series_edit", "series"),
        ("pd:series_delete", "series"),
        ("pd:session", "session"),
        ("pd:session_review", "session"),
        ("pd:session_edit", "session"),
        ("pd:session_attendance", "session"),
    ],
)
def test_a_leader_of_another_district_gets_404(client, personas, series, session, name, target):
    pk = series.pk if target == "series" else session.pk
    assert _get(client, personas.outsider_leader, name, pk).status_code == 404


def test_an_outsider_cannot_post_evidence(client, personas, session):
    r = _post(client, personas.outsider_leader, "pd:session_review", session.pk, _evidence(personas))
    assert r.status_code == 404
    assert not FacilitationEvidence.objects.exists()


def test_a_teacher_outside_the_audience_gets_403(client, personas):
    series = make_series(personas, audience_roles=["coach"], facilitators=("principal_b",))
    session = PDSession.objects.create(series=series, title="Coaches only", date=datetime.date(2025, 10, 7))
    assert _get(client, personas.teacher, "pd:series", series.pk).status_code == 403
    assert _get(client, personas.teacher, "pd:session", session.pk).status_code == 403
    client.force_login(personas.teacher)
    assert series not in client.get(reverse("pd:index")).context["series_list"]
    # …while a coach, in the audience but not a facilitator, sees it.
    assert _get(client, personas.coach, "pd:series", series.pk).status_code == 200
    assert _get(client, personas.coach, "pd:session", session.pk).status_code == 200
    assert _get(client, personas.other_teacher, "pd:series", series.pk).status_code == 403
    assert _get(client, personas.principal, "pd:series", series.pk).status_code == 403
    assert _get(client, personas.leader, "pd:series", series.pk).status_code == 200
    assert _get(client, personas.partner, "pd:series", series.pk).status_code == 200


def test_a_series_for_one_school_is_not_seen_by_teachers_of_another(client, personas, series):
    series.audience_schools.set([personas.school])
    assert _get(client, personas.teacher, "pd:series", series.pk).status_code == 200
    assert _get(client, personas.teacher_b, "pd:series", series.pk).status_code == 403


def test_attending_a_session_lets_one_see_the_series(client, personas):
    series = make_series(personas, audience_roles=["coach"])
    session = PDSession.objects.create(series=series, title="Coaches only", date=datetime.date(2025, 10, 7))
    assert _get(client, personas.teacher, "pd:series", series.pk).status_code == 403
    pd_services.mark_attendance(session=session, present_ids={personas.teacher.pk}, allowed_ids={personas.teacher.pk})
    assert _get(client, personas.teacher, "pd:series", series.pk).status_code == 200


def test_a_teacher_in_the_audience_sees_the_agenda(client, personas, series, session):
    r = _get(client, personas.teacher, "pd:session", session.pk)
    assert r.status_code == 200
    assert "Solve the staircase task" in r.content.decode()
    assert r.context["may_change"] is False and r.context["may_review"] is False
    assert _get(client, personas.teacher, "pd:series", series.pk).status_code == 200
    client.force_login(personas.teacher)
    assert series in client.get(reverse("pd:index")).context["series_list"]


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "pd:session_edit", None),
        ("post", "pd:session_edit", {"title": "Hijacked", "kind": "pull_out", "date": "2025-10-07",
                                            "minutes": 90}),
        ("get", "pd:activity_add", None),
        ("post", "pd:activity_add", {"title": "Extra", "kind": "other", "minutes": 10}),
        ("post", "pd:checkin_toggle", {"action": "open"}),
        ("get", "pd:checkin_present", None),
        ("get", "pd:feedback_open", None),
        ("post", "pd:feedback_open", {"minutes": 15}),
        ("get", "pd:session_review", None),
        ("post", "pd:session_review", {"memo-memo": "Looks fine."}),
        ("get", "pd:session_delete", None),
    ],
)  # fmt: skip
def test_a_teacher_in_the_audience_may_not_run_the_session(client, personas, session, method, name, data):
    client.force_login(personas.teacher)
    r = getattr(client, method)(reverse(name, args=[session.pk]), data or {})
    assert r.status_code == 403
    session.refresh_from_db()
    assert session.title == "Launching tasks" and not session.checkin_code and session.feedback is None
    assert session.memo == "" and session.activities.count() == 1


def test_a_teacher_may_not_edit_or_move_an_activity(client, personas, session):
    activity = session.activities.get()
    assert _get(client, personas.teacher, "pd:activity_edit", activity.pk).status_code == 403
    assert _post(client, personas.teacher, "pd:activity_move", activity.pk, {"direction": "up"}).status_code == 403
    assert _post(client, personas.teacher, "pd:activity_delete", activity.pk).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_teacher_may_not_edit_the_series(client, personas, series):
    assert _get(client, personas.teacher, "pd:series_edit", series.pk).status_code == 403
    assert _get(client, personas.teacher, "pd:session_add", series.pk).status_code == 403


# --- facilitators -------------------------------------------------------------------------------


def test_a_facilitator_edits_the_session_and_adds_activities(client, personas, session):
    assert _get(client, personas.coach, "pd:session_edit", session.pk).status_code == 200
    r = _post(
        client, personas.coach, "pd:session_edit", session.pk,
        {"title": "Launching tasks well", "kind": "pull_out", "date": "2025-10-07", "minutes": 90},
    )  # fmt: skip
    assert r.status_code == 302
    session.refresh_from_db()
    assert session.title == "Launching tasks well"
    r = _post(
        client, personas.coach, "pd:activity_add", session.pk,
        {"title": "Analyze student work", "kind": "student_work", "minutes": 20, "learning_goal": "See strategies."},
    )  # fmt: skip
    assert r.status_code == 302
    assert list(session.activities.values_list("title", "order")) == [
        ("Solve the staircase task", 1),
        ("Analyze student work", 2),
    ]
    assert _get(client, personas.coach, "pd:series_edit", session.series_id).status_code == 200


def test_a_facilitator_may_not_record_the_facilitation_review(client, personas, session):
    assert _get(client, personas.coach, "pd:session_review", session.pk).status_code == 403
    r = _post(client, personas.coach, "pd:session_review", session.pk, _evidence(personas))
    assert r.status_code == 403
    r = _post(client, personas.coach, "pd:session_review", session.pk, {"memo-memo": "My own memo."})
    assert r.status_code == 403
    assert not FacilitationEvidence.objects.exists()
    session.refresh_from_db()
    assert session.memo == ""


def test_a_partner_sees_but_does_not_run_the_series(client, personas, series, session):
    assert _get(client, personas.partner, "pd:series", series.pk).status_code == 200
    assert _get(client, personas.partner, "pd:session_edit", session.pk).status_code == 403
    assert _get(client, personas.partner, "pd:activity_add", session.pk).status_code == 403
    assert _get(client, personas.partner, "pd:session_review", session.pk).status_code == 200


# --- the facilitation review ------------------------------------------------------------------


def _evidence(personas, **overrides):
    data = {
        "leader": personas.coach.pk,
        "goal": FacilitationGoal.PRESS,
        "direction": EvidenceDirection.IMPROVEMENT,
        "start": "1:05",
        "end": "2:10",
        "note": "Pressed a teacher to say why the strategy works.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["partner", "leader"])
def test_partners_and_leaders_record_evidence(client, personas, session, who):
    r = _post(client, getattr(personas, who), "pd:session_review", session.pk, _evidence(personas))
    assert r.status_code == 302
    evidence = FacilitationEvidence.objects.get()
    assert (evidence.session, evidence.leader, evidence.recorded_by) == (
        session,
        personas.coach,
        getattr(personas, who),
    )
    assert (evidence.goal, evidence.direction) == (FacilitationGoal.PRESS, EvidenceDirection.IMPROVEMENT)
    assert (evidence.clip_start, evidence.clip_end) == (65, 130)
    page = _get(client, personas.partner, "pd:session_review", session.pk).content.decode()
    assert "1:05–2:10" in page and "Pressed a teacher to say why the strategy works." in page


def test_a_clip_that_ends_before_it_starts_is_a_form_error(client, personas, session):
    r = _post(client, personas.partner, "pd:session_review", session.pk, _evidence(personas, end="0:30"))
    assert r.status_code == 400
    assert "The clip ends before it starts." in r.content.decode()
    assert not FacilitationEvidence.objects.exists()


def test_a_bad_clock_is_a_form_error(client, personas, session):
    r = _post(client, personas.partner, "pd:session_review", session.pk, _evidence(personas, start="1:75"))
    assert r.status_code == 400
    assert "start" in r.context["form"].errors
    assert not FacilitationEvidence.objects.exists()


def test_evidence_is_about_a_facilitator_of_the_series(client, personas, session):
    r = _post(
        client,
        personas.partner,
        "pd:session_review",
        session.pk,
        _evidence(personas, leader=personas.teacher.pk),
    )
    assert r.status_code == 400 and "leader" in r.context["form"].errors
    assert not FacilitationEvidence.objects.exists()


def test_a_partner_saves_the_analytic_memo(client, personas, session):
    r = _post(client, personas.partner, "pd:session_review", session.pk, {"memo-memo": "Structure: …"})
    assert r.status_code == 302
    session.refresh_from_db()
    assert (session.memo, session.memo_by) == ("Structure: …", personas.partner)


@pytest.fixture
def reviewed(personas):
    """A series facilitated by the coach and the principal, with evidence about each."""
    series = make_series(personas, audience_roles=["teacher", "coach"], facilitators=("coach", "principal"))
    session = PDSession.objects.create(series=series, title="Pilot", date=datetime.date(2025, 11, 4), cycle=1)
    for leader, note, direction in [
        (personas.coach, "Coach pressed on the second strategy.", EvidenceDirection.IMPROVEMENT),
        (personas.principal, "Principal moved on without pressing.", EvidenceDirection.STASIS),
    ]:
        FacilitationEvidence.objects.create(
            session=session, leader=leader, goal=FacilitationGoal.PRESS, direction=direction, note=note,
            recorded_by=personas.partner,
        )  # fmt: skip
    return series


def test_a_reviewed_leader_sees_only_the_evidence_about_themselves(client, personas, reviewed):
    r = _get(client, personas.coach, "pd:series_review", reviewed.pk)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Coach pressed on the second strategy." in page
    assert "Principal moved on without pressing." not in page
    assert [e.leader for e in r.context["evidence"]] == [personas.coach]
    # Asking for another leader's evidence sends them back to their own.
    client.force_login(personas.coach)
    r = client.get(reverse("pd:series_review", args=[reviewed.pk]), {"leader": personas.principal.pk})
    assert r.status_code == 302


@pytest.mark.parametrize("who", ["leader", "partner"])
def test_leaders_and_partners_see_all_the_evidence(client, personas, reviewed, who):
    r = _get(client, getattr(personas, who), "pd:series_review", reviewed.pk)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Coach pressed on the second strategy." in page and "Principal moved on without pressing." in page
    client.force_login(getattr(personas, who))
    r = client.get(reverse("pd:series_review", args=[reviewed.pk]), {"leader": personas.principal.pk})
    assert [e.leader for e in r.context["evidence"]] == [personas.principal]


def test_a_coach_who_is_neither_facilitator_nor_leader_gets_403_on_the_review(client, personas):
    series = make_series(personas, audience_roles=["teacher", "coach"], facilitators=("principal",))
    assert _get(client, personas.coach, "pd:series", series.pk).status_code == 200
    assert _get(client, personas.coach, "pd:series_review", series.pk).status_code == 403
    assert _get(client, personas.teacher, "pd:series_review", series.pk).status_code == 403
    assert _get(client, personas.principal, "pd:series_review", series.pk).status_code == 200


# --- starting and deleting a series -----------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("leader", 200), ("coach", 403), ("teacher", 403), ("partner", 403)])
def test_only_district_leaders_start_a_series(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("pd:series_add")).status_code == status


def test_a_coach_cannot_post_a_new_series(client, personas):
    client.force_login(personas.coach)
    r = client.post(reverse("pd:series_add"), {"title": "Mine", "school_year": 2025, "audience_roles": ["teacher"]})
    assert r.status_code == 403
    assert not PDSeries.objects.exists()


def test_a_leader_creates_a_series_with_goals_from_lines(client, personas):
    client.force_login(personas.leader)
    r = client.post(
        reverse("pd:series_add"),
        {
            "title": "Launching tasks, grades 6–7",
            "school_year": 2025,
            "audience_roles": ["teacher", "coach"],
            "grades": "7, 6",
            "facilitators": [personas.coach.pk],
            "goals": "- Notice students' reasoning\n\n• Press on ideas\nConnect strategies\n",
        },
    )
    series = PDSeries.objects.get()
    assert r.status_code == 302 and r["Location"] == series.get_absolute_url()
    assert (series.district, series.created_by) == (personas.district, personas.leader)
    assert series.audience_roles == ["teacher", "coach"] and series.audience_grades == ["6", "7"]
    assert list(series.facilitators.all()) == [personas.coach]
    assert list(SeriesGoal.objects.filter(series=series).values_list("order", "text")) == [
        (1, "Notice students' reasoning"),
        (2, "Press on ideas"),
        (3, "Connect strategies"),
    ]


def test_deleting_a_series_needs_a_district_leader(client, personas, series, session):
    assert _get(client, personas.coach, "pd:series_delete", series.pk).status_code == 403
    assert _post(client, personas.coach, "pd:series_delete", series.pk).status_code == 403
    assert PDSeries.objects.filter(pk=series.pk).exists()

    r = _get(client, personas.leader, "pd:series_delete", series.pk)
    assert r.status_code == 200
    assert "Delete the series “Discourse in grade 7”?" in r.content.decode()
    assert PDSeries.objects.filter(pk=series.pk).exists()

    r = _post(client, personas.leader, "pd:series_delete", series.pk)
    assert r.status_code == 302 and r["Location"] == reverse("pd:index")
    assert not PDSeries.objects.filter(pk=series.pk).exists()
    assert not PDSession.objects.filter(pk=session.pk).exists()


def test_only_reviewers_delete_evidence(client, personas, reviewed):
    evidence = FacilitationEvidence.objects.get(leader=personas.coach)
    assert _post(client, personas.coach, "pd:evidence_delete", evidence.pk).status_code == 403
    assert _post(client, personas.outsider_leader, "pd:evidence_delete", evidence.pk).status_code == 404
    assert FacilitationEvidence.objects.filter(pk=evidence.pk).exists()
    assert _get(client, personas.partner, "pd:evidence_delete", evidence.pk).status_code == 200
    assert _post(client, personas.partner, "pd:evidence_delete", evidence.pk).status_code == 302
    assert not FacilitationEvidence.objects.filter(pk=evidence.pk).exists()


def test_a_clip_link_opens_the_video_at_the_coded_moment(personas):
    from pd.models import FacilitationEvidence, PDSeries, PDSession

    series = PDSeries.objects.create(district=personas.district, title="S", school_year=2025)
    session = PDSession.objects.create(
        series=series, title="Pilot", date=datetime.date(2025, 10, 1), video_ref="https://v.example.org/p.mp4"
    )
    evidence = FacilitationEvidence(session=session, leader=personas.coach, clip_start=65, clip_end=130)
    assert evidence.clip_link() == "https://v.example.org/p.mp4#t=65,130"
    evidence.clip_ref = "pilot-1.mp4"
    assert evidence.clip_link() == ""
    evidence.clip_ref, evidence.clip_end = "https://v.example.org/c.mp4", None
    assert evidence.clip_link() == "https://v.example.org/c.mp4#t=65"


def test_facilitators_are_chosen_among_leaders_coaches_principals_and_partners(personas):
    from pd.forms import SeriesForm

    form = SeriesForm(district=personas.district)
    choices = {label for _, label in form.fields["facilitators"].choices}
    assert {"Leader (district leader)", "Coach (coach)", "Principal (principal)", "Partner (partner)"} <= choices
    assert not any("(teacher)" in c for c in choices)
    assert "Outsider Leader (district leader)" not in choices


# --- found in review ---------------------------------------------------------------------------


def test_the_audience_is_a_role_at_a_school_on_one_membership(client, personas):
    from districts.models import Membership, Role

    series = make_series(personas, audience_roles=["teacher"])
    series.audience_schools.set([personas.school_b])
    # A teacher at school A who also coaches at school B is not a teacher at school B.
    Membership.objects.create(
        user=personas.teacher, district=personas.district, school=personas.school_b, role=Role.COACH
    )
    assert _get(client, personas.teacher, "pd:series", series.pk).status_code == 403
    assert _get(client, personas.teacher_b, "pd:series", series.pk).status_code == 200
    # A district-wide coach (no school) belongs to a coaches' series of any school, and is listed.
    coaches = make_series(personas, audience_roles=["coach"], facilitators=(), title="Coaches")
    coaches.audience_schools.set([personas.school])
    wide = personas.outsider_teacher  # reuse an account: give it a district-wide coach role here
    Membership.objects.create(user=wide, district=personas.district, school=None, role=Role.COACH)
    assert _get(client, wide, "pd:series", coaches.pk).status_code == 200
    from pd import selectors as pd_selectors

    assert wide in pd_selectors.audience_people(coaches)


@pytest.mark.parametrize("raw", ["²", "1" * 5000, "abc"])
def test_a_malformed_leader_filter_redirects_rather_than_failing(client, personas, session, raw):
    from pd.models import FacilitationEvidence

    FacilitationEvidence.objects.create(
        session=session, leader=personas.coach, goal="press", direction="stasis", note="n", recorded_by=personas.partner
    )
    client.force_login(personas.leader)
    response = client.get(reverse("pd:series_review", args=[session.series_id]), {"leader": raw})
    assert response.status_code == 302


@pytest.mark.parametrize("grades", ["²", "1" * 5000, "13", "6, seven"])
def test_bad_grades_are_a_form_error(client, personas, grades):
    client.force_login(personas.leader)
    response = client.post(
        reverse("pd:series_add"),
        {"title": "S", "school_year": 2025, "audience_roles": ["teacher"], "grades": grades},
    )
    assert response.status_code == 200 and "Grades are K or 1–12" in response.content.decode()
    assert not PDSeries.objects.exists()


def test_a_reviewed_facilitator_may_not_delete_a_session_with_its_review(client, personas, session):
    pd_services.memo_save(session=session, text="The leaders connected the activities.", by=personas.partner)
    assert _get(client, personas.coach, "pd:session_delete", session.pk).status_code == 403
    assert _post(client, personas.coach, "pd:session_delete", session.pk).status_code == 403
    assert PDSession.objects.filter(pk=session.pk).exists()
    assert _post(client, personas.leader, "pd:session_delete", session.pk).status_code == 302
    assert not PDSession.objects.filter(pk=session.pk).exists()


def test_start_a_series_links_to_the_district_the_user_leads(client, personas):
    from districts.models import District, Membership, Role

    zeta = District.objects.create(name="Zeta", slug="zeta")  # Riverside, first by name, is where they teach
    Membership.objects.create(user=personas.teacher, district=zeta, role=Role.DISTRICT_LEADER)
    client.force_login(personas.teacher)
    page = client.get(reverse("pd:index")).content.decode()
    link = reverse("pd:series_add") + "?district=zeta"
    assert link in page
    assert client.get(link).status_code == 200

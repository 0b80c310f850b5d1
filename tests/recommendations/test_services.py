"""recommendations.services writes: keyword-only, validated before saving (a refused write leaves
nothing behind), and a refusal goes back onto the form the view re-displays."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommendations import services
from recommendations.models import FeedbackReport, Finding, Recommendation
from tests.cycles.factories import PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas):
    return services.report_create(district=personas.district, title="Feedback 2025–26", school_year=2025)


@pytest.fixture
def finding(report):
    return services.finding_add(report=report, text="Teachers rarely press on ideas.")


def test_findings_and_recommendations_are_numbered_in_order(report, finding):
    second = services.finding_add(report=report, text="Coaching is uneven.")
    assert (finding.order, second.order) == (1, 2)
    a = services.recommendation_add(finding=finding, text="Co-plan.", area="teacher_pd")
    b = services.recommendation_add(finding=finding, text="Observe.", area="coaching")
    assert (a.order, b.order) == (1, 2)


def test_the_services_take_keywords_only(report):
    with pytest.raises(TypeError):
        services.report_update(report, title="Positional")
    with pytest.raises(TypeError):
        services.report_update(report=report, district_id=99)  # not a field one changes


def test_a_meeting_before_delivery_is_refused_and_nothing_is_saved(personas):
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            district=personas.district,
            title="Backwards",
            school_year=2025,
            delivered_on=datetime.date(2026, 5, 20),
            meeting_on=datetime.date(2026, 5, 1),
        )
    assert "meeting_on" in exc.value.message_dict
    assert not FeedbackReport.objects.exists()


def test_a_refused_report_update_keeps_the_stored_report(report):
    with pytest.raises(ValidationError):
        services.report_update(report=report, title="", school_year=2025)
    report.refresh_from_db()
    assert report.title == "Feedback 2025–26"


def test_a_finding_without_text_is_refused(report):
    with pytest.raises(ValidationError):
        services.finding_add(report=report, text="")
    assert not Finding.objects.exists()


def test_implementation_without_uptake_is_refused_and_nothing_is_saved(finding):
    with pytest.raises(ValidationError) as exc:
        services.recommendation_add(finding=finding, text="Something.", area="assessment", implementation="successful")
    assert "implementation" in exc.value.message_dict
    assert not Recommendation.objects.exists()


def test_a_recommendation_carried_by_another_districts_priority_is_refused(personas, finding):
    mine, foreign = PriorityFactory(district=personas.district), PriorityFactory(district=personas.outsider_district)
    with pytest.raises(ValidationError) as exc:
        services.recommendation_add(finding=finding, text="Co-plan.", area="teacher_pd", priorities=[mine, foreign])
    assert "priorities" in exc.value.message_dict
    assert not Recommendation.objects.exists()
    rec = services.recommendation_add(finding=finding, text="Co-plan.", area="teacher_pd", priorities=[mine])
    assert list(rec.priorities.all()) == [mine]


def test_a_refused_recommendation_update_changes_nothing(personas, finding):
    mine = PriorityFactory(district=personas.district)
    rec = services.recommendation_add(finding=finding, text="Co-plan.", area="teacher_pd", priorities=[mine])
    with pytest.raises(ValidationError):
        services.recommendation_update(recommendation=rec, uptake="none", implementation="partial", priorities=[])
    rec = Recommendation.objects.get()
    assert (rec.uptake, rec.implementation) == ("", "")
    assert list(rec.priorities.all()) == [mine]


def test_recording_uptake_keeps_the_links_it_is_not_given(personas, finding):
    mine = PriorityFactory(district=personas.district)
    rec = services.recommendation_add(finding=finding, text="Co-plan.", area="teacher_pd", priorities=[mine])
    services.recommendation_update(recommendation=rec, uptake="complete", implementation="successful")
    rec = Recommendation.objects.get()
    assert (rec.uptake, rec.implementation) == ("complete", "successful")
    assert list(rec.priorities.all()) == [mine]


# --- the views hand service errors back to the form ----------------------------------------------


def test_the_report_form_refuses_a_meeting_before_delivery(client, personas, report):
    client.force_login(personas.leader)
    r = client.post(
        reverse("recommendations:report_edit", args=[report.pk]),
        {"title": "Typed", "school_year": 2025, "delivered_on": "2026-05-20", "meeting_on": "2026-05-01"},
    )
    assert r.status_code == 200 and "meeting_on" in r.context["form"].errors
    report.refresh_from_db()
    assert report.title == "Feedback 2025–26" and report.meeting_on is None


def test_a_service_refusal_redisplays_the_recommendation_form(client, personas, finding, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"text": "Say what to do."})

    monkeypatch.setattr(services, "recommendation_add", refuse)
    client.force_login(personas.leader)
    r = client.post(
        reverse("recommendations:recommendation_add", args=[finding.pk]), {"text": "Typed words", "area": "coaching"}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["text"] == ["Say what to do."]
    assert "Typed words" in r.content.decode()
    assert not Recommendation.objects.exists()

"""Feedback reports, recommendations and the uptake dashboard: access, forms and the CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from recommendations.models import FeedbackReport, Finding, Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas):
    report = FeedbackReport.objects.create(district=personas.district, school_year=2024, title="Feedback 2024–25")
    finding = Finding.objects.create(report=report, text="Coaching is uneven across schools.")
    Recommendation.objects.create(
        finding=finding, text="Focus coaching on discourse.", area="coaching", uptake="complete",
        implementation="successful", staff_expertise="yes",
    )  # fmt: skip
    Recommendation.objects.create(finding=finding, text="Adopt a new curriculum.", area="curriculum", uptake="none")
    return report


def _status(client, user, url, method="get", data=None):
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


VIEW = [("leader", 200), ("partner", 200), ("teacher", 403), ("coach", 200), ("principal", 200)]


@pytest.mark.parametrize(("who", "status"), VIEW)
@pytest.mark.parametrize(
    "name", ["recommendations:index", "recommendations:dashboard", "recommendations:dashboard_csv"]
)
def test_district_pages_are_for_leaders_partners_principals_and_coaches(client, personas, report, who, status, name):
    assert _status(client, getattr(personas, who), reverse(name)) == status


@pytest.mark.parametrize(("who", "status"), [*VIEW, ("outsider_leader", 404)])
def test_a_report_is_seen_by_all_but_teachers_and_outsiders(client, personas, report, who, status):
    assert _status(client, getattr(personas, who), reverse("recommendations:report", args=[report.pk])) == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 200), ("partner", 200), ("principal", 403), ("coach", 403), ("teacher", 403), ("outsider_leader", 404)],
)
def test_leaders_and_the_partnerships_researchers_edit_a_report(client, personas, report, who, status):
    assert _status(client, getattr(personas, who), reverse("recommendations:report_edit", args=[report.pk])) == status


def test_a_leader_records_a_report_finding_and_recommendation(client, personas):
    client.force_login(personas.leader)
    r = client.post(reverse("recommendations:report_add"), {"title": "Feedback 2025–26", "school_year": 2025})
    report = FeedbackReport.objects.get(title="Feedback 2025–26")
    assert r.status_code == 302 and report.district == personas.district
    client.post(reverse("recommendations:finding_add", args=[report.pk]), {"text": "Teachers rarely press on ideas."})
    finding = report.findings.get()
    r = client.post(
        reverse("recommendations:recommendation_add", args=[finding.pk]),
        {"text": "Co-plan discussions.", "area": "teacher_pd", "uptake": "partial", "implementation": "partial",
         "math_department": "yes"},
    )  # fmt: skip
    assert r.status_code == 302
    rec = finding.recommendations.get()
    assert (rec.uptake, rec.implementation, rec.math_department) == ("partial", "partial", "yes")
    page = client.get(reverse("recommendations:report", args=[report.pk]))
    assert b"Co-plan discussions." in page.content


def test_implementation_is_a_form_error_unless_taken_up(client, personas, report):
    client.force_login(personas.leader)
    finding = report.findings.get()
    r = client.post(
        reverse("recommendations:recommendation_add", args=[finding.pk]),
        {"text": "Something.", "area": "assessment", "uptake": "none", "implementation": "successful"},
    )
    assert r.status_code == 200
    assert "implementation" in r.context["form"].errors
    assert finding.recommendations.count() == 2


def test_deleting_a_report_asks_first(client, personas, report):
    client.force_login(personas.leader)
    assert client.get(reverse("recommendations:report_delete", args=[report.pk])).status_code == 200
    assert FeedbackReport.objects.filter(pk=report.pk).exists()
    client.post(reverse("recommendations:report_delete", args=[report.pk]))
    assert not FeedbackReport.objects.filter(pk=report.pk).exists()


def test_the_dashboard_shows_counts_beside_percentages(client, personas, report):
    client.force_login(personas.leader)
    r = client.get(reverse("recommendations:dashboard"))
    assert r.status_code == 200
    assert r.context["summary"].uptake.n == 2
    assert r.context["summary"].uptake.percent("complete") == 50
    assert b"largest-remainder" in r.content
    assert len(r.context["charts"]) == 5


def test_the_dashboard_has_an_empty_state(client, personas):
    client.force_login(personas.leader)
    r = client.get(reverse("recommendations:dashboard"))
    assert r.context["summary"].n == 0 and b"No recommendations" in r.content


def test_the_csv_export_has_the_dashboard_numbers(client, personas, report):
    client.force_login(personas.leader)
    r = client.get(reverse("recommendations:dashboard_csv"))
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "group", "category", "count", "n", "percent"]
    assert ["uptake", "all", "Completely", "1", "2", "50"] in rows
    assert ["uptake", "all", "Not taken up", "1", "2", "50"] in rows


def test_the_list_shows_the_yearly_calendar_and_report_status(client, personas, report):
    client.force_login(personas.leader)
    r = client.get(reverse("recommendations:index"))
    assert b"Analyze and write the feedback report" in r.content
    assert b"Uptake recorded" in r.content


def test_the_recommendation_form_offers_practices_as_a_checkbox_list(client, personas, report):
    client.force_login(personas.leader)
    finding = report.findings.first()
    html = client.get(reverse("recommendations:recommendation_add", args=[finding.pk])).content.decode()
    assert 'name="practices" value=' in html and 'type="checkbox" class="form-check-input"  name="practices"' in html
    assert '<select name="practices"' not in html

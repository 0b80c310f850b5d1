"""Importing recommendations from a CSV (all or nothing, idempotent), its command, the upload page,
and `uptake_summary` (the dashboard's figures as JSON)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from recommendations.importer import import_recommendations, parse_school_year
from recommendations.models import FeedbackReport, Finding, Recommendation

pytestmark = pytest.mark.django_db

HEADER = (
    "finding,recommendation,area,uptake,implementation,aligned_with_priorities,builds_on_initiative,"
    "authorizer_in_partnership,senior_leader_involved,staff_expertise,math_department"
)
GOOD = "\n".join(
    [
        HEADER,
        "Coaching is uneven.,Focus coaching on discourse.,coaching,complete,successful,yes,yes,,yes,yes,yes",
        "Coaching is uneven.,Give coaches a shared rubric.,Coaching,partial,,yes,no,,,,",
        "Teachers rarely press.,Adopt a new curriculum.,curriculum,none,,no,no,no,,,no",
        "Teachers rarely press.,Co-plan discussions.,Teacher professional development,,,,,,,,",
    ]
)


def test_parse_school_year():
    assert parse_school_year("2025-26") == 2025
    assert parse_school_year("2025–26") == 2025
    assert parse_school_year("1999-2000") == 1999
    for bad in ("2025-27", "2025", "26-27"):
        with pytest.raises(ValueError):
            parse_school_year(bad)


def test_a_good_file_creates_a_report_findings_and_recommendations(personas):
    result = import_recommendations(district=personas.district, school_year=2025, data=GOOD.encode())
    assert result.ok, result.errors
    report = FeedbackReport.objects.get(district=personas.district, school_year=2025)
    assert report.title == "Imported feedback report 2025–26" and result.report_created
    assert report.findings.count() == 2
    assert (result.findings.created, result.recommendations.created) == (2, 4)
    rec = Recommendation.objects.get(text="Focus coaching on discourse.")
    assert (rec.area, rec.uptake, rec.implementation) == ("coaching", "complete", "successful")
    assert (rec.aligned_with_priorities, rec.authorizer_in_partnership, rec.math_department) == ("yes", "", "yes")
    assert Recommendation.objects.get(text="Give coaches a shared rubric.").area == "coaching"
    assert Recommendation.objects.get(text="Co-plan discussions.").area == "teacher_pd"
    assert Recommendation.objects.get(text="Co-plan discussions.").uptake == ""


def test_rows_go_into_the_latest_report_of_the_year(personas):
    FeedbackReport.objects.create(district=personas.district, school_year=2025, title="Older")
    latest = FeedbackReport.objects.create(district=personas.district, school_year=2025, title="Latest")
    FeedbackReport.objects.create(district=personas.district, school_year=2024, title="Last year")
    result = import_recommendations(district=personas.district, school_year=2025, data=GOOD)
    assert result.report == latest and not result.report_created
    assert latest.findings.count() == 2 and FeedbackReport.objects.count() == 3


def test_every_bad_row_is_reported_and_nothing_is_written(personas):
    bad = "\n".join(
        [
            HEADER,
            "Coaching is uneven.,Focus coaching on discourse.,coaching,complete,successful,yes,yes,,yes,yes,yes",
            "A finding.,A rec.,x,complete,,,,,,,",
            "A finding.,Another rec.,coaching,none,successful,,,,,,",
            "A finding.,Third rec.,coaching,maybe,,perhaps,,,,,",
            ",,coaching,,,,,,,,",
            "Coaching is uneven.,Focus coaching on discourse.,coaching,,,,,,,,",
        ]
    )
    result = import_recommendations(district=personas.district, school_year=2025, data=bad)
    assert not result.ok
    reasons = {e.line: e.reason for e in result.errors}
    assert reasons[3] == "unknown area 'x'"
    assert reasons[4] == "implementation given but uptake is none"
    assert "unknown uptake 'maybe'" in reasons[5] and "unknown aligned_with_priorities 'perhaps'" in reasons[5]
    assert "finding is empty" in reasons[6] and "recommendation is empty" in reasons[6]
    assert reasons[7] == "same finding and recommendation as line 2"
    assert 2 not in reasons
    assert not FeedbackReport.objects.exists() and not Finding.objects.exists()
    assert "nothing was imported" in result.summary()


def test_missing_columns_and_empty_files_are_errors(personas):
    result = import_recommendations(district=personas.district, school_year=2025, data="finding,recommendation\n")
    assert [(e.line, e.reason[:17]) for e in result.errors] == [(1, "Missing column(s)")]
    assert import_recommendations(district=personas.district, school_year=2025, data="").errors[0].line == 1
    assert not import_recommendations(district=personas.district, school_year=2025, data=HEADER).ok
    assert not FeedbackReport.objects.exists()


def test_reimporting_the_same_file_creates_nothing_and_updates_in_place(personas):
    import_recommendations(district=personas.district, school_year=2025, data=GOOD)
    again = import_recommendations(district=personas.district, school_year=2025, data=GOOD)
    assert again.ok and (again.recommendations.created, again.recommendations.unchanged) == (0, 4)
    assert (FeedbackReport.objects.count(), Finding.objects.count(), Recommendation.objects.count()) == (1, 2, 4)
    changed = GOOD.replace("Adopt a new curriculum.,curriculum,none", "Adopt a new curriculum.,curriculum,partial")
    third = import_recommendations(district=personas.district, school_year=2025, data=changed)
    assert (third.recommendations.created, third.recommendations.updated) == (0, 1)
    assert Recommendation.objects.get(text="Adopt a new curriculum.").uptake == "partial"
    assert Recommendation.objects.count() == 4


def test_a_dry_run_saves_nothing(personas):
    result = import_recommendations(district=personas.district, school_year=2025, data=GOOD, dry_run=True)
    assert result.ok and result.recommendations.created == 4
    assert not FeedbackReport.objects.exists()


# --- the commands ---------------------------------------------------------------------------


def test_the_import_command(personas, tmp_path, capsys):
    path = tmp_path / "recs.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_recommendations", str(path), "--district", "riverside", "--year", "2025-26")
    assert "Recommendations: 4 created" in capsys.readouterr().out
    assert Recommendation.objects.filter(finding__report__school_year=2025).count() == 4
    call_command("import_recommendations", str(path), "--district", "riverside", "--year", "2025-26")
    assert Recommendation.objects.count() == 4


def test_the_import_command_fails_with_the_row_errors(personas, tmp_path, capsys):
    path = tmp_path / "recs.csv"
    path.write_text(HEADER + "\nA.,B.,x,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_recommendations", str(path), "--district", "riverside", "--year", "2025-26")
    assert "line 2: unknown area 'x'" in capsys.readouterr().err
    with pytest.raises(CommandError, match="2026"):
        call_command("import_recommendations", str(path), "--district", "riverside", "--year", "2025-27")
    with pytest.raises(CommandError, match="No district"):
        call_command("import_recommendations", str(path), "--district", "nowhere", "--year", "2025-26")
    assert not Recommendation.objects.exists()


def test_the_import_command_exits_1(personas, tmp_path):
    path = tmp_path / "recs.csv"
    path.write_text(HEADER + "\nA.,B.,x,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        from django.core.management import ManagementUtility

        ManagementUtility(
            ["manage.py", "import_recommendations", str(path), "--district", "riverside", "--year", "2025-26"]
        ).execute()
    assert exc.value.code == 1


def test_uptake_summary_prints_the_dashboards_figures(client, personas, capsys):
    import_recommendations(district=personas.district, school_year=2025, data=GOOD)
    call_command("uptake_summary", "--district", "riverside")
    data = json.loads(capsys.readouterr().out)
    assert data["district"] == "riverside" and data["year"] == "all" and data["n"] == 4
    shares = {s["key"]: s for s in data["uptake"]["shares"]}
    assert data["uptake"]["n"] == 3 and data["unknown_uptake"] == 1
    assert (shares["complete"]["count"], shares["complete"]["percent"]) == (1, 34)  # largest remainder
    assert sum(s["percent"] for s in shares.values()) == 100
    assert data["implementation"]["n"] == 2
    aligned = next(f for f in data["factors"] if f["factor"] == "aligned_with_priorities")
    assert aligned["uptake_yes"] == {"count": 2, "n": 2, "percent": 100}
    assert aligned["uptake_no"] == {"count": 0, "n": 1, "percent": 0}

    client.force_login(personas.leader)
    dashboard = client.get(reverse("recommendations:dashboard")).context["summary"]
    assert dashboard.uptake.percent("complete") == shares["complete"]["percent"]
    assert dashboard.factors[0].uptake_yes.n == aligned["uptake_yes"]["n"]

    call_command("uptake_summary", "--district", "riverside", "--year", "2024-25")
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == "2024–25" and data["n"] == 0 and data["uptake"]["shares"][0]["percent"] is None
    with pytest.raises(CommandError):
        call_command("uptake_summary", "--district", "riverside", "--year", "2024-26")


# --- the upload page ------------------------------------------------------------------------


def _upload(content: str):
    return SimpleUploadedFile("recs.csv", content.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 200), ("partner", 200), ("principal", 403), ("coach", 403), ("teacher", 403)],
)
def test_the_upload_page_is_for_leaders_and_partners(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("recommendations:import")).status_code == status


def test_the_upload_page_of_another_district_is_not_found(client, personas):
    client.force_login(personas.outsider_leader)
    assert client.get(reverse("recommendations:import") + "?district=riverside").status_code == 404
    r = client.post(
        reverse("recommendations:import") + "?district=riverside",
        {"school_year": 2025, "file": _upload(GOOD)},
    )
    assert r.status_code == 404 and not Recommendation.objects.exists()


def test_a_leader_uploads_a_file(client, personas):
    client.force_login(personas.leader)
    assert b"Import from CSV" in client.get(reverse("recommendations:index")).content
    r = client.post(reverse("recommendations:import"), {"school_year": 2025, "file": _upload(GOOD)}, follow=True)
    report = FeedbackReport.objects.get(school_year=2025)
    assert r.redirect_chain[-1][0] == report.get_absolute_url()
    assert "4 recommendations added" in r.content.decode()
    assert Recommendation.objects.count() == 4


def test_an_upload_with_bad_rows_shows_them_all(client, personas):
    client.force_login(personas.leader)
    bad = HEADER + "\nA.,B.,x,,,,,,,,\nA.,C.,coaching,none,partial,,,,,,\n"
    r = client.post(reverse("recommendations:import"), {"school_year": 2025, "file": _upload(bad)})
    assert r.status_code == 200
    page = r.content.decode()
    assert "Nothing was imported." in page
    assert "unknown area &#x27;x&#x27;" in page and "implementation given but uptake is none" in page
    assert not FeedbackReport.objects.exists()


@pytest.mark.parametrize(
    ("written", "area"),
    [
        ("teacher PD", "teacher_pd"),
        ("Teacher-PD.", "teacher_pd"),
        ("teacher collaboration", "collaboration"),
        ("TEACHER  COLLABORATION", "collaboration"),
        ("supports for struggling students", "struggling_students"),
        ("Supports for struggling-students", "struggling_students"),
        ("struggling students", "struggling_students"),
        ("teacher professional development", "teacher_pd"),
    ],
)
def test_areas_are_read_as_people_write_them(personas, written, area):
    data = f"finding,recommendation,area,uptake,implementation\nF.,R.,{written},,\n"
    result = import_recommendations(district=personas.district, school_year=2025, data=data)
    assert result.ok, result.errors
    assert Recommendation.objects.get(text="R.").area == area


def test_an_unknown_area_is_still_refused(personas):
    data = "finding,recommendation,area,uptake,implementation\nF.,R.,teacher happiness,,\n"
    result = import_recommendations(district=personas.district, school_year=2025, data=data)
    assert not result.ok and "unknown area 'teacher happiness'" in result.errors[0].reason


def test_a_file_without_the_factor_columns_is_accepted_and_they_mean_unknown(personas):
    data = "finding,recommendation,area,uptake,implementation\nF.,R.,coaching,complete,successful\n"
    result = import_recommendations(district=personas.district, school_year=2025, data=data)
    assert result.ok, result.errors
    rec = Recommendation.objects.get(text="R.")
    assert (rec.uptake, rec.implementation, rec.aligned_with_priorities, rec.math_department) == (
        "complete", "successful", "", "",
    )  # fmt: skip


def test_a_file_without_the_factor_columns_leaves_known_factors_alone(personas):
    import_recommendations(district=personas.district, school_year=2025, data=GOOD)
    data = (
        "finding,recommendation,area,uptake,implementation\n"
        "Coaching is uneven.,Focus coaching on discourse.,coaching,complete,partial\n"
    )
    result = import_recommendations(district=personas.district, school_year=2025, data=data)
    assert result.ok and result.recommendations.updated == 1
    rec = Recommendation.objects.get(text="Focus coaching on discourse.")
    assert (rec.implementation, rec.aligned_with_priorities, rec.math_department) == ("partial", "yes", "yes")


def test_a_file_without_the_uptake_column_is_still_refused(personas):
    data = "finding,recommendation,area,implementation\nF.,R.,coaching,\n"
    result = import_recommendations(district=personas.district, school_year=2025, data=data)
    assert not result.ok and "Missing column(s): uptake" in result.errors[0].reason

"""districts.roster and manage.py import_roster: all-or-nothing, idempotent roster import."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from districts.models import Classroom, Membership, Role, School, User
from districts.roster import RosterPlan, RowError, import_roster

FIXTURES = Path(__file__).parent / "fixtures"
ONEROSTER = FIXTURES / "oneroster"
YEAR = 2026


def read(name: str) -> dict[str, bytes]:
    return {name: (FIXTURES / name).read_bytes()}


def bundle(**replace: str) -> dict[str, bytes]:
    files = {path.name: path.read_bytes() for path in ONEROSTER.glob("*.csv")}
    files.update({f"{name}.csv": text.encode() for name, text in replace.items()})
    return files


def zipped(files: dict[str, bytes], folder: str = "export/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(folder + name, content)
    return buffer.getvalue()


def snapshot():
    """Everything an import may write, to show that nothing changed."""
    return (
        list(User.objects.order_by("pk").values_list("email", "full_name", "is_active")),
        list(School.objects.order_by("pk").values_list("district_id", "name", "external_id")),
        list(Membership.objects.order_by("pk").values_list("user_id", "district_id", "school_id", "role")),
        list(Classroom.objects.order_by("pk").values_list("school_id", "teacher_id", "name", "grade", "period")),
    )


def tally(result) -> dict[str, tuple[int, int, int]]:
    return {label: (t.created, t.updated, t.unchanged) for label, t in result.tallies()}


@pytest.mark.django_db
class TestSimpleCsv:
    def test_it_imports_schools_teachers_roles_and_classrooms(self, personas):
        result = import_roster(district=personas.district, files=read("simple_roster.csv"), school_year=YEAR)

        assert result.ok, result.errors
        assert result.format == "simple"
        assert tally(result) == {
            "Schools": (1, 0, 1),  # Adams Middle already exists (matched by name); Carver Middle is new
            "Teachers": (3, 0, 0),
            "Teacher roles": (3, 0, 0),
            "Classrooms": (4, 0, 0),
        }
        carver = School.objects.get(district=personas.district, name="Carver Middle")
        chloe = User.objects.get(email="chloe.park@example.org")  # emails are stored lower-case
        assert chloe.full_name == "Chloe Park"
        assert not chloe.has_usable_password()
        assert Membership.objects.filter(user=chloe, district=personas.district, school=carver, role=Role.TEACHER)
        ana = User.objects.get(email="ana.ruiz@example.org")
        rooms = Classroom.objects.filter(teacher=ana).order_by("name")
        assert [(r.school, r.name, r.grade, r.period, r.school_year) for r in rooms] == [
            (personas.school, "Math 7A", "7", "1", YEAR),
            (personas.school, "Math 7B", "7", "2", YEAR),
        ]

    def test_re_importing_the_same_file_changes_nothing(self, personas):
        import_roster(district=personas.district, files=read("simple_roster.csv"), school_year=YEAR)
        before = snapshot()

        result = import_roster(district=personas.district, files=read("simple_roster.csv"), school_year=YEAR)

        assert result.ok
        assert not result.changed
        assert tally(result) == {
            "Schools": (0, 0, 2),
            "Teachers": (0, 0, 3),
            "Teacher roles": (0, 0, 3),
            "Classrooms": (0, 0, 4),
        }
        assert snapshot() == before

    def test_a_changed_file_updates_in_place(self, personas):
        import_roster(district=personas.district, files=read("simple_roster.csv"), school_year=YEAR)
        ana = User.objects.get(email="ana.ruiz@example.org")
        math_7b = Classroom.objects.get(teacher=ana, name="Math 7B")

        result = import_roster(district=personas.district, files=read("simple_roster_changed.csv"), school_year=YEAR)

        assert result.ok, result.errors
        assert tally(result)["Teachers"] == (0, 1, 2)
        assert tally(result)["Classrooms"] == (1, 1, 3)
        ana.refresh_from_db()
        math_7b.refresh_from_db()
        assert ana.full_name == "Ana Ruiz-Díaz"
        assert math_7b.period == "5"
        assert User.objects.filter(email__startswith="ana.ruiz").count() == 1
        assert Classroom.objects.filter(name="Math 8 Honors", period="6").exists()

    def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(self, personas):
        before = snapshot()

        result = import_roster(district=personas.district, files=read("simple_roster_bad.csv"), school_year=YEAR)

        assert not result.ok
        assert [(e.file, e.line) for e in result.errors] == [
            ("simple_roster_bad.csv", 3),
            ("simple_roster_bad.csv", 4),
            ("simple_roster_bad.csv", 6),  # line 5 is blank, and still counted as a spreadsheet counts it
            ("simple_roster_bad.csv", 7),
        ]
        reasons = [e.reason for e in result.errors]
        assert reasons[0] == "School is empty."
        assert "not-an-email" in reasons[1] and "not a valid email" in reasons[1]
        assert reasons[2] == "Repeats the classroom on line 2."
        assert reasons[3] == "Period is longer than 20 characters."
        assert snapshot() == before

    def test_a_missing_column_is_reported_on_the_header_line(self, personas):
        result = import_roster(
            district=personas.district, files=read("simple_roster_missing_column.csv"), school_year=YEAR
        )

        assert result.errors == [RowError("simple_roster_missing_column.csv", 1, "Missing column(s): period.")]

    def test_a_dry_run_counts_but_writes_nothing(self, personas):
        before = snapshot()

        result = import_roster(
            district=personas.district, files=read("simple_roster.csv"), school_year=YEAR, dry_run=True
        )

        assert result.ok and result.dry_run
        assert tally(result)["Classrooms"] == (4, 0, 0)
        assert snapshot() == before

    def test_it_reads_a_windows_excel_export(self, personas):
        text = "school,teacher_email,teacher_name,classroom,grade,period\r\nAdams,jo@example.org,José Núñez,M6,6,1\r\n"

        result = import_roster(district=personas.district, files={"excel.csv": text.encode("cp1252")}, school_year=YEAR)

        assert result.ok, result.errors
        assert User.objects.get(email="jo@example.org").full_name == "José Núñez"

    def test_it_does_not_rename_an_account_another_district_manages(self, personas):
        text = (
            "school,teacher_email,teacher_name,classroom,grade,period\n"
            "Adams Middle,outsider_teacher@example.org,Someone Else,Math 6,6,1\n"
        )

        result = import_roster(district=personas.district, files={"r.csv": text}, school_year=YEAR)

        assert result.ok
        personas.outsider_teacher.refresh_from_db()
        assert personas.outsider_teacher.full_name == "Outsider Teacher"
        assert any("outsider_teacher@example.org" in w for w in result.warnings)


@pytest.mark.django_db
class TestOneRoster:
    def test_it_imports_teachers_and_their_classes_and_never_students(self, personas):
        users_before = User.objects.count()

        result = import_roster(district=personas.district, files=bundle(), school_year=YEAR)

        assert result.ok, result.errors
        assert result.format == "oneroster"
        assert User.objects.count() == users_before + 2
        assert not User.objects.filter(email__icontains="student").exists()
        assert not User.objects.filter(email="pat.parent@example.com").exists()
        assert result.skipped == {
            "student": 2,
            "guardian": 1,
            "student enrollment": 3,
            "class without a teacher": 1,
        }
        # Adams Middle is matched by name and takes its sourcedId; Carver Middle is new.
        adams = School.objects.get(pk=personas.school.pk)
        assert adams.external_id == "s-adams"
        assert tally(result)["Schools"] == (1, 1, 0)
        ben = User.objects.get(email="ben.okafor@example.org")
        assert ben.full_name == "Ben Okafor"
        room = Classroom.objects.get(teacher=ben)
        assert (room.name, room.grade, room.period, room.external_id, room.school.name) == (
            "Math 8",
            "08",
            "3",
            "c-2",
            "Carver Middle",
        )
        assert list(Membership.objects.filter(user=ben).values_list("school__name", "role")) == [
            ("Carver Middle", Role.TEACHER)
        ]

    def test_the_plan_kept_between_preview_and_import_holds_no_student_data(self, personas):
        from districts.roster import parse_roster

        plan, errors = parse_roster(bundle())

        assert not errors
        text = str(plan.to_data())
        for student in ("st-1", "st-2", "Sam", "Learner", "students.example.org"):
            assert student not in text
        assert RosterPlan.from_data(plan.to_data()) == plan

    def test_re_importing_a_bundle_changes_nothing(self, personas):
        import_roster(district=personas.district, files=bundle(), school_year=YEAR)
        before = snapshot()

        result = import_roster(district=personas.district, files=bundle(), school_year=YEAR)

        assert result.ok and not result.changed
        assert snapshot() == before

    def test_a_changed_bundle_updates_schools_and_classes_by_sourced_id(self, personas):
        import_roster(district=personas.district, files=bundle(), school_year=YEAR)
        carver = School.objects.get(external_id="s-carver")
        math_8 = Classroom.objects.get(external_id="c-2")
        orgs = (ONEROSTER / "orgs.csv").read_text().replace("Carver Middle", "Carver Academy")
        classes = (ONEROSTER / "classes.csv").read_text().replace("c-2,,,Math 8,08", "c-2,,,Math 8 Honors,08")

        result = import_roster(district=personas.district, files=bundle(orgs=orgs, classes=classes), school_year=YEAR)

        assert result.ok, result.errors
        carver.refresh_from_db()
        math_8.refresh_from_db()
        assert carver.name == "Carver Academy"
        assert math_8.name == "Math 8 Honors"
        assert tally(result)["Schools"] == (0, 1, 1)
        assert tally(result)["Classrooms"] == (0, 1, 1)

    def test_bad_rows_in_every_file_are_reported_and_nothing_is_written(self, personas):
        before = snapshot()
        users = (ONEROSTER / "users.csv").read_text().replace("ana.ruiz@example.org", "ana.ruiz-at-example")
        classes = (ONEROSTER / "classes.csv").read_text().replace("scheduled,,s-carver", "scheduled,,s-nowhere")
        enrollments = (ONEROSTER / "enrollments.csv").read_text() + "e-6,,,c-9,s-adams,t-1,teacher,false,,\n"

        result = import_roster(
            district=personas.district,
            files=bundle(users=users, classes=classes, enrollments=enrollments),
            school_year=YEAR,
        )

        # Rows that only refer to a rejected teacher or class (enrollments lines 2 and 3) are not
        # reported again: the cause is.
        assert [(e.file, e.line) for e in result.errors] == [
            ("users.csv", 2),
            ("classes.csv", 3),
            ("enrollments.csv", 7),
        ]
        assert "not a valid email" in result.errors[0].reason
        assert result.errors[1].reason == "Unknown school sourcedId “s-nowhere”."
        assert result.errors[2].reason == "Unknown class sourcedId “c-9”."
        assert snapshot() == before

    def test_a_bundle_missing_a_file_is_refused(self, personas):
        files = bundle()
        del files["enrollments.csv"]

        result = import_roster(district=personas.district, files=files, school_year=YEAR)

        assert result.errors == [RowError("enrollments.csv", None, "Missing from the OneRoster bundle.")]

    def test_a_co_taught_class_goes_to_its_primary_teacher_and_same_titles_are_told_apart(self, personas):
        classes = (
            ONEROSTER / "classes.csv"
        ).read_text() + "c-4,,,Math 7A,07,co-7,M7A2,scheduled,,s-adams,term-1,Math,,2\n"
        enrollments = (ONEROSTER / "enrollments.csv").read_text() + (
            "e-6,,,c-2,s-carver,t-1,teacher,false,,\ne-7,,,c-4,s-adams,t-1,teacher,true,,\n"
        )

        result = import_roster(
            district=personas.district, files=bundle(classes=classes, enrollments=enrollments), school_year=YEAR
        )

        assert result.ok, result.errors
        assert Classroom.objects.get(external_id="c-2").teacher.email == "ben.okafor@example.org"
        assert Classroom.objects.get(external_id="c-4").name == "Math 7A (period 2)"
        ana = User.objects.get(email="ana.ruiz@example.org")
        assert set(ana.memberships.values_list("school__name", flat=True)) == {"Adams Middle", "Carver Middle"}
        assert any("more than one teacher" in w for w in result.warnings)

    def test_a_zip_of_the_bundle_imports_like_its_files(self, personas):
        result = import_roster(district=personas.district, files={"roster.zip": zipped(bundle())}, school_year=YEAR)

        assert result.ok, result.errors
        assert result.format == "oneroster"
        assert Classroom.objects.filter(external_id="c-1", teacher__email="ana.ruiz@example.org").exists()

    def test_a_broken_zip_is_reported(self, personas):
        result = import_roster(district=personas.district, files={"roster.zip": b"not a zip"}, school_year=YEAR)

        assert len(result.errors) == 1
        assert result.errors[0].file == "roster.zip"


@pytest.mark.django_db
class TestCommand:
    def test_it_imports_and_prints_the_counts(self, personas):
        out = io.StringIO()

        call_command(
            "import_roster", str(FIXTURES / "simple_roster.csv"), district="riverside", school_year=YEAR, stdout=out
        )

        assert "Classrooms: 4 created, 0 updated, 0 unchanged" in out.getvalue()
        assert Classroom.objects.filter(school_year=YEAR, teacher__email="ben.okafor@example.org").count() == 1

    def test_it_takes_the_files_of_a_bundle(self, personas):
        out = io.StringIO()
        paths = [str(ONEROSTER / name) for name in ("orgs.csv", "users.csv", "classes.csv", "enrollments.csv")]

        call_command("import_roster", *paths, district="riverside", school_year=YEAR, stdout=out)

        assert "Ignored 2 student row(s)." in out.getvalue()
        assert User.objects.filter(email="ana.ruiz@example.org").exists()

    def test_a_dry_run_saves_nothing(self, personas):
        before = snapshot()
        out = io.StringIO()

        call_command(
            "import_roster", str(FIXTURES / "simple_roster.csv"), district="riverside", dry_run=True, stdout=out
        )

        assert out.getvalue().startswith("Dry run")
        assert snapshot() == before

    def test_it_fails_with_the_row_errors(self, personas):
        err = io.StringIO()

        with pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_roster", str(FIXTURES / "simple_roster_bad.csv"), district="riverside", stderr=err)

        assert "simple_roster_bad.csv, line 3: School is empty." in err.getvalue()
        assert "line 7" in err.getvalue()

    def test_an_unknown_district_is_an_error(self, personas):
        with pytest.raises(CommandError, match="No district"):
            call_command("import_roster", str(FIXTURES / "simple_roster.csv"), district="nowhere")

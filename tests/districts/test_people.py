"""People pages and roster upload for district leaders: allowed role, other roles, other district."""

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from districts.models import Classroom, CoachAssignment, Membership, Role, User
from districts.views import ROSTER_PREVIEW
from tests.factories import MembershipFactory, UserFactory, current_school_year

FIXTURES = Path(__file__).parent / "fixtures"


def upload(name: str, content: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content if content is not None else (FIXTURES / name).read_bytes())


@pytest.fixture
def leader_client(client, personas):
    client.force_login(personas.leader)
    return client


@pytest.mark.django_db
class TestPeopleList:
    def test_a_leader_sees_everyone_in_the_district(self, leader_client, personas):
        response = leader_client.get(reverse("districts:people"))

        assert response.status_code == 200
        names = {p.full_name for p in response.context["page"].object_list}
        assert {"Teacher", "Coach", "Principal B", "Partner"} <= names
        assert "Outsider Teacher" not in names

    def test_it_searches_by_name_or_email(self, leader_client, personas):
        response = leader_client.get(reverse("districts:people"), {"q": "principal_b@"})

        assert [p.full_name for p in response.context["page"].object_list] == ["Principal B"]

    def test_it_filters_by_role_and_school(self, leader_client, personas):
        teachers = leader_client.get(reverse("districts:people"), {"role": Role.TEACHER})
        at_b = leader_client.get(reverse("districts:people"), {"role": Role.TEACHER, "school": personas.school_b.pk})

        assert {p.full_name for p in teachers.context["page"].object_list} == {"Teacher", "Other Teacher", "Teacher B"}
        assert [p.full_name for p in at_b.context["page"].object_list] == ["Teacher B"]

    def test_it_filters_deactivated_people(self, leader_client, personas):
        personas.teacher_b.is_active = False
        personas.teacher_b.save()

        response = leader_client.get(reverse("districts:people"), {"status": "inactive"})

        assert [p.full_name for p in response.context["page"].object_list] == ["Teacher B"]

    def test_it_shows_an_empty_state_when_nothing_matches(self, leader_client, personas):
        response = leader_client.get(reverse("districts:people"), {"q": "nobody-like-this"})

        assert b"No one matches these filters" in response.content

    def test_its_query_count_does_not_grow_with_people(self, leader_client, personas, django_assert_max_num_queries):
        for _ in range(15):
            MembershipFactory(user=UserFactory(), district=personas.district, school=personas.school)

        with django_assert_max_num_queries(8):
            response = leader_client.get(reverse("districts:people"))

        assert response.status_code == 200

    @pytest.mark.parametrize("name", ["teacher", "coach", "principal", "partner"])
    def test_other_roles_are_refused(self, client, personas, name):
        client.force_login(getattr(personas, name))

        assert client.get(reverse("districts:people")).status_code == 403


@pytest.mark.django_db
class TestPersonAdd:
    def test_a_leader_adds_a_person_with_a_role_and_no_email_is_sent(self, leader_client, personas, mailoutbox):
        response = leader_client.post(
            reverse("districts:person_add"),
            {
                "email": " New.Coach@Example.org ",
                "full_name": "New Coach",
                "role": Role.COACH,
                "school": personas.school.pk,
            },
        )

        person = User.objects.get(email="new.coach@example.org")
        assert response.status_code == 302
        assert response["Location"] == reverse("districts:person", args=[person.pk])
        assert person.full_name == "New Coach"
        assert not person.has_usable_password()
        assert list(person.memberships.values_list("district", "school", "role")) == [
            (personas.district.pk, personas.school.pk, Role.COACH)
        ]
        assert mailoutbox == []

    def test_a_principal_needs_a_school_and_the_form_keeps_what_was_typed(self, leader_client, personas):
        response = leader_client.post(
            reverse("districts:person_add"),
            {"email": "pat@example.org", "full_name": "Pat Lee", "role": Role.PRINCIPAL},
        )

        assert response.status_code == 200
        assert response.context["form"].errors["school"] == ["A principal needs a school."]
        assert b'value="pat@example.org"' in response.content
        assert not User.objects.filter(email="pat@example.org").exists()

    def test_someone_already_in_the_district_is_refused(self, leader_client, personas):
        response = leader_client.post(
            reverse("districts:person_add"),
            {"email": "teacher@example.org", "full_name": "Again", "role": Role.COACH, "school": personas.school.pk},
        )

        assert "already holds a role" in response.context["form"].errors["email"][0]

    def test_an_existing_account_from_elsewhere_gets_the_role_but_keeps_its_name(self, leader_client, personas):
        leader_client.post(
            reverse("districts:person_add"),
            {"email": "outsider_teacher@example.org", "full_name": "Renamed", "role": Role.TEACHER},
        )

        personas.outsider_teacher.refresh_from_db()
        assert personas.outsider_teacher.full_name == "Outsider Teacher"
        assert Membership.objects.filter(user=personas.outsider_teacher, district=personas.district).exists()

    @pytest.mark.parametrize("name", ["teacher", "coach", "principal"])
    def test_other_roles_are_refused(self, client, personas, name):
        client.force_login(getattr(personas, name))

        assert client.get(reverse("districts:person_add")).status_code == 403

    def test_a_leader_of_another_district_gets_404(self, client, personas):
        client.force_login(personas.outsider_leader)

        assert client.get(reverse("districts:person_add"), {"district": "riverside"}).status_code == 404


@pytest.mark.django_db
class TestPersonPage:
    def test_a_leader_sees_roles_classrooms_and_coaches(self, leader_client, personas):
        response = leader_client.get(reverse("districts:person", args=[personas.teacher.pk]))

        assert response.status_code == 200
        assert list(response.context["classrooms"]) == [personas.classroom]
        assert [a.coach for a in response.context["coaches"]] == [personas.coach]
        assert b"Math 7A" in response.content

    def test_a_leader_edits_the_name(self, leader_client, personas):
        response = leader_client.post(
            reverse("districts:person_edit", args=[personas.teacher.pk]), {"full_name": "Terry Teacher"}
        )

        personas.teacher.refresh_from_db()
        assert response.status_code == 302
        assert personas.teacher.full_name == "Terry Teacher"

    def test_a_leader_adds_and_removes_a_role(self, leader_client, personas):
        url = reverse("districts:membership_add", args=[personas.teacher.pk])

        response = leader_client.post(url, {"role": Role.COACH, "school": personas.school_b.pk})

        assert response.status_code == 302
        membership = Membership.objects.get(user=personas.teacher, role=Role.COACH)
        assert membership.school == personas.school_b

        leader_client.post(reverse("districts:membership_remove", args=[personas.teacher.pk, membership.pk]))

        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_adding_a_role_they_hold_shows_the_error_on_the_page(self, leader_client, personas):
        response = leader_client.post(
            reverse("districts:membership_add", args=[personas.leader.pk]), {"role": Role.DISTRICT_LEADER}
        )

        assert response.status_code == 400
        assert "They already hold this role here." in response.context["role_form"].errors["role"]

    def test_a_persons_only_role_cannot_be_removed(self, leader_client, personas):
        only = personas.teacher_b.memberships.get()

        leader_client.post(reverse("districts:membership_remove", args=[personas.teacher_b.pk, only.pk]))

        assert Membership.objects.filter(pk=only.pk).exists()

    def test_removing_a_role_needs_a_post(self, leader_client, personas):
        membership = personas.coach.memberships.get()

        response = leader_client.get(reverse("districts:membership_remove", args=[personas.coach.pk, membership.pk]))

        assert response.status_code == 405

    def test_another_districts_role_cannot_be_removed_through_a_shared_person(self, leader_client, personas):
        outside = MembershipFactory(user=personas.teacher, district=personas.outsider_district, role=Role.TEACHER)

        response = leader_client.post(reverse("districts:membership_remove", args=[personas.teacher.pk, outside.pk]))

        assert response.status_code == 404
        assert Membership.objects.filter(pk=outside.pk).exists()

    def test_a_leader_sets_a_coachs_teachers_for_this_year(self, leader_client, personas):
        url = reverse("districts:person_coaching", args=[personas.coach.pk])

        response = leader_client.post(url, {"teachers": [personas.other_teacher.pk, personas.teacher_b.pk]})

        assert response.status_code == 302
        year = current_school_year(personas.district)
        assert set(
            CoachAssignment.objects.filter(coach=personas.coach, school_year=year).values_list("teacher", flat=True)
        ) == {personas.other_teacher.pk, personas.teacher_b.pk}

    def test_only_a_coach_has_teachers_to_choose(self, leader_client, personas):
        response = leader_client.get(reverse("districts:person_coaching", args=[personas.teacher.pk]))

        assert response.status_code == 302

    @pytest.mark.parametrize("name", ["teacher", "coach", "principal", "partner"])
    def test_other_roles_are_refused(self, client, personas, name):
        client.force_login(getattr(personas, name))

        for url_name in ("person", "person_edit", "person_coaching", "person_deactivate"):
            assert client.get(reverse(f"districts:{url_name}", args=[personas.teacher_b.pk])).status_code == 403

    def test_a_leader_of_another_district_gets_404(self, client, personas):
        client.force_login(personas.outsider_leader)

        for url_name in ("person", "person_edit", "person_coaching", "person_deactivate", "membership_add"):
            response = client.post(reverse(f"districts:{url_name}", args=[personas.teacher.pk]), {"full_name": "X"})
            assert response.status_code == 404
        personas.teacher.refresh_from_db()
        assert personas.teacher.full_name == "Teacher" and personas.teacher.is_active

    def test_an_account_shared_with_another_district_keeps_its_name_and_status(self, leader_client, personas):
        MembershipFactory(user=personas.teacher, district=personas.outsider_district, role=Role.TEACHER)

        assert leader_client.get(reverse("districts:person_edit", args=[personas.teacher.pk])).status_code == 403
        assert leader_client.post(reverse("districts:person_deactivate", args=[personas.teacher.pk])).status_code == 403
        personas.teacher.refresh_from_db()
        assert personas.teacher.is_active


@pytest.mark.django_db
class TestDeactivation:
    def test_it_asks_for_confirmation_first(self, leader_client, personas):
        response = leader_client.get(reverse("districts:person_deactivate", args=[personas.teacher.pk]))

        assert response.status_code == 200
        assert b"Deactivate Teacher?" in response.content
        personas.teacher.refresh_from_db()
        assert personas.teacher.is_active

    def test_a_post_deactivates_and_keeps_everything(self, leader_client, personas):
        response = leader_client.post(reverse("districts:person_deactivate", args=[personas.teacher.pk]))

        assert response.status_code == 302
        personas.teacher.refresh_from_db()
        assert not personas.teacher.is_active
        assert personas.teacher.memberships.exists()
        assert Classroom.objects.filter(pk=personas.classroom.pk).exists()

    def test_a_deactivated_person_can_be_reactivated(self, leader_client, personas):
        personas.teacher.is_active = False
        personas.teacher.save()

        leader_client.post(reverse("districts:person_reactivate", args=[personas.teacher.pk]))

        personas.teacher.refresh_from_db()
        assert personas.teacher.is_active

    def test_a_leader_cannot_deactivate_themselves(self, leader_client, personas):
        leader_client.post(reverse("districts:person_deactivate", args=[personas.leader.pk]))

        personas.leader.refresh_from_db()
        assert personas.leader.is_active


@pytest.mark.django_db
class TestRosterUpload:
    def test_a_leader_previews_then_confirms_an_import(self, leader_client, personas):
        url = reverse("districts:roster_import")
        users_before = User.objects.count()

        preview = leader_client.post(url, {"files": [upload("simple_roster.csv")], "school_year": 2026})

        assert preview.status_code == 200
        assert b"Ready to import" in preview.content
        assert User.objects.count() == users_before  # a preview writes nothing
        token = leader_client.session[ROSTER_PREVIEW]["token"]

        done = leader_client.post(reverse("districts:roster_import_confirm"), {"token": token})

        assert done.status_code == 302
        assert User.objects.count() == users_before + 3
        assert Classroom.objects.filter(school_year=2026, teacher__email="ben.okafor@example.org").exists()
        assert ROSTER_PREVIEW not in leader_client.session

    def test_bad_rows_are_shown_as_a_table_and_the_form_re_displays(self, leader_client, personas):
        response = leader_client.post(
            reverse("districts:roster_import"), {"files": [upload("simple_roster_bad.csv")], "school_year": 2026}
        )

        assert response.status_code == 200
        assert [e.line for e in response.context["result"].errors] == [3, 4, 6, 7]
        content = response.content.decode()
        assert "Nothing was imported." in content
        assert "<td>3</td><td>simple_roster_bad.csv</td><td>School is empty.</td>" in content
        assert 'value="2026"' in content
        assert not User.objects.filter(email="ana.ruiz@example.org").exists()

    def test_a_zip_of_a_oneroster_bundle_can_be_uploaded(self, leader_client, personas):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in (FIXTURES / "oneroster").glob("*.csv"):
                archive.write(path, path.name)

        preview = leader_client.post(
            reverse("districts:roster_import"),
            {"files": [upload("roster.zip", buffer.getvalue())], "school_year": 2026},
        )
        assert b"Ready to import" in preview.content
        assert b"2 student rows" in preview.content
        leader_client.post(
            reverse("districts:roster_import_confirm"), {"token": leader_client.session[ROSTER_PREVIEW]["token"]}
        )

        assert Classroom.objects.filter(external_id="c-1", teacher__email="ana.ruiz@example.org").exists()

    def test_a_stale_or_forged_confirmation_imports_nothing(self, leader_client, personas):
        response = leader_client.post(reverse("districts:roster_import_confirm"), {"token": "made-up"})

        assert response.status_code == 302
        assert response["Location"] == reverse("districts:roster_import")

    def test_other_file_types_are_refused(self, leader_client, personas):
        response = leader_client.post(
            reverse("districts:roster_import"), {"files": [upload("notes.txt", b"hello")], "school_year": 2026}
        )

        assert "upload .csv or .zip files" in response.context["form"].errors["files"][0]

    @pytest.mark.parametrize("name", ["teacher", "coach", "principal", "partner"])
    def test_other_roles_are_refused(self, client, personas, name):
        client.force_login(getattr(personas, name))

        assert client.get(reverse("districts:roster_import")).status_code == 403
        assert client.get(reverse("districts:roster_import"), {"district": "riverside"}).status_code == 403

    def test_a_leader_of_another_district_gets_404(self, client, personas):
        client.force_login(personas.outsider_leader)

        response = client.post(
            reverse("districts:roster_import") + "?district=riverside",
            {"files": [upload("simple_roster.csv")], "school_year": 2026},
        )

        assert response.status_code == 404
        assert not User.objects.filter(email="ana.ruiz@example.org").exists()


@pytest.mark.django_db
class TestAdmin:
    def test_staff_can_list_and_add_people_in_the_admin(self, client, personas):
        admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
        client.force_login(admin)

        for model in ("user", "district", "school", "classroom", "membership", "coachassignment"):
            assert client.get(reverse(f"admin:districts_{model}_changelist")).status_code == 200
        assert client.get(reverse("admin:districts_user_changelist"), {"q": "teacher"}).status_code == 200
        response = client.post(
            reverse("admin:districts_user_add"),
            {
                "email": "Added@Example.org",
                "full_name": "Added Person",
                "usable_password": "false",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        assert User.objects.get(email="added@example.org").full_name == "Added Person"

"""The people and roster pages, the home page, the password pages and refusals read in Spanish for a
browser that asks for it; the footer's selector switches the language for the session.

Each test names Spanish words the page must show and the English it replaced, so a template that
loses its translation tags (or a message that stops going through gettext) fails here.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from districts.models import Role
from tests.factories import MembershipFactory
from tests.spanish_pages import SPANISH, assert_spanish_html, spanish_html

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def upload(name: str, content: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content if content is not None else (FIXTURES / name).read_bytes())


@pytest.fixture
def leader(client, personas):
    client.force_login(personas.leader)
    return client


def test_the_people_list(leader, personas):
    html = spanish_html(leader.get(reverse("districts:people"), **SPANISH))
    assert_spanish_html(
        html,
        ["Agregar una persona", "Importar una lista de clases", "Nombre o correo electrónico", "Cualquier rol"],
        ["Add a person", "Import a roster", "Name or email", "Any role", "Deactivated", ">Filter<", " people</p>"],
    )
    # Role names are model choices: translated in the filter and on each person's badges.
    assert_spanish_html(
        html,
        ["Líder del distrito", "Director o directora", "Maestro o maestra"],
        ["District leader", ">Principal</option>", 'border">Principal'],
    )


def test_an_empty_filter_says_so_in_spanish(leader, personas):
    html = spanish_html(leader.get(reverse("districts:people") + "?q=nobody-at-all", **SPANISH))
    assert_spanish_html(
        html, ["Nadie coincide con estos filtros.", "Mostrar a todos"], ["No one matches", "Show everyone"]
    )


def test_a_persons_page_and_its_forms(leader, personas):
    html = spanish_html(leader.get(reverse("districts:person", args=[personas.coach.pk]), **SPANISH))
    assert_spanish_html(
        html,
        ["Editar el nombre", "Desactivar", "Agregar el rol", "— todo el distrito —", "Maestros que acompaña:"],
        ["Edit name", ">Deactivate<", "Add role", "whole district", "Teachers they coach", "Choose teachers"],
    )
    html = spanish_html(leader.get(reverse("districts:person_coaching", args=[personas.coach.pk]), **SPANISH))
    assert_spanish_html(
        html, ["Maestros que acompaña este año", "año escolar"], ["Teachers coached this year", "school year"]
    )
    html = spanish_html(leader.get(reverse("districts:person_deactivate", args=[personas.teacher.pk]), **SPANISH))
    assert_spanish_html(
        html, ["¿Desactivar a Teacher?", "No se borra nada."], ["Deactivate Teacher", "Nothing is deleted"]
    )
    html = spanish_html(leader.get(reverse("districts:person_add"), **SPANISH))
    assert_spanish_html(
        html,
        ["Agregar una persona a Riverside", "Nombre completo", "Necesario para un director o directora."],
        ["Add a person to", "Full name", "Needed for a principal"],
    )


def test_messages_and_service_errors_are_spanish(leader, personas):
    reply = leader.post(
        reverse("districts:person_add"),
        {"email": "new.principal@example.org", "full_name": "Nueva", "role": Role.PRINCIPAL, "school": ""},
        **SPANISH,
    )
    assert_spanish_html(spanish_html(reply), ["El rol director o directora necesita una escuela."], ["needs a school"])
    reply = leader.post(reverse("districts:person_deactivate", args=[personas.teacher.pk]), follow=True, **SPANISH)
    assert_spanish_html(
        spanish_html(reply), ["Se desactivó a Teacher; ya no puede iniciar sesión."], ["was deactivated"]
    )


def test_roster_errors_are_listed_in_spanish(leader, personas):
    html = spanish_html(
        leader.post(
            reverse("districts:roster_import"),
            {"files": [upload("simple_roster_bad.csv")], "school_year": 2026},
            **SPANISH,
        )
    )
    assert_spanish_html(
        html,
        [
            "No se importó nada.",
            "4 filas tienen problemas",
            "<td>3</td><td>simple_roster_bad.csv</td><td>La columna school está vacía.</td>",
            "no es un correo electrónico válido",
            "Archivos de la lista de clases",
            "Formato CSV simple",
        ],
        ["Nothing was imported", "rows have problems", "is empty", "is not a valid email", "Roster files"],
    )


def test_the_roster_preview_counts_skipped_rows_in_spanish(leader, personas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (FIXTURES / "oneroster").glob("*.csv"):
            archive.write(path, path.name)
    html = spanish_html(
        leader.post(
            reverse("districts:roster_import"),
            {"files": [upload("roster.zip", buffer.getvalue())], "school_year": 2026},
            **SPANISH,
        )
    )
    assert_spanish_html(
        html,
        ["Lista para importar en Riverside", "paquete OneRoster 1.1", "2 filas de estudiante", "Escuelas", "Importar"],
        ["Ready to import", "OneRoster 1.1 bundle", "student rows", "Schools<", "Start over"],
    )


def test_the_home_page_of_a_leader(leader, personas):
    html = spanish_html(leader.get(reverse("home"), **SPANISH))
    assert_spanish_html(
        html,
        ["Te damos la bienvenida, Leader", "Líder del distrito", "Administrar personas"],
        ["Welcome", "hold roles in your district", "Manage people", "District leader"],
    )


def test_a_refusal_is_explained_in_spanish(client, personas, settings):
    settings.DEBUG = False
    client.force_login(personas.teacher)
    html = spanish_html(client.get(reverse("districts:people"), **SPANISH), status=403)
    assert_spanish_html(html, ["Solo los líderes del distrito administran personas."], ["Only district leaders"])


def test_the_password_pages(client, personas):
    html = spanish_html(client.get(reverse("password_reset"), **SPANISH))
    assert_spanish_html(
        html, ["Restablece tu contraseña", "Enviar el enlace"], ["Reset your password", "Send the link"]
    )
    client.force_login(personas.teacher)
    html = spanish_html(client.get(reverse("password_change"), **SPANISH))
    assert_spanish_html(
        html, ["Cambia tu contraseña", "Cambiar mi contraseña"], ["Change your password", "Change my password"]
    )


class TestLanguageSelector:
    def test_every_page_offers_the_languages_in_the_footer(self, client, personas):
        client.force_login(personas.principal)
        html = client.get(reverse("home")).content.decode()
        assert f'action="{reverse("set_language")}"' in html
        assert 'name="csrfmiddlewaretoken"' in html.split("data-language-form", 1)[1]
        assert '<option value="es" lang="es">Español</option>' in html
        assert '<option value="en" lang="en" selected>English</option>' in html
        assert "<script>" not in html  # the CSP allows no inline script: a plain submit button

    def test_choosing_spanish_keeps_it_for_the_next_pages(self, client, personas):
        MembershipFactory(user=personas.principal, district=personas.district, role=Role.DISTRICT_LEADER)
        client.force_login(personas.principal)
        people = reverse("districts:people")
        reply = client.post(reverse("set_language"), {"language": "es", "next": people})
        assert reply.status_code == 302 and reply["Location"] == people
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
        html = client.get(people).content.decode()  # no Accept-Language: the choice decides
        assert_spanish_html(
            html, ['<html lang="es">', "Agregar una persona", "Cambiar idioma"], ["Add a person", "Log out"]
        )
        assert '<option value="es" lang="es" selected>Español</option>' in html

        client.post(reverse("set_language"), {"language": "en", "next": people})
        assert "Add a person" in client.get(people, **SPANISH).content.decode()

    def test_it_works_before_signing_in_and_refuses_a_foreign_next(self, client):
        reply = client.post(reverse("set_language"), {"language": "es", "next": "https://evil.example/"})
        assert reply.status_code == 302 and reply["Location"] == "/"
        html = client.get(reverse("login")).content.decode()
        assert "Inicia sesión en PD Cycles" in html

    def test_an_unknown_language_changes_nothing(self, client):
        client.post(reverse("set_language"), {"language": "xx", "next": "/"})
        assert settings.LANGUAGE_COOKIE_NAME not in client.cookies

"""A Spanish-speaking teacher (Accept-Language: es) runs a survey in Spanish from start to results,
and never meets a page in two languages."""

import pytest
from django.urls import reverse

from measures import services
from tests.measures.helpers import submit
from tests.spanish_pages import ENGLISH, SPANISH, assert_spanish_html, spanish_html

ENGLISH_NAVIGATION = (">Home<", ">Measures<", "Log out", "Skip to content")
SPANISH_NAVIGATION = ("Cerrar sesión", ">Mediciones<", ">Inicio<")


def _spanish(reply, status=200) -> str:
    """The raw page, Spanish down to its navigation."""
    html = spanish_html(reply, status=status)
    assert_spanish_html(html, SPANISH_NAVIGATION, ENGLISH_NAVIGATION)
    return html


@pytest.fixture
def teacher_client(client, personas):
    client.force_login(personas.teacher)
    return client


def test_the_start_page_is_spanish(teacher_client, personas, instrument):
    url = reverse("measures:administration_start", args=[personas.classroom.pk])
    html = _spanish(teacher_client.get(url, **SPANISH))
    assert_spanish_html(
        html,
        # the instrument's own Spanish name last
        ("Iniciar una encuesta para", "Abrir la encuesta", "Cerrar automáticamente después de (minutos)",
         f"{instrument.name} (es)"),
        ("Start a survey for", "Open the survey", "Close automatically after", ">Cancel<"),
    )  # fmt: skip


def test_opening_a_survey_leads_to_a_spanish_projector_page(teacher_client, personas, instrument):
    reply = teacher_client.post(
        reverse("measures:administration_start", args=[personas.classroom.pk]),
        {"instrument": instrument.pk, "minutes": 15, "lesson_note": ""},
        **SPANISH,
    )
    assert reply.status_code == 302
    html = _spanish(teacher_client.get(reply["Location"], **SPANISH))
    assert_spanish_html(
        html,
        ("Entra a <strong>", "Cerrar la encuesta", "Ver resultados"),
        ("0 </span>", "Go to <strong>", "Close the survey", "See results", "Open until"),
    )


def test_the_results_and_classroom_pages_are_spanish(teacher_client, personas, instrument):
    survey = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    submit(survey, list(instrument.items.order_by("order").prefetch_related("options")), productive=True, count=2)
    html = _spanish(teacher_client.get(survey.get_absolute_url(), **SPANISH))
    assert_spanish_html(
        html,
        ("Los resultados se retienen", "respuestas", "Proyectar", f"{instrument.name} (es)"),
        ("Results are withheld", "responses", ">Present<", "Close the survey"),
    )

    html = _spanish(teacher_client.get(reverse("measures:classroom", args=[personas.classroom.pk]), **SPANISH))
    assert_spanish_html(
        html,
        ("Iniciar una encuesta", "Encuestas", "Abierta"),
        (">Surveys<", ">Start a survey<", "Who sees my results", ">Open<"),
    )


def test_closing_the_survey_says_so_in_spanish(teacher_client, personas, instrument):
    survey = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    reply = teacher_client.post(reverse("measures:administration_close", args=[survey.pk]), follow=True, **SPANISH)
    assert_spanish_html(spanish_html(reply), (f"La encuesta {survey.code} está cerrada.",), ("is closed",))


def test_the_login_page_is_wholly_spanish(client, db):
    assert_spanish_html(
        spanish_html(client.get(reverse("login"), **SPANISH)),
        ("Inicia sesión en PD Cycles", "Contraseña", "Correo electrónico", "Iniciar sesión", "¿Olvidaste"),
        ("Log in", "Password", "Email", "Forgot your password", "Students:", "Home"),
    )


def test_the_login_page_stays_english_for_an_english_browser(client, db):
    reply = client.get(reverse("login"), **ENGLISH)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "Log in to PD Cycles" in html and "Password" in html and "Contraseña" not in html


def test_the_error_pages_answer_in_spanish(teacher_client, settings):
    settings.DEBUG = False
    html = _spanish(teacher_client.get("/no/such/page/", **SPANISH), status=404)
    assert_spanish_html(html, ("Página no encontrada",), ("Page not found", "Go to the home page"))

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("es"):
        page = render_to_string("500.html")
    assert '<html lang="es">' in page and "Algo salió mal" in page and "Something went wrong" not in page

"""A Spanish-speaking teacher (Accept-Language: es) runs a survey in Spanish from start to results,
and never meets a page in two languages."""

import pytest
from django.urls import reverse

from measures import services
from tests.measures.helpers import submit

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH_NAVIGATION = (">Home<", ">Measures<", "Log out", "Skip to content")


def _html(reply) -> str:
    assert reply.status_code == 200, reply.status_code
    return reply.content.decode()


def _assert_spanish_page(html: str) -> None:
    assert '<html lang="es">' in html
    assert "Cerrar sesión" in html and ">Mediciones<" in html and ">Inicio<" in html
    for english in ENGLISH_NAVIGATION:
        assert english not in html, english


@pytest.fixture
def teacher_client(client, personas):
    client.force_login(personas.teacher)
    return client


def test_the_start_page_is_spanish(teacher_client, personas, instrument):
    html = _html(teacher_client.get(reverse("measures:administration_start", args=[personas.classroom.pk]), **SPANISH))
    _assert_spanish_page(html)
    assert "Iniciar una encuesta para" in html and "Abrir la encuesta" in html
    assert "Cerrar automáticamente después de (minutos)" in html
    assert f"{instrument.name} (es)" in html  # the instrument's own Spanish name
    for english in ("Start a survey for", "Open the survey", "Close automatically after", ">Cancel<"):
        assert english not in html, english


def test_opening_a_survey_leads_to_a_spanish_projector_page(teacher_client, personas, instrument):
    reply = teacher_client.post(
        reverse("measures:administration_start", args=[personas.classroom.pk]),
        {"instrument": instrument.pk, "minutes": 15, "lesson_note": ""},
        **SPANISH,
    )
    assert reply.status_code == 302
    html = _html(teacher_client.get(reply["Location"], **SPANISH))
    _assert_spanish_page(html)
    assert "Entra a <strong>" in html and "Cerrar la encuesta" in html and "Ver resultados" in html
    assert "0 </span>" not in html
    for english in ("Go to <strong>", "Close the survey", "See results", "Open until"):
        assert english not in html, english


def test_the_results_and_classroom_pages_are_spanish(teacher_client, personas, instrument):
    survey = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    submit(survey, list(instrument.items.order_by("order").prefetch_related("options")), productive=True, count=2)
    html = _html(teacher_client.get(survey.get_absolute_url(), **SPANISH))
    _assert_spanish_page(html)
    assert "Los resultados se retienen" in html and "respuestas" in html and "Proyectar" in html
    assert f"{instrument.name} (es)" in html
    for english in ("Results are withheld", "responses", ">Present<", "Close the survey"):
        assert english not in html, english

    html = _html(teacher_client.get(reverse("measures:classroom", args=[personas.classroom.pk]), **SPANISH))
    _assert_spanish_page(html)
    assert "Iniciar una encuesta" in html and "Encuestas" in html and "Abierta" in html
    for english in (">Surveys<", ">Start a survey<", "Who sees my results", ">Open<"):
        assert english not in html, english


def test_closing_the_survey_says_so_in_spanish(teacher_client, personas, instrument):
    survey = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    reply = teacher_client.post(reverse("measures:administration_close", args=[survey.pk]), follow=True, **SPANISH)
    html = _html(reply)
    assert f"La encuesta {survey.code} está cerrada." in html and "is closed" not in html


def test_the_login_page_is_wholly_spanish(client, db):
    html = _html(client.get(reverse("login"), **SPANISH))
    assert '<html lang="es">' in html
    for spanish in ("Inicia sesión en PD Cycles", "Contraseña", "Correo electrónico", "Iniciar sesión", "¿Olvidaste"):
        assert spanish in html, spanish
    for english in ("Log in", "Password", "Email", "Forgot your password", "Students:", "Home"):
        assert english not in html, english


def test_the_login_page_stays_english_for_an_english_browser(client, db):
    html = _html(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert "Log in to PD Cycles" in html and "Password" in html and "Contraseña" not in html


def test_the_error_pages_answer_in_spanish(teacher_client, settings):
    settings.DEBUG = False
    reply = teacher_client.get("/no/such/page/", **SPANISH)
    assert reply.status_code == 404
    html = reply.content.decode()
    _assert_spanish_page(html)
    assert "Página no encontrada" in html and "Page not found" not in html and "Go to the home page" not in html

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("es"):
        page = render_to_string("500.html")
    assert '<html lang="es">' in page and "Algo salió mal" in page and "Something went wrong" not in page

"""The measures pages read in Spanish for a browser that asks for it (Accept-Language: es).

Each test names Spanish words the page must show and the English it replaced, so a template that
loses its translation tags (or a string that stops going through gettext) fails here.
"""

import pytest
from django.urls import reverse

from measures import aggregation
from tests.factories import make_instrument
from tests.spanish_pages import SPANISH, assert_spanish_html, spanish_html, spanish_page

from .helpers import survey_in_week
from .sharing import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(personas, instrument):
    """Eight weeks of surveys in three classrooms, summarised."""
    for week in range(8):
        survey_in_week(personas.classroom, instrument, week, productive=12 - week, unproductive=3 + week)
        survey_in_week(personas.other_classroom, instrument, week, productive=5, unproductive=7)
        survey_in_week(personas.classroom_b, instrument, week, productive=6, unproductive=6)
    aggregation.rebuild_all()


def test_the_district_dashboard_and_its_retention_log(client, personas, history):
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("measures:district", args=[personas.district.pk]), raw=True)
    assert_spanish_html(
        html,
        [
            "Tendencias de Riverside",
            "Resultados de todo el distrito",
            "Conservación de datos",
            "Todavía no se ha aplicado.",
            "Por escuela",
            "Por grado",
            "% productivas",
            "Mostrar los números",
            "CSV semanal",
            ">Total<",
        ],
        [
            "trends</title>",
            "District-wide results",
            "Data retention",
            "It has not run yet",
            "Show the numbers",
            "Weekly CSV",
            "Bar chart",
            "By school",
            "Responses deleted",
            ">All<",
        ],
    )


def test_the_school_dashboard_says_why_rows_are_withheld_in_spanish(client, personas, history):
    client.force_login(personas.principal)
    html = spanish_page(client, reverse("measures:school", args=[personas.school.pk]), raw=True)
    assert_spanish_html(
        html,
        [
            "Resultados de toda la escuela",
            "Por grado",
            ">Clase<",
            "maestros comparten sus clases contigo",
            "Nada que mostrar: ningún maestro comparte una clase contigo aquí.",
            "Una cifra cubre solo las semanas",
        ],
        [
            "School-wide results",
            "share their classrooms with you",
            "Nothing to show",
            "A figure covers only weeks",
            "withheld:",
            "fewer than 3 teachers",
        ],
    )


def test_a_shared_classroom_names_its_withheld_reason_in_spanish(client, personas, history):
    share(personas.classroom, principal=True)
    client.force_login(personas.principal)
    html = spanish_page(client, reverse("measures:school", args=[personas.school.pk]), raw=True)
    assert "retenido: menos de 3 maestros" in html or "retenido: para proteger otra celda" in html
    assert_spanish_html(html, ["1 de 2 maestros comparten sus clases contigo."], ["withheld", "teachers share"])


def test_the_classroom_trend_page(client, personas, history):
    client.force_login(personas.teacher)
    html = spanish_page(client, reverse("measures:classroom", args=[personas.classroom.pk]), raw=True)
    assert_spanish_html(
        html,
        ["De un vistazo", "Pregunta por pregunta", "Gráfico de rachas", "Semana del", "Quién ve mis resultados"],
        ["At a glance", "Item by item", "Run chart", "Week of", "No signal", "Signal<", "median "],
    )


def test_the_sharing_page(client, personas):
    client.force_login(personas.teacher)
    html = spanish_page(client, reverse("measures:sharing"), raw=True)
    assert_spanish_html(
        html,
        ["Quién ve mis resultados", "Mi coach", "Mi director o directora", "Líderes del distrito", "Lo que ve ahora"],
        ["My coach", "My principal", "What they see now", "May see", "only school and district figures", "Audience"],
    )


def test_the_measures_index_and_the_home_panels(client, personas, history):
    client.force_login(personas.teacher)
    html = spanish_page(client, reverse("measures:index"), raw=True)
    assert_spanish_html(
        html,
        ["Mediciones prácticas", "Última encuesta", "Iniciar una encuesta"],
        ["Practical measures", "Last survey", "Start a survey", "Classrooms<"],
    )
    client.force_login(personas.teacher)
    html = spanish_page(client, reverse("home"), raw=True)
    assert_spanish_html(
        html,
        ["Te damos la bienvenida", "Mis clases", "Última semana", "Todas las mediciones", "Maestro o maestra"],
        ["Welcome,", "My classrooms", "Latest week", "All measures", "productive<"],
    )
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("home"), raw=True)
    assert_spanish_html(
        html, ["Pulso del distrito", "Abrir las tendencias de Riverside"], ["District pulse", "Open Riverside"]
    )


def test_the_instrument_library_and_a_starter_instrument(client, personas, instrument):
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("instruments:list"), raw=True)
    assert_spanish_html(
        html,
        ["Instrumentos iniciales", "Instrumento nuevo", "Discusión con toda la clase", "Estudiantes"],
        ["Starter instruments", "New instrument", "<td>Whole-class discussion</td>", ">Students<"],
    )
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("instruments:detail", args=[instrument.pk]), raw=True)
    assert_spanish_html(
        html,
        ["instrumento inicial", "Adaptar para mi distrito", "Versiones y registro", "Lo que ven los estudiantes"],
        ["starter instrument", "Adapt for my district", "Versions and log", "What students see", "productive<"],
    )
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("instruments:adapt", args=[instrument.pk]), raw=True)
    assert_spanish_html(
        html,
        ["¿Por qué adaptarlo?", "Se guarda en el registro de adaptaciones.", "Al adaptar se copia"],
        ["Why adapt it?", "Kept in the adaptation log", "Adapting copies"],
    )


def test_the_instrument_editor_language_page_and_history(client, personas):
    own = make_instrument(name="Our talk", district=personas.district)
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("instruments:edit", args=[own.pk]), raw=True)
    assert_spanish_html(
        html,
        ["Sobre el instrumento", "Pregunta (español)", "Respuesta 1 en inglés", "Guardar los cambios", "Opción única"],
        ["About the instrument", "Prompt (Spanish)", "Answer 1 in English", "Save changes", "Single choice"],
    )
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("instruments:language", args=[own.pk]), raw=True)
    assert_spanish_html(
        html,
        ["en otro idioma", "Código de idioma", "Nombre de la encuesta en este idioma"],
        ["in another language", "Language code", "Name of the survey"],
    )
    client.force_login(personas.leader)
    html = spanish_page(client, reverse("instruments:history", args=[own.pk]), raw=True)
    assert_spanish_html(
        html,
        ["Versiones y registro de adaptaciones", "Todavía no hay cambios registrados.", "actual"],
        ["Versions and adaptation log", "No changes recorded yet", ">current<"],
    )


def test_an_editor_mistake_is_explained_in_spanish(client, personas):
    client.force_login(personas.leader)
    reply = client.post(
        reverse("instruments:create"),
        {
            "district": personas.district.pk,
            "name": "Empty",
            "kind": "custom",
            "audience": "students",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
        **SPANISH,
    )
    html = spanish_html(reply)
    assert_spanish_html(
        html,
        ["Corrige los problemas marcados abajo.", "Agrega al menos una pregunta."],
        ["Please fix the problems", "Add at least one item."],
    )

"""A Spanish-speaking coach, teacher and principal (Accept-Language: es) see the coaching pages in
Spanish: the words marked for translation in the templates and in the Python code (form labels,
choices, messages, chart axes), and none of the English they replace."""

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import EventKind
from tests.spanish_pages import SPANISH, assert_spanish_html, spanish_html

from .factories import observe, starter_rubric

pytestmark = pytest.mark.django_db


def _html(reply) -> str:
    """The page's raw HTML, its navigation in Spanish too."""
    return spanish_html(reply, showing=(">Acompañamiento<",))


@pytest.fixture
def coach_client(client, personas):
    client.force_login(personas.coach)
    return client


@pytest.fixture
def worked_cycle(personas, cycle):
    """The home cycle with a pre-conference and a scored observation."""
    services.event_log(
        cycle=cycle, by=personas.coach, kind=EventKind.PRE_CONFERENCE, minutes=30, lesson="Fractions",
        math_goals="Compare fractions.", next_steps="Try a number line.",
    )  # fmt: skip
    observe(personas, cycle=cycle)
    return cycle


def test_the_caseload_is_spanish(coach_client, worked_cycle):
    html = _html(coach_client.get(reverse("coaching:index"), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Mis maestros asignados", "maestros asignados este año", "ciclos de acompañamiento activos",
            "sin contacto en 3 semanas", "Señalar sin contacto en", "Último contacto", "Enfoque actual",
            "Eventos de acompañamiento por tipo, por mes", "Gráfico de barras apiladas",
            "Conferencia previa / planificación conjunta", "Registrar una sesión grupal", "Rúbricas de observación",
            '"text": "Mes"', '"text": "Eventos"',
        ),
        english=(
            "My caseload", "teachers assigned this year", "active coaching cycles", "with no contact in",
            "Flag no contact in", "Last contact", "Current focus", "Coaching events by kind", "Stacked bar chart",
            "Pre-conference / co-plan", "Log a group session", "Observation rubrics", '"text": "Month"',
        ),
    )  # fmt: skip


def test_the_cycle_page_is_spanish(coach_client, worked_cycle):
    html = _html(coach_client.get(worked_cycle.get_absolute_url(), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Meta negociada, en las propias palabras del maestro o la maestra", "Próximo paso sugerido",
            "Colaboración en el aula", "Registrar: observación con retroalimentación", "Registrar otra cosa",
            "Puntuar una observación", "Cronología", "Lección y tarea", "Próximos pasos acordados", ">Activo<",
            "Editar el ciclo", "30 min", "Observaciones", "Fecha de observaci\\u00f3n", "Puntuaci\\u00f3n",
        ),
        english=(
            "Negotiated goal", "Suggested next step", "Classroom collaboration", "Log observation", "Log something",
            "Score an observation", "Timeline", "Lesson and task", "Agreed next steps", ">Active<", "Edit the cycle",
            "No observations in this cycle", "observation scores over time", '"Observed on"', '"Score"',
        ),
    )  # fmt: skip


def test_the_teacher_reads_their_own_cycle_and_coaching_in_spanish(client, personas, worked_cycle):
    client.force_login(personas.teacher)
    html = _html(client.get(worked_cycle.get_absolute_url(), **SPANISH))
    assert_spanish_html(html, ("Meta negociada, en mis propias palabras",), ("in my own words", "own words"))
    html = _html(client.get(reverse("coaching:index"), **SPANISH))
    assert_spanish_html(
        html,
        spanish=("Mi acompañamiento", "Mi meta:", "Próximos pasos (conferencia previa", "Quién ve mis resultados"),
        english=("My coaching", "My goal:", "Next steps (", "Who sees my results"),
    )


def test_a_coachees_page_lists_the_cycles_in_spanish(coach_client, personas, worked_cycle):
    html = _html(coach_client.get(reverse("coaching:teacher", args=[personas.teacher.pk]), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Ciclos de acompañamiento", "Práctica de enfoque", "Último evento", "Iniciar un ciclo de acompañamiento",
            "Registrar una observación", "Resultados de encuestas recientes",
            "Puntuaciones de observación a lo largo del tiempo",
        ),
        english=(
            "Coaching cycles", "Focus practice", "Last event", "Start a coaching cycle", "Record an observation",
            "Recent survey results", "Observation scores over time",
        ),
    )  # fmt: skip


def test_the_observation_form_and_its_errors_are_spanish(coach_client, personas, worked_cycle):
    url = reverse("coaching:observation_create", args=[personas.teacher.pk])
    html = _html(coach_client.get(f"{url}?cycle={worked_cycle.pk}", **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Observar la lección de", "Rúbrica:", "Deja una dimensión sin puntuar", "Fecha de observación",
            "Sin puntuar", "Evidencia de Potential of the Task", "Guardar la observación",
            "(ninguna clase en particular)",
        ),
        english=(
            "Observe ", "Rubric:", "Leave a dimension unscored", "Observed on", "Not scored", "Evidence for",
            "Save the observation", "(not one class)",
        ),
    )  # fmt: skip
    html = _html(coach_client.post(url, {"observed_on": "2026-11-02"}, **SPANISH))
    assert_spanish_html(html, ("Puntúa al menos una dimensión.",), ("Score at least one dimension.",))


def test_scoring_an_observation_says_so_in_spanish_and_shows_the_scores_in_spanish(coach_client, personas):
    first = starter_rubric().dimensions.order_by("order").first()
    reply = coach_client.post(
        reverse("coaching:observation_create", args=[personas.teacher.pk]),
        {"observed_on": "2026-11-02", f"score_{first.pk}": "3", f"evidence_{first.pk}": "Students compared."},
        follow=True,
        **SPANISH,
    )
    html = _html(reply)
    assert_spanish_html(
        html,
        spanish=("Observación guardada.", "Observación de", "Dimensión", "Puntuación", "Nivel", "sin puntuar"),
        english=("Observation saved.", "Observation of", ">Dimension<", ">Score<", ">Level<", "not scored"),
    )


def test_the_principals_school_view_and_cycle_summary_are_spanish(client, personas, worked_cycle):
    client.force_login(personas.principal)
    html = _html(client.get(reverse("coaching:school", args=[personas.school.pk]), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Acompañamiento en", "Año escolar", "ciclos de acompañamiento", "maestros en un ciclo", "Eventos por tipo",
        ),
        english=("Coaching at", "School year", "coaching cycles", "teachers in a cycle", "Events by kind"),
    )  # fmt: skip
    html = _html(client.get(worked_cycle.get_absolute_url(), **SPANISH))
    assert_spanish_html(
        html,
        spanish=("Ciclo de acompañamiento:", "Práctica de enfoque", "Comenzó", "quedan entre el coach"),
        english=("Coaching cycle:", "Focus practice", "Started", "stay between the coach"),
    )


def test_saving_a_cycle_answers_in_spanish_and_the_form_speaks_spanish(coach_client, worked_cycle):
    url = reverse("coaching:cycle_edit", args=[worked_cycle.pk])
    html = _html(coach_client.get(url, **SPANISH))
    assert_spanish_html(
        html,
        spanish=("Práctica de la biblioteca", "Práctica de enfoque, en tus palabras", "En pausa", "Fecha de cierre"),
        english=("Practice from the library", "Focus practice, in your words", "Paused", "Ended on"),
    )
    reply = coach_client.post(
        url,
        {
            "focus_practice": "Pressing for reasoning",
            "goal": "Explain why.",
            "status": "active",
            "ended_on": "2026-12-01",
        },
        **SPANISH,
    )
    assert_spanish_html(_html(reply), ("Solo un ciclo completado tiene fecha de cierre.",), ("Only a completed cycle",))
    reply = coach_client.post(
        url, {"focus_practice": "Pressing for reasoning", "goal": "Explain why.", "status": "paused"},
        follow=True, **SPANISH,
    )  # fmt: skip
    assert_spanish_html(_html(reply), ("Ciclo guardado.", ">En pausa<"), ("Cycle saved.", ">Paused<"))

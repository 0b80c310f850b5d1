"""A district leader whose browser asks for Spanish (Accept-Language: es) runs PD in Spanish: the
series list and page, a session with its agenda and its warnings, attendance, check-in and the
projected code, the facilitation review. Each test lists English phrases of its page that must not
be left; one lost {% translate %} tag or gettext call brings its phrase back and fails the test."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pd import services as pd_services
from pd.models import ActivityKind
from tests.spanish_pages import ENGLISH, SPANISH, assert_spanish, contains, spanish_page, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(personas):
    district = personas.district
    return pd_services.series_create(
        district=district,
        created_by=personas.leader,
        title="Discourse series",
        school_year=district.current_school_year(),
        description="",
        audience_roles=["teacher"],
        audience_grades=["7"],
        facilitators=[personas.coach],
        goals=["Launch tasks well"],
        priority=None,
    )


@pytest.fixture
def session(series):
    """Today's 90-minute session: one 30-minute activity without its learning goal, check-in open."""
    session = pd_services.session_create(
        series=series, title="Launching tasks", date=timezone.localdate(), minutes=90, goals=["Plan a launch"]
    )
    pd_services.activity_add(session=session, title="Solve it", kind=ActivityKind.SOLVE, minutes=30, learning_goal="")
    return pd_services.checkin_open(session=session)


@pytest.fixture
def leader_client(client, personas):
    client.force_login(personas.leader)
    return client


def test_the_pd_index_and_series_page_are_spanish(leader_client, series, session):
    text = spanish_page(leader_client, reverse("pd:index"))
    assert_spanish(
        text,
        spanish=("Iniciar una serie de desarrollo profesional", "1 sesión", "grado 7", "dirigida por",
                 "Registra tu asistencia a una sesión", "Escribe el código que muestra la persona facilitadora"),
        english=("Professional development", "Start a PD series", "session", "grade", "led by",
                 "Check in to a session", "Type the code the facilitator shows", "Check in"),
    )  # fmt: skip
    text = spanish_page(leader_client, series.get_absolute_url())
    assert_spanish(
        text,
        spanish=("Agregar una sesión", "Asistencia", "Agregar al calendario", "todas las escuelas",
                 "facilitada por", "Metas a largo plazo para el aprendizaje de los maestros", "Sesiones", "Próxima",
                 "Desarrollo profesional para maestros fuera del aula", "Eliminar esta serie"),
        english=("Add a session", "Attendance", "Add to calendar", "Facilitation review", "every school",
                 "facilitated by", "Long-term goals", "In order", "Practices", "No practices linked", "Sessions",
                 "Date", "Kind", "Activities", "Present", "Upcoming", "Pull-out teacher PD", "Delete this series"),
    )  # fmt: skip


def test_the_session_page_shows_its_agenda_and_warnings_in_spanish(leader_client, session):
    text = spanish_page(leader_client, session.get_absolute_url())
    assert_spanish(
        text,
        spanish=("6 de", "90 minutos", "Metas de esta sesión", "Hacia las metas de la serie:",
                 "30 de 90 minutos planificados", "La actividad 1, “Solve it”, no tiene meta de aprendizaje.",
                 "Todavía faltan por planificar 60 minutos.", "Meta de aprendizaje", "Se basa en",
                 "Resolver las matemáticas", "Todavía no tiene meta de aprendizaje", "0 presentes",
                 "El registro de asistencia está abierto: código", "Mostrar el código",
                 "Marcar los nombres en su lugar",
                 "Abrir la encuesta de retroalimentación", "Subir “Solve it”"),
        english=("minutes", "Goals for this session", "Toward the series' goals", "planned", "has no learning goal",
                 "are not yet planned", "Time", "Activity", "Learning goal", "Builds on", "Solve the mathematics",
                 "No learning goal yet", "present", "Check-in is open", "Show the code", "Close check-in",
                 "Tick names instead", "Participants' feedback", "Open the feedback survey", "Add an activity",
                 "Print the agenda", "Edit", "Remove", "Delete this session", "Move"),
    )  # fmt: skip


def test_the_attendance_pages_are_spanish(leader_client, personas, series, session):
    text = spanish_page(leader_client, reverse("pd:session_attendance", args=[session.pk]))
    assert_spanish(
        text,
        spanish=("¿Quiénes vinieron a Launching tasks?", "Guardar la asistencia"),
        english=("Who came to", "Everyone the series is for", "Save attendance", "Cancel", "Attendance"),
    )
    pd_services.check_in(user=personas.teacher, code=session.checkin_code)
    text = spanish_page(leader_client, reverse("pd:series_attendance", args=[series.pk]))
    assert_spanish(
        text,
        spanish=("Asistencia en toda la serie", "1 participante en 1 sesión.", "✓ presente, · ausente.",
                 "Participante", "1 de 1", "Descargar CSV"),
        english=("Attendance across the series", "participant", "in 1 session", "present", "absent",
                 "Participant", "Sessions", "of", "Download CSV"),
    )  # fmt: skip


def test_checking_in_is_spanish_from_the_code_to_the_welcome(client, personas, session):
    client.force_login(personas.teacher)
    text = spanish_page(client, reverse("pd:checkin"))
    assert_spanish(
        text,
        spanish=("Registra tu asistencia a una sesión de desarrollo profesional", "Código de asistencia",
                 "Registrar asistencia como"),
        english=("Check in to a PD session", "Check-in code", "Check in as"),
    )  # fmt: skip
    reply = client.post(reverse("pd:checkin"), {"code": "ZZZZZZ"}, **SPANISH)
    text = visible_text(reply.content.decode())
    assert "Ninguna sesión de tu distrito muestra ese código." in text and not contains(text, "No session")
    reply = client.post(reverse("pd:checkin"), {"code": session.checkin_code}, follow=True, **SPANISH)
    text = visible_text(reply.content.decode())
    assert "Registraste tu asistencia a “Launching tasks”." in text and "Registraste tu asistencia (" in text
    assert not contains(text, "You are checked in")


def test_the_projected_check_in_code_and_its_live_counter_are_spanish(leader_client, session):
    reply = leader_client.get(reverse("pd:checkin_present", args=[session.pk]), **SPANISH)
    page = reply.content.decode()
    text = visible_text(page)
    assert_spanish(
        text,
        spanish=("registro de asistencia", "Registro de asistencia: inicia sesión en", "0 registraron su asistencia",
                 "Abierta hasta las", "Cerrar el registro de asistencia", "Volver a la sesión", "o abre"),
        english=("· check-in", "Check in", "sign in at", "checked in", "Open until", "Close check-in",
                 "Back to the session", "or open", "Code"),
    )  # fmt: skip
    # present.js swaps the counter's word from these attributes as people check in.
    assert 'data-one="registró su asistencia"' in page and 'data-many="registraron su asistencia"' in page
    assert 'data-closed="Cerrada"' in page


def test_a_check_in_opened_days_early_warns_in_spanish(leader_client, series):
    later = pd_services.session_create(
        series=series, title="Next week", date=timezone.localdate() + datetime.timedelta(days=3), minutes=60
    )
    reply = leader_client.post(
        reverse("pd:checkin_toggle", args=[later.pk]), {"action": "open"}, follow=True, **SPANISH
    )
    text = visible_text(reply.content.decode())
    assert "dentro de 3 días." in text and "Cierra el registro de asistencia" in text
    assert not contains(text, "days from now")


def test_the_session_and_activity_forms_are_spanish(leader_client, session):
    text = spanish_page(leader_client, reverse("pd:activity_add", args=[session.pk]))
    assert_spanish(
        text,
        spanish=("Agregar una actividad a Launching tasks", "Título", "Tipo", "Meta de aprendizaje", "Minutos",
                 "Quién la dirige", "Se basa en la actividad", "Contribuye a la meta", "Agregar a la agenda"),
        english=("Add an activity to", "Title", "Kind", "Learning goal", "Minutes", "Who leads it", "Materials",
                 "Builds on the activity", "Works toward the goal", "Add to the agenda", "Model a lesson"),
    )  # fmt: skip
    text = spanish_page(leader_client, reverse("pd:session_edit", args=[session.pk]))
    assert_spanish(
        text,
        spanish=("La serie trabaja hacia:", "Hora de inicio", "Duración (minutos)", "Lección o tarea",
                 "Metas a corto plazo de esta sesión", "Grabación en video"),
        english=("The series works toward", "Starts at", "Length (minutes)", "Lesson or task", "Place",
                 "Short-term goals for this session", "Video recording", "Math-leader cycle", "Network session"),
    )  # fmt: skip


def test_the_facilitation_review_is_spanish(leader_client, series, session):
    text = spanish_page(leader_client, reverse("pd:session_review", args=[session.pk]))
    assert_spanish(
        text,
        spanish=("Revisión de la facilitación: Launching tasks", "Evidencia (0)", "Registrar evidencia",
                 "Líder de matemáticas", "Evidencia de estancamiento", "Memorando analítico", "Guardar el memorando",
                 "La sesión tal como se planificó"),
        english=("Facilitation review", "Evidence", "Record evidence", "Math leader", "Goal", "Evidence of stasis",
                 "Evidence of improvement", "Clip starts at", "Note", "Analytic memo", "Save the memo",
                 "The session as planned", "Treat teacher learning as a progression"),
    )  # fmt: skip
    text = spanish_page(leader_client, reverse("pd:series_review", args=[series.pk]))
    assert_spanish(
        text,
        spanish=("Todavía no hay evidencia de facilitación.",),
        english=("How the evidence on the four goals", "It is for the leaders' learning", "No facilitation evidence"),
    )


def test_an_english_browser_still_reads_english(leader_client, session):
    page = leader_client.get(session.get_absolute_url(), **ENGLISH).content.decode()
    assert "30 of 90 minutes planned" in page and "planificados" not in page

"""A Spanish-speaking district leader (Accept-Language: es) reads the feedback reports, the yearly
calendar, the uptake pages and the CSV import in Spanish: the words marked for translation in the
templates and in the Python code (choices, factor questions, chart words, row errors, messages),
and none of the English they replace. The downloaded CSV stays in English whoever asks for it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from recommendations.importer import import_recommendations
from recommendations.models import FeedbackReport, Finding, Recommendation
from tests.spanish_pages import SPANISH, assert_spanish_html, spanish_html

pytestmark = pytest.mark.django_db

HEADER = "finding,recommendation,area,uptake,implementation"


def _html(reply) -> str:
    """The page's raw HTML, its navigation in Spanish too."""
    return spanish_html(reply, showing=(">Recomendaciones<",))


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


@pytest.fixture
def leader_client(client, personas):
    client.force_login(personas.leader)
    return client


def test_the_report_list_and_its_calendar_are_spanish(leader_client, report):
    html = _html(leader_client.get(reverse("recommendations:index"), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Informes de retroalimentación ·", "Agregar un informe", "Importar desde CSV", "Panel de adopción",
            "Etapa", "Cuándo", "Qué se entrega", "Documentar las estrategias de mejora del distrito",
            "Hablar del informe con los líderes del distrito", "Terminada", "Adopción registrada",
            "1 hallazgo, 2 recomendaciones",
        ),
        english=(
            "Feedback reports ·", "Add a report", "Import from CSV", "Uptake dashboard", ">Phase<", ">When<",
            "What is due", "Document the district", "Discuss the report", ">Done<", "Uptake recorded",
            "1 finding", "2 recommendations",
        ),
    )  # fmt: skip


def test_a_report_with_its_uptake_is_spanish(leader_client, report):
    html = _html(leader_client.get(report.get_absolute_url(), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Hallazgo 1", "Recomendación:", "Adoptada por completo", "No adoptada", "Implementación: Exitosa",
            "Editar, registrar adopción y factores", "Agregar un hallazgo", "Agregar una recomendación",
        ),
        english=(
            "Finding 1", "Recommendation:", "Completely taken up", "Not taken up", "Implementation: Successful",
            "Edit, record uptake", "Add a finding", "Add a recommendation",
        ),
    )  # fmt: skip


def test_recording_uptake_is_spanish(leader_client, report):
    rec = Recommendation.objects.get(area="curriculum")
    url = reverse("recommendations:recommendation_edit", args=[rec.pk])
    html = _html(leader_client.get(url, **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Registra la adopción cuando se conozca", "Adopción", "Todavía no se sabe", "Todavía sin evaluar",
            "Alineada con las prioridades actuales del distrito", "Se desconoce", "Liderazgo del distrito",
        ),
        english=(
            "Record uptake when", "Not yet known", "Not yet assessed", "Aligned with current district priorities",
            ">Unknown<", "District leadership",
        ),
    )  # fmt: skip
    reply = leader_client.post(
        url, {"text": rec.text, "area": "curriculum", "uptake": "none", "implementation": "successful"}, **SPANISH
    )
    assert_spanish_html(
        _html(reply),
        ("La implementación solo se registra para recomendaciones adoptadas",),
        ("Implementation is recorded only",),
    )
    reply = leader_client.post(
        url, {"text": rec.text, "area": "curriculum", "uptake": "partial"}, follow=True, **SPANISH
    )
    assert_spanish_html(_html(reply), ("Recomendación guardada.", "Adoptada en parte"), ("Recommendation saved.",))


def test_the_uptake_dashboard_is_spanish(leader_client, report):
    html = _html(leader_client.get(reverse("recommendations:dashboard"), **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Adopción de las recomendaciones ·", "Descargar CSV", "Todos los años",
            "Los porcentajes son números enteros", "Por completo", "En parte", "n (adopción conocida)",
            "Implementación entre las adoptadas", "Exitosa en parte",
            "Adopción por año escolar", "Qué acompaña a la adopción y al éxito", "Adoptadas si es sí",
            "Las personas responsables tenían la experiencia necesaria", "(1 de 1)", '"1 de 2"',
            '"name": "El factor se cumple"',
        ),
        english=(
            "Uptake of recommendations", "Download CSV", "Every year", "Percentages are whole numbers",
            ">Completely<", ">Partially<", "uptake known", "Implementation among", "Partially successful",
            "Uptake by school year", "What goes with uptake", "Taken up when yes", "had the necessary expertise",
            "1 of 1", '"1 of 2"', "Factor holds",
        ),
    )  # fmt: skip


def test_the_uptake_csv_stays_in_english_for_a_spanish_reader(leader_client, report):
    reply = leader_client.get(reverse("recommendations:dashboard_csv"), **SPANISH)
    text = reply.content.decode()
    assert reply.status_code == 200
    assert "Completely" in text and "The people responsible had the necessary expertise" in text
    assert "Por completo" not in text and "experiencia necesaria" not in text


def test_the_import_page_and_its_row_errors_are_spanish(leader_client):
    url = reverse("recommendations:import")
    html = _html(leader_client.get(url, **SPANISH))
    assert_spanish_html(
        html,
        spanish=(
            "Importar recomendaciones a", "Primero se revisa cada fila", "Archivo CSV", "Formato CSV",
            "complete, partial, none o vacío (todavía no se sabe).", "Cada factor: yes, no o vacío (se desconoce).",
        ),
        english=(
            "Import recommendations into", "Every row is checked first", "CSV file", "CSV format", "or empty",
            "Each factor:",
        ),
    )  # fmt: skip
    bad = f"{HEADER}\n,Focus coaching.,zz,maybe,\nSame.,Twice.,coaching,none,successful\n"
    reply = leader_client.post(url, {"school_year": 2025, "file": SimpleUploadedFile("r.csv", bad.encode())}, **SPANISH)
    assert_spanish_html(
        _html(reply),
        spanish=(
            "No se importó nada.", "2 filas tienen problemas; corrígelas", "el hallazgo está vacío",
            "valor desconocido en area: &#x27;zz&#x27;", "valor desconocido en uptake: &#x27;maybe&#x27;",
            "se indica la implementación, pero la adopción es none",
        ),
        english=("Nothing was imported", "rows have problems", "finding is empty", "unknown area", "unknown uptake",
                 "implementation given"),
    )  # fmt: skip
    assert not Recommendation.objects.exists()


def test_an_import_reports_what_it_added_in_spanish(leader_client):
    good = f"{HEADER}\nCoaching is uneven.,Focus coaching.,Acompañamiento,complete,successful\n"
    reply = leader_client.post(
        reverse("recommendations:import"),
        {"school_year": 2025, "file": SimpleUploadedFile("r.csv", good.encode())},
        follow=True,
        **SPANISH,
    )
    html = _html(reply)
    assert_spanish_html(
        html,
        spanish=("Importado en “Informe de retroalimentación importado 2025–26”", "1 recomendación agregada",
                 "1 hallazgo nuevo"),
        english=("Imported into", "recommendation added", "new finding"),
    )  # fmt: skip
    assert Recommendation.objects.get().area == "coaching"  # the area's Spanish name is understood


def test_an_area_is_read_in_english_whatever_the_language():
    from recommendations.importer import area_values

    with translation.override("es"):
        values = area_values()
    assert values["teacherprofessionaldevelopment"] == "teacher_pd" and values["teacherpd"] == "teacher_pd"
    assert values["desarrolloprofesionaldocente"] == "teacher_pd"


def test_the_home_panel_is_spanish(leader_client, report):
    html = _html(leader_client.get(reverse("home"), **SPANISH))
    assert_spanish_html(
        html,
        spanish=("Informes de retroalimentación y recomendaciones", "Informes y calendario", "Panel de adopción"),
        english=("Feedback reports and recommendations", "Reports and calendar", "Uptake dashboard"),
    )


def test_the_import_keeps_working_for_a_spanish_request_without_a_web_page(personas):
    data = f"{HEADER}\nA finding.,A recommendation.,Teacher PD,partial,\n"
    with translation.override("es"):
        result = import_recommendations(district=personas.district, school_year=2025, data=data)
    assert result.ok and result.report.title == "Informe de retroalimentación importado 2025–26"

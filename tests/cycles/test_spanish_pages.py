"""A district leader whose browser asks for Spanish (Accept-Language: es) reads the cycles pages in
Spanish: the templates' words, the form labels and choices, the messages, the study step's
sentence and chart. Each test lists English phrases of its page that must not be left; one lost
{% translate %} tag or gettext call brings its phrase back and fails the test."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cycles import services
from cycles.models import CycleKind, CycleScope, ElementKind, StepKind
from measures import aggregation
from tests.factories import make_instrument
from tests.measures.helpers import survey_in_week
from tests.spanish_pages import ENGLISH, SPANISH, assert_spanish, contains, spanish_page, visible_text

from .factories import CycleFactory

pytestmark = pytest.mark.django_db

# Words every cycles page shows in its header or navigation.
HEADER_ENGLISH = ("Improvement cycles", "Start a cycle", "Practice library", "Benchmark calendar", "Filter")


@pytest.fixture
def plan(personas):
    """A district priority with one why, a logic model whose outcome is linked to a measure, and a
    district PDSA on it whose Plan step is recorded: the leader may change all of it."""
    district, leader = personas.district, personas.leader
    instrument = make_instrument(name="Discussion check", district=district)
    priority = services.priority_create(
        district=district,
        created_by=leader,
        title="Student discourse",
        problem_of_practice="Few explain.",
        school_year=district.current_school_year(),
    )
    services.why_add(priority=priority, why="Why do few explain?", because="Tasks ask for answers only.")
    model = services.logic_model_for(priority=priority)
    activity = services.element_add(logic_model=model, kind=ElementKind.ACTIVITIES, text="Coaching visits")
    outcome = services.element_add(logic_model=model, kind=ElementKind.SHORT, text="More explanations")
    services.arrow_add(logic_model=model, source=activity, target=outcome)
    services.outcome_link(
        element=outcome,
        lineage=instrument.lineage,
        item_order=0,
        scope="district",
        scope_id=district.pk,
        target_percent=60,
    )
    start = timezone.localdate() - datetime.timedelta(days=7)
    cycle = services.cycle_create(
        district=district,
        owner=leader,
        kind=CycleKind.PDSA,
        title="Talk moves",
        aim="More talk.",
        scope=CycleScope.DISTRICT,
        start=start,
        end=start + datetime.timedelta(days=28),
        priority=priority,
    )
    services.step_record(
        cycle=cycle, kind=StepKind.PLAN, recorded_by=leader, date=start, change_idea="Talk moves", prediction="Talk"
    )
    return {"priority": priority, "cycle": cycle, "outcome": outcome}


@pytest.fixture
def leader_client(client, personas):
    client.force_login(personas.leader)
    return client


def test_the_cycle_list_tree_and_timeline_are_spanish(leader_client, plan):
    text = spanish_page(leader_client, reverse("cycles:index"))
    assert_spanish(
        text,
        spanish=("Ciclos de mejora", "Iniciar un ciclo", "Cualquier ámbito", "Maestro o maestra (práctica propia)",
                 "Responsable", "Activo", "Filtrar ciclos"),
        english=HEADER_ENGLISH + ("Any scope", "Any status", "Anyone", "Mine", "School year", "Kind", "Owner",
                                  "Dates", "Status", "Active", "Teacher (own practice)", "List", "Tree", "Timeline"),
    )  # fmt: skip
    text = spanish_page(leader_client, reverse("cycles:tree"))
    assert_spanish(text, spanish=("Árbol", "Semanal"), english=HEADER_ENGLISH + ("Weekly", "District"))
    text = spanish_page(leader_client, reverse("cycles:timeline"))
    assert_spanish(
        text,
        spanish=("Mostrar como tabla", "Cronología de 1 ciclo"),
        english=HEADER_ENGLISH + ("Show as a table", "Start", "End", "Timeline of"),
    )


def test_an_empty_cycle_list_explains_itself_in_spanish(leader_client):
    text = spanish_page(leader_client, reverse("cycles:index"))
    assert_spanish(text, spanish=("Todavía no hay ciclos.",), english=("No cycles", "A cycle tries one change idea"))


def test_the_cycle_page_shows_its_pdsa_steps_in_spanish(leader_client, plan):
    text = spanish_page(leader_client, plan["cycle"].get_absolute_url())
    assert_spanish(
        text,
        spanish=("1. Planificar ✓", "2. Hacer", "3. Estudiar", "4. Actuar", "Idea de cambio", "Predicción",
                 "registrado por", "Registrar el paso “hacer”", "Qué pasó", "Vincular una medición",
                 "Todavía no: los pasos se dan en orden.", "Ciclos anidados", "responsable: Leader",
                 "Todavía no hay ninguna medición práctica vinculada a este ciclo."),
        english=("Plan", "Do", "Study", "Act", "Change idea", "Prediction", "recorded by", "Record do",
                 "What happened", "Surprises", "Link a measure", "Add a nested cycle", "Edit", "Delete", "Aim",
                 "Priority", "Measure", "none linked yet", "Not yet", "Nested cycles", "owner", "Weekly",
                 "Steps of this cycle", "No practical measure is linked"),
    )  # fmt: skip


def test_a_roci_cycle_names_its_five_steps_in_spanish(leader_client, personas):
    start = timezone.localdate()
    cycle = services.cycle_create(
        district=personas.district, owner=personas.leader, kind=CycleKind.ROCI, title="Quarter one",
        aim="Better tasks.", scope=CycleScope.DISTRICT, start=start, end=start + datetime.timedelta(days=80),
    )  # fmt: skip
    text = spanish_page(leader_client, cycle.get_absolute_url())
    assert_spanish(
        text,
        spanish=("1. Fijar metas", "2. Planificar", "3. Actuar", "4. Evaluar", "5. Reflexionar y ajustar",
                 "Metas de este ciclo", "Registrar el paso “fijar metas”"),
        english=("Set goals", "Assess", "Reflect and adjust", "Goals for this cycle", "Record set goals"),
    )  # fmt: skip


def test_the_study_step_says_its_numbers_and_draws_its_chart_in_spanish(client, personas):
    instrument = make_instrument(name="Discussion check")
    for weeks_ago, good in zip(range(8, 0, -1), [5, 6, 5, 6, 14, 15, 14, 16], strict=True):
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=good, unproductive=20 - good)
    aggregation.rebuild_all()
    monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    cycle = CycleFactory(
        classroom=personas.classroom,
        start=monday - datetime.timedelta(weeks=4),
        end=monday - datetime.timedelta(days=1),
    )
    services.measure_link(
        cycle=cycle, lineage=instrument.lineage, item_order=0, scope="classroom", scope_id=personas.classroom.pk,
        target_percent=60,
    )  # fmt: skip
    client.force_login(personas.teacher)
    page = client.get(cycle.get_absolute_url(), **SPANISH).content.decode()
    text = visible_text(page)
    assert_spanish(
        text,
        spanish=("Mediana de la línea de base 28% (4 semanas) → mediana del ciclo 72% (4 semanas): +45 puntos.",
                 "Mediana del ciclo", "Reglas del gráfico de rachas", "Alcanzado", "60% productivas",
                 "Mostrar los números", "Gráfico de rachas:"),
        english=("Baseline median", "Cycle median", "Run-chart rules", "Signal", "No signal", "Target", "Met",
                 "60% productive", "The centre line is the baseline median", "Show the numbers", "Run chart",
                 "weeks", "points"),
    )  # fmt: skip
    figure = json.loads(re.search(r'<script id="study-figure" type="application/json">(.*?)</script>', page)[1])
    names = [t["name"] for t in figure["data"]]
    assert names[1:] == ["mediana de la línea de base 28%", "mediana del ciclo 72%"], names
    annotations = [a["text"] for a in figure["layout"]["annotations"]]
    assert annotations[:2] == ["inicio del ciclo", "fin del ciclo"] and "objetivo 60%" in annotations


def test_the_cycle_form_labels_choices_and_errors_are_spanish(leader_client, plan):
    url = reverse("cycles:cycle_add")
    text = spanish_page(leader_client, url)
    assert_spanish(
        text,
        spanish=("Tipo", "PDSA (planificar, hacer, estudiar, actuar)", "Propósito", "Ámbito", "Frecuencia",
                 "Parte de un ciclo más amplio", "Iniciar el ciclo", "Cancelar"),
        english=("Kind", "PDSA (plan, do, study, act)", "ROCI (results-oriented cycle of inquiry)", "Title", "Aim",
                 "Scope", "Cadence", "Weekly", "Part of a larger cycle", "Start the cycle", "Cancel",
                 "What will improve, by how much, by when."),
    )  # fmt: skip
    reply = leader_client.post(url, {"kind": "pdsa", "title": "No dates", "aim": "x", "scope": "district",
                                     "cadence": "weekly"}, **SPANISH)  # fmt: skip
    text = visible_text(reply.content.decode())
    assert "Indica una fecha o alinea el ciclo con el calendario de evaluaciones de referencia." in text
    assert not contains(text, "Give a date")


def test_recording_a_step_answers_in_spanish(leader_client, plan):
    cycle = plan["cycle"]
    reply = leader_client.post(
        reverse("cycles:step", args=[cycle.pk, "do"]),
        {"step-date": timezone.localdate().isoformat(), "step-notes": "Went well"},
        follow=True,
        **SPANISH,
    )  # fmt: skip
    text = visible_text(reply.content.decode())
    assert "Paso “Hacer” registrado." in text and not contains(text, "recorded")


def test_the_priority_pages_are_spanish(leader_client, plan):
    priority = plan["priority"]
    text = spanish_page(leader_client, reverse("cycles:priorities"))
    assert_spanish(
        text,
        spanish=("Agregar una prioridad", "Todos los años", "Cualquier estado", "Propuesta", "Solo el distrito",
                 "Causa raíz", "porqué × 1", "Subir “Student discourse”"),
        english=("Add a priority", "Practice library", "School year", "Every year", "Any status", "Proposed",
                 "District and schools", "District only", "Root cause", "why", "Filter", "Move"),
    )  # fmt: skip
    text = spanish_page(leader_client, priority.get_absolute_url())
    assert_spanish(
        text,
        spanish=("Prioridad del distrito", "Problema de práctica", "Cinco porqués", "¿Por qué?", "Porque",
                 "causa raíz", "Agregar el porqué 2", "Prácticas basadas en evidencia", "Ciclos sobre esta prioridad",
                 "A partir de un resultado del modelo lógico", "Iniciar un ciclo para este resultado"),
        english=("District priority", "rank", "Logic model", "Problem of practice", "Five Whys", "Why?", "Because",
                 "root cause", "Add why 2", "Save why 1", "Evidence-based practices", "None chosen yet",
                 "Cycles on this priority", "From an outcome of the logic model", "Start a cycle for this outcome",
                 "Start a cycle", "Edit", "Delete", "target"),
    )  # fmt: skip
    text = spanish_page(leader_client, reverse("cycles:priority_edit", args=[priority.pk]))
    assert_spanish(
        text,
        spanish=("Título", "— todo el distrito —", "Problema de práctica", "Quiénes participaron", "Guardar"),
        english=("Title", "the whole district", "Problem of practice", "Data reviewed", "Who took part",
                 "School and classroom context", "Save", "Links to measure dashboards, one per line."),
    )  # fmt: skip


def test_the_logic_model_page_and_its_diagram_are_spanish(leader_client, plan):
    text = spanish_page(leader_client, reverse("cycles:logic_model", args=[plan["priority"].pk]))
    assert_spanish(
        text,
        spanish=("Modelo lógico: Student discourse", "Insumos y recursos", "Resultados a corto plazo",
                 "Supuestos", "(ninguno todavía)", "Agregar un recuadro", "Agregar una flecha", "Conduce a",
                 "vinculada:", "objetivo 60", "Imprimir", "Descargar SVG", "Recuadros", "Flechas"),
        english=("Logic model", "Inputs and resources", "Short-term outcomes", "Assumptions", "External factors",
                 "none yet", "Add a box", "Add an arrow", "Leads to", "From", "linked", "target", "Print",
                 "Download SVG", "Boxes", "Arrows", "Kind", "Text", "Change", "remove", "Latest"),
    )  # fmt: skip


def test_the_practice_library_and_benchmark_calendar_are_spanish(leader_client, plan):
    text = spanish_page(leader_client, reverse("cycles:practices"))
    assert_spanish(
        text,
        spanish=("Prácticas basadas en evidencia", "Todas", "Fuente", "Se prueba en",
                 "Prácticas de enseñanza de las matemáticas del NCTM"),
        english=("Evidence-based practices", "All", "Source", "Tried in", "Our district",
                 "NCTM Mathematics Teaching Practices", "No practices here yet"),
    )  # fmt: skip
    text = spanish_page(leader_client, reverse("cycles:benchmarks"))
    assert_spanish(
        text,
        spanish=("Calendario de evaluaciones de referencia", "Agregar un período", "Nombre"),
        english=("Benchmark calendar", "Add a window", "No benchmark windows yet", "Name", "Add"),
    )


def test_the_delete_and_measure_pages_are_spanish(leader_client, plan):
    cycle = plan["cycle"]
    text = spanish_page(leader_client, reverse("cycles:cycle_delete", args=[cycle.pk]))
    assert_spanish(
        text,
        spanish=("¿Eliminar “Talk moves”?", "Eliminar el ciclo"),
        english=("Delete", "Its steps and measure link are deleted", "Delete the cycle", "Cancel"),
    )
    text = spanish_page(leader_client, reverse("cycles:cycle_measure", args=[cycle.pk]))
    assert_spanish(
        text,
        spanish=("Instrumento y pregunta", "Resultados de quién", "índice general", "Distrito: Riverside",
                 "Inicio de la línea de base", "Vincular la medición"),
        english=("Instrument and item", "Whose results", "overall index", "District:", "Baseline start",
                 "Baseline end", "Link the measure", "Only results you may see are offered"),
    )  # fmt: skip


def test_an_english_browser_still_reads_english(client, personas, plan):
    client.force_login(personas.leader)
    page = client.get(plan["cycle"].get_absolute_url(), **ENGLISH).content.decode()
    assert "Change idea" in page and "1. Plan ✓" in page and "Idea de cambio" not in page

"""The starter instruments every district may use (district=None), in English and Spanish.

The first two whole-class items are quoted from the practical measures of mathematics discussions
presented in seed 003 (research-practice partnerships in middle-grades mathematics; the surveys are at
www.education.uw.edu/pmr2). Every other item was written by PD Cycles after the aspects of productive
discussions the same work names. Districts adapt these or enter their own (e.g. licensed PMR2 items).

Lineage UUIDs are literals so a starter is the same series on every install (trends and exports key
on the lineage). The data lives here, not imported from app code, so this migration never changes.
"""

import uuid

from django.db import migrations

WHOLE_CLASS = uuid.UUID("ebc46fd2-1733-41ec-921b-f58233e7c080")
SMALL_GROUP = uuid.UUID("72a98794-0717-4656-a80c-2739e1fa6653")
TASK_LAUNCH = uuid.UUID("2f68dcef-9ebe-49c4-b548-c83f8b2418fe")
PD_FEEDBACK = uuid.UUID("81e5d47a-21ef-44da-8d5c-e47fcc790977")

# (English, Spanish, productive)
AGREEMENT = [
    ("Strongly disagree", "Totalmente en desacuerdo", False),
    ("Disagree", "En desacuerdo", False),
    ("Agree", "De acuerdo", True),
    ("Strongly agree", "Totalmente de acuerdo", True),
]


def yes_no(productive):
    return [("Yes", "Sí", productive == "yes"), ("No", "No", productive == "no")]


_SOURCE = (
    "A starter instrument written by PD Cycles after the practical measures of mathematics discussions "
    "that research-practice partnerships developed with middle-grades teachers, coaches and district leaders "
    "(see www.education.uw.edu/pmr2)."
)
_OWN = (
    "Your district may adapt it, or enter its own instrument instead (for example licensed PMR2 items). "
    "Starter instruments themselves are read-only."
)

STARTERS = [
    {
        "lineage": WHOLE_CLASS,
        "name": "Whole-class discussion",
        "name_es": "Discusión con toda la clase",
        "kind": "whole_class",
        "audience": "students",
        "description": (
            f"{_SOURCE} Students answer right after a whole-class discussion, in under 3 minutes. "
            "The first two items are quoted from that practical-measures work; the others were written by "
            "PD Cycles on the aspects of productive discussions it names: students explaining their reasoning "
            "so others understand, the teacher pressing students to explain and justify, and making connections "
            f"between different solutions. {_OWN}"
        ),
        "items": [
            {
                "prompt_en": "What did you need to do in order to be successful in your math class today?",
                "prompt_es": "¿Qué necesitabas hacer para que te fuera bien en tu clase de matemáticas hoy?",
                "kind": "single",
                "options": [
                    (
                        "Listen to and make sense of other students' reasoning",
                        "Escuchar y entender el razonamiento de otros estudiantes",
                        True,
                    ),
                    (
                        "Solve problems using the steps the teacher showed me",
                        "Resolver problemas usando los pasos que me enseñó mi maestro o maestra",
                        False,
                    ),
                    ("Finish all of my work", "Terminar todo mi trabajo", False),
                ],
            },
            {
                "prompt_en": (
                    "Did you have trouble understanding your classmates' thinking in today's whole class discussion?"
                ),
                "prompt_es": (
                    "¿Te costó trabajo entender lo que pensaban tus compañeros en la discusión con toda la clase hoy?"
                ),
                "kind": "yes_no",
                "options": yes_no(productive="no"),
            },
            {
                "prompt_en": (
                    "In today's whole class discussion, did your teacher ask students to explain why their answers "
                    "make sense?"
                ),
                "prompt_es": (
                    "En la discusión con toda la clase hoy, ¿tu maestro o maestra les pidió a los estudiantes que "
                    "explicaran por qué sus respuestas tienen sentido?"
                ),
                "kind": "yes_no",
                "options": yes_no(productive="yes"),
            },
            {
                "prompt_en": (
                    "When I shared my thinking today, I explained it so that my classmates could understand it."
                ),
                "prompt_es": (
                    "Cuando compartí mis ideas hoy, las expliqué de una manera que mis compañeros pudieran entender."
                ),
                "kind": "agreement",
                "options": AGREEMENT,
            },
            {
                "prompt_en": (
                    "Today's discussion helped me see how different ways of solving the problem are connected."
                ),
                "prompt_es": (
                    "La discusión de hoy me ayudó a ver cómo se relacionan las diferentes maneras de resolver "
                    "el problema."
                ),
                "kind": "agreement",
                "options": AGREEMENT,
            },
        ],
    },
    {
        "lineage": SMALL_GROUP,
        "name": "Small-group work",
        "name_es": "Trabajo en grupos pequeños",
        "kind": "small_group",
        "audience": "students",
        "description": (
            f"{_SOURCE} Students answer right after working on a task in small groups, in under 3 minutes. "
            "All items were written by PD Cycles on the aspects of productive discussions that work names, "
            f"applied to small groups: working on a demanding task together and explaining reasoning to each other. "
            f"{_OWN}"
        ),
        "items": [
            {
                "prompt_en": "What did you spend most of your time doing in your group today?",
                "prompt_es": "¿Qué hiciste la mayor parte del tiempo en tu grupo hoy?",
                "kind": "single",
                "options": [
                    (
                        "Working on the problem together and talking about our ideas",
                        "Resolver el problema juntos y hablar de nuestras ideas",
                        True,
                    ),
                    ("Working on the problem by myself", "Resolver el problema yo solo o sola", False),
                    ("Copying answers from someone in my group", "Copiar las respuestas de alguien de mi grupo", False),
                    ("Doing something other than math", "Hacer algo que no era de matemáticas", False),
                ],
            },
            {
                "prompt_en": "Did you have trouble understanding the thinking of the people in your group today?",
                "prompt_es": "¿Te costó trabajo entender lo que pensaban las personas de tu grupo hoy?",
                "kind": "yes_no",
                "options": yes_no(productive="no"),
            },
            {
                "prompt_en": "In my group, we explained our reasoning to each other, not just our answers.",
                "prompt_es": "En mi grupo, nos explicamos unos a otros cómo pensamos, no solo las respuestas.",
                "kind": "agreement",
                "options": AGREEMENT,
            },
            {
                "prompt_en": "Everyone in my group had a chance to share their ideas.",
                "prompt_es": "Todos en mi grupo tuvieron la oportunidad de compartir sus ideas.",
                "kind": "agreement",
                "options": AGREEMENT,
            },
            {
                "prompt_en": "Today, when your group did not know what to do next, what did you do?",
                "prompt_es": "Hoy, cuando tu grupo no sabía cómo seguir, ¿qué hicieron?",
                "kind": "single",
                "options": [
                    (
                        "We talked about our ideas until we figured it out",
                        "Hablamos de nuestras ideas hasta que lo resolvimos",
                        True,
                    ),
                    (
                        "We waited for the teacher to tell us what to do",
                        "Esperamos a que el maestro o la maestra nos dijera qué hacer",
                        False,
                    ),
                    ("We stopped working on it", "Dejamos de trabajar en el problema", False),
                    ("This did not happen today", "Esto no pasó hoy", False),
                ],
            },
        ],
    },
    {
        "lineage": TASK_LAUNCH,
        "name": "Task launch",
        "name_es": "Presentación del problema",
        "kind": "task_launch",
        "audience": "students",
        "description": (
            f"{_SOURCE} Three quick items students answer after the teacher launches a challenging task. "
            "Written by PD Cycles: a good launch makes the situation clear without taking the thinking away. "
            f"{_OWN}"
        ),
        "items": [
            {
                "prompt_en": "After your teacher introduced today's problem, did you understand what it was asking?",
                "prompt_es": (
                    "Después de que tu maestro o maestra presentó el problema de hoy, "
                    "¿entendiste lo que pedía el problema?"
                ),
                "kind": "yes_no",
                "options": yes_no(productive="yes"),
            },
            {
                "prompt_en": "When today's problem was introduced, what did your teacher do?",
                "prompt_es": "Cuando se presentó el problema de hoy, ¿qué hizo tu maestro o maestra?",
                "kind": "single",
                "options": [
                    (
                        "Helped us understand the situation and let us figure out how to solve it",
                        "Nos ayudó a entender la situación y nos dejó descubrir cómo resolverlo",
                        True,
                    ),
                    ("Showed us the steps to solve it", "Nos mostró los pasos para resolverlo", False),
                    ("I'm not sure", "No estoy seguro o segura", False),
                ],
            },
            {
                "prompt_en": "Today's problem made me think hard.",
                "prompt_es": "El problema de hoy me hizo pensar mucho.",
                "kind": "agreement",
                "options": AGREEMENT,
            },
        ],
    },
    {
        "lineage": PD_FEEDBACK,
        "name": "PD session feedback",
        "name_es": "Opinión sobre la sesión de desarrollo profesional",
        "kind": "pd_feedback",
        "audience": "adults",
        "description": (
            "A starter instrument written by PD Cycles in the spirit of the practical measures (a few items, "
            "answered in minutes), for anonymous feedback from participants at the end of "
            "a professional-development session: was the session well designed, did it meet its stated goals, "
            f"and what should change next time. {_OWN}"
        ),
        "items": [
            {
                "prompt_en": "The session was well designed.",
                "prompt_es": "La sesión estuvo bien diseñada.",
                "kind": "agreement",
                "options": AGREEMENT,
            },
            {
                "prompt_en": "The session met its stated goals.",
                "prompt_es": "La sesión cumplió con los objetivos que se plantearon.",
                "kind": "agreement",
                "options": AGREEMENT,
            },
            {
                "prompt_en": "What would you change about this session?",
                "prompt_es": "¿Qué cambiaría de esta sesión?",
                "kind": "text",
                "required": False,
                "options": [],
            },
        ],
    },
]


def add_starters(apps, schema_editor):
    Instrument = apps.get_model("measures", "Instrument")
    Item = apps.get_model("measures", "Item")
    Option = apps.get_model("measures", "Option")
    for spec in STARTERS:
        if Instrument.objects.filter(lineage=spec["lineage"], version=1).exists():
            continue  # already there (e.g. loaded from a fixture)
        instrument = Instrument.objects.create(
            district=None,
            lineage=spec["lineage"],
            version=1,
            name=spec["name"],
            name_es=spec["name_es"],
            kind=spec["kind"],
            audience=spec["audience"],
            description=spec["description"],
            is_current=True,
        )
        for order, item_spec in enumerate(spec["items"], start=1):
            item = Item.objects.create(
                instrument=instrument,
                order=order,
                prompt_en=item_spec["prompt_en"],
                prompt_es=item_spec["prompt_es"],
                kind=item_spec["kind"],
                required=item_spec.get("required", True),
            )
            Option.objects.bulk_create(
                Option(item=item, order=n, label_en=en, label_es=es, value=n, productive=productive)
                for n, (en, es, productive) in enumerate(item_spec["options"], start=1)
            )


def remove_starters(apps, schema_editor):
    # Administrations protect their instrument: a database where students answered a starter
    # refuses to unapply this migration rather than lose their answers.
    Instrument = apps.get_model("measures", "Instrument")
    Instrument.objects.filter(district__isnull=True, lineage__in=[s["lineage"] for s in STARTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_starters, remove_starters),
    ]

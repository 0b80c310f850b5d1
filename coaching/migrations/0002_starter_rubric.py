"""The starter observation rubric every district may use (district=None).

Its six dimension names are those of the Instructional Quality Assessment (IQA) for mathematics
(Boston & Wolf 2006; Boston 2012), as listed in ../shared/data/reference.json, scored 0–4. The
level descriptors are NOT the IQA's: PD Cycles wrote them for coaching conversations, and the
rubric's description says so. Districts adapt it or define their own.

The lineage UUID is a literal so the starter is the same series on every install. The data lives
here, not imported from app code, so this migration never changes.
"""

import uuid

from django.db import migrations

STARTER = uuid.UUID("5d0c2f0e-7c1a-4a51-9a43-3c3e6a1b2f71")

NAME = "Starter lesson rubric (IQA dimensions)"
DESCRIPTION = (
    "Six dimensions named after the Instructional Quality Assessment (IQA) for mathematics "
    "(Boston & Wolf, 2006; Boston, 2012), each scored 0–4 (4 = highest). The level descriptors were "
    "written by PD Cycles for coaching conversations; they are not the IQA's own rubrics and are no "
    "substitute for IQA training. Your district may adapt this rubric or define its own."
)
LABELS = ("Not observed", "Limited", "Developing", "Proficient", "Strong")

# (dimension, what it looks at, descriptors for scores 0..4) — written by PD Cycles.
DIMENSIONS = [
    (
        "Potential of the Task",
        "The mathematical demand of the task as the teacher planned and posed it.",
        (
            "No mathematical task, or the task is unrelated to the lesson's mathematics.",
            "The task asks students to recall facts or apply a given procedure; one answer, one way.",
            "The task uses a procedure, with some connection to meaning, but a single path is expected.",
            "The task has more than one entry point and asks students to use and connect representations "
            "or explain why a procedure works.",
            "The task asks students to explore a relationship, justify or generalize, and compare several "
            "strategies or representations; the mathematics stays central.",
        ),
    ),
    (
        "Task Implementation",
        "The level of thinking students actually did as the lesson unfolded.",
        (
            "Students did not work on the task, or worked on something else.",
            "Students practiced procedures; the thinking was done for them (steps given, hints that remove "
            "the challenge).",
            "Students used procedures with some talk about meaning, but the demand was lowered as they got stuck.",
            "Most students worked on the mathematics the task intended, explaining their thinking; "
            "the teacher supported without taking over the thinking.",
            "Students sustained the task's full demand: they made conjectures, justified them and connected "
            "strategies, with the teacher pressing for meaning throughout.",
        ),
    ),
    (
        "Rigor of the (whole-class) Discussion",
        "The mathematical substance of the whole-class discussion.",
        (
            "No whole-class discussion of the mathematics took place.",
            "Students reported answers or steps; the discussion stayed at the level of procedures.",
            "Some strategies were shared and described, but their meaning was not explored.",
            "Students explained strategies and why they work; some connections among strategies were made.",
            "Students explained, compared and justified strategies and generalized from them; the discussion "
            "built the lesson's mathematical goal.",
        ),
    ),
    (
        "Teacher's Questions (Questioning)",
        "What the teacher's questions asked students to do.",
        (
            "No questions, or only questions about behavior and logistics.",
            "Questions asked for answers, facts or the next step of a procedure.",
            "Some questions asked students to describe what they did, few to explain why.",
            "Questions regularly asked students to explain their reasoning and make sense of the mathematics.",
            "Questions consistently pressed students to justify, generalize and connect ideas, and were "
            "followed up on students' answers.",
        ),
    ),
    (
        "Accountable Talk: teacher's and students' Linking",
        "Whether contributions were tied to one another.",
        (
            "No whole-class talk in which contributions could be linked.",
            "Contributions stood alone; no one referred to another person's idea.",
            "The teacher occasionally connected one student's idea to another's.",
            "The teacher and some students explicitly linked contributions (agreeing, building on, contrasting).",
            "Students routinely linked their ideas to others' and the teacher connected ideas to the "
            "lesson's mathematical goal.",
        ),
    ),
    (
        "Accountable Talk: teacher's Press and students' Providing",
        "Whether the teacher pressed for reasoning and students provided evidence for their claims.",
        (
            "No press for reasoning and no explanations offered.",
            "The teacher rarely asked for reasons; students gave answers without support.",
            "The teacher sometimes pressed ('How do you know?'); students' explanations were brief or "
            "procedural.",
            "The teacher pressed consistently and most students provided reasons grounded in the mathematics.",
            "Press for reasoning was the norm; students gave complete, mathematically grounded justifications "
            "and asked each other for them.",
        ),
    ),
]


def add_starter(apps, schema_editor):
    Rubric = apps.get_model("coaching", "Rubric")
    RubricDimension = apps.get_model("coaching", "RubricDimension")
    RubricLevel = apps.get_model("coaching", "RubricLevel")
    rubric = Rubric.objects.create(district=None, lineage=STARTER, version=1, name=NAME, description=DESCRIPTION)
    for order, (name, about, descriptors) in enumerate(DIMENSIONS, start=1):
        dimension = RubricDimension.objects.create(rubric=rubric, order=order, name=name, description=about)
        RubricLevel.objects.bulk_create(
            [
                RubricLevel(dimension=dimension, score=score, label=LABELS[score], descriptor=text)
                for score, text in enumerate(descriptors)
            ]
        )


def remove_starter(apps, schema_editor):
    Rubric = apps.get_model("coaching", "Rubric")
    Observation = apps.get_model("coaching", "Observation")
    starters = Rubric.objects.filter(lineage=STARTER, district=None)
    Observation.objects.filter(rubric__in=starters).delete()
    starters.delete()


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(add_starter, remove_starter)]

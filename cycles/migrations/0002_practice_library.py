"""The shared practice library: NCTM's eight Mathematics Teaching Practices and the What Works
Clearinghouse mathematics practice-guide recommendations (district empty: every district sees them).

The wording is copied here as literals, so this migration never changes and the app never reads the
reference files at run time. Only recommendations marked "verified" in the project's reference data
are shipped; the unverified ones (the 2021 elementary intervention guide, WWC 2021006) are left out
until someone checks them against the guide. Reversing removes exactly these entries.
"""

from django.db import migrations

NCTM_SOURCE = 'NCTM (2014). Principles to Actions: Ensuring Mathematical Success for All. Reston, VA: NCTM.'
NCTM = [
    'Establish mathematics goals to focus learning',
    'Implement tasks that promote reasoning and problem solving',
    'Use and connect mathematical representations',
    'Facilitate meaningful mathematical discourse',
    'Pose purposeful questions',
    'Build procedural fluency from conceptual understanding',
    'Support productive struggle in learning mathematics',
    'Elicit and use evidence of student thinking',
]

# (guide title, guide id, grades, [(number, recommendation text)]) — only recommendations
# marked verified in the reference data; the unverified ones are left out (see module docstring).
WWC = [
    (
        'Teaching Strategies for Improving Algebra Knowledge in Middle and High School Students',
        'NCEE 2015-4010',
        '6-12',
        [
            (1, 'Use solved problems to engage students in analyzing algebraic reasoning and strategies.'),
            (2, 'Teach students to utilize the structure of algebraic representations.'),
            (3, 'Teach students to intentionally choose from alternative algebraic strategies when solving problems.'),
        ],
    ),
    (
        'Assisting Students Struggling with Mathematics: Response to Intervention (RtI) for Elementary and Middle Schools',
        'NCEE 2009-4060',
        'K-8',
        [
            (1, 'Screen all students to identify those at risk for potential mathematics difficulties and provide interventions to students identified as at risk.'),
            (2, 'Instructional materials for students receiving interventions should focus intensely on in-depth treatment of whole numbers in kindergarten through grade 5 and on rational numbers in grades 4 through 8.'),
            (3, 'Instruction during the intervention should be explicit and systematic.'),
            (4, 'Interventions should include instruction on solving word problems that is based on common underlying structures.'),
            (5, 'Intervention materials should include opportunities for students to work with visual representations of mathematical ideas and interventionists should be proficient in the use of visual representations of mathematical ideas.'),
            (6, 'Interventions at all grade levels should devote about 10 minutes in each session to building fluent retrieval of basic arithmetic facts.'),
            (7, 'Monitor the progress of students receiving supplemental instruction and other students who are at risk.'),
            (8, 'Include motivational strategies in tier 2 and tier 3 interventions.'),
        ],
    ),
    (
        'Improving Mathematical Problem Solving in Grades 4 Through 8',
        'NCEE 2012-4055',
        '4-8',
        [
            (1, 'Prepare problems and use them in whole-class instruction.'),
            (2, 'Assist students in monitoring and reflecting on the problem-solving process.'),
            (3, 'Teach students how to use visual representations.'),
            (4, 'Expose students to multiple problem-solving strategies.'),
            (5, 'Help students recognize and articulate mathematical concepts and notation.'),
        ],
    ),
    (
        'Developing Effective Fractions Instruction for Kindergarten Through 8th Grade',
        'NCEE 2010-4039',
        'K-8',
        [
            (1, "Build on students' informal understanding of sharing and proportionality to develop initial fraction concepts."),
            (2, 'Help students recognize that fractions are numbers and that they expand the number system beyond whole numbers. Use number lines as a central representational tool in teaching this and other fraction concepts from the early grades onward.'),
            (3, 'Help students understand why procedures for computations with fractions make sense.'),
            (4, "Develop students' conceptual understanding of strategies for solving ratio, rate, and proportion problems before exposing them to cross-multiplication as a procedure to use to solve such problems."),
            (5, "Professional development programs should place a high priority on improving teachers' understanding of fractions and of how to teach them."),
        ],
    ),
]


def _entries():
    for n, title in enumerate(NCTM, start=1):
        yield {
            "source": "nctm",
            "code": f"NCTM {n}",
            "title": title,
            "description": "",
            "guide": NCTM_SOURCE,
            "grade_band": "K-12",
            "url": "https://www.nctm.org/PtA/",
            "order": n,
        }
    for guide, guide_id, grades, recommendations in WWC:
        for n, text in recommendations:
            yield {
                "source": "wwc",
                "code": f"{guide_id} · {n}",
                "title": text,
                "description": f"Recommendation {n} of the What Works Clearinghouse practice guide “{guide}” ({guide_id}).",
                "guide": f"{guide} ({guide_id})",
                "grade_band": grades,
                "url": "https://ies.ed.gov/ncee/wwc/PracticeGuides",
                "order": n,
            }


def ship(apps, schema_editor):
    Practice = apps.get_model("cycles", "Practice")
    for entry in _entries():
        Practice.objects.update_or_create(district=None, code=entry["code"], defaults=entry)


def unship(apps, schema_editor):
    Practice = apps.get_model("cycles", "Practice")
    Practice.objects.filter(district=None, code__in=[e["code"] for e in _entries()]).delete()


class Migration(migrations.Migration):
    dependencies = [("cycles", "0001_initial")]

    operations = [migrations.RunPython(ship, unship)]

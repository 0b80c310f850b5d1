"""No view bypasses the publication layer: outside the modules that write or publish survey counts,
no code reads the answer-level models or aggregation's readers (read from the source, AST)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["districts", "measures", "cycles", "pd", "recommendations", "coaching", "pdcycles"]

# Where counting answers is the job: the counters, the gate, the writers that keep them current.
ALLOWED = {
    "measures/aggregation.py",
    "measures/publication.py",
    "measures/models.py",
    "measures/admin.py",
    "measures/services.py",
    "measures/tasks.py",
    "measures/deletion.py",
    "measures/retention.py",
    "measures/retention_tasks.py",
}
ANSWER_MODELS = {"Answer", "ItemSummary", "AdministrationSummary", "TrendPoint"}
READERS = {
    "administration_results",
    "text_answers",
    "trend_series",
    "series_of",
    "classroom_item_points",
    "classroom_item_series",
}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or rel in ALLOWED or path.name == "demo.py" or "/management/" in rel:
                continue
            yield rel, ast.parse(path.read_text())


def _offences(tree) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(("measures.models", ".models")):
            if node.module in ("measures.models",) or (node.level and node.module == "models"):
                found |= {a.name for a in node.names} & ANSWER_MODELS
        if isinstance(node, ast.ImportFrom) and node.module in ("measures.aggregation", "aggregation"):
            found |= {a.name for a in node.names} & READERS
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "aggregation":
            if node.attr in READERS:
                found.add(f"aggregation.{node.attr}")
    return found


@pytest.mark.parametrize(("path", "tree"), list(_sources()), ids=lambda v: v if isinstance(v, str) else "")
def test_survey_numbers_reach_people_only_through_the_publication_layer(path, tree):
    assert _offences(tree) == set()


def test_the_gate_test_sees_a_bypass():
    tree = ast.parse("from measures import aggregation\n\ndef v(r):\n    return aggregation.trend_series(scope=1)\n")
    assert _offences(tree) == {"aggregation.trend_series"}
    assert _offences(ast.parse("from measures.models import TrendPoint, Instrument\n")) == {"TrendPoint"}

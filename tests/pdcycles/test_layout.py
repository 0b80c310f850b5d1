"""The layout's promises: dependencies run one way (pd, recommendations, coaching → cycles →
measures → districts), no app is more than about a third of the code, and module names carry no
app prefixes. Imports are read from the source (AST), including names handed to importlib."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["districts", "measures", "cycles", "pd", "recommendations", "coaching", "pdcycles"]

# What each app must never import (directly, lazily inside a function, or by a string to importlib).
FORBIDDEN = {
    "districts": {"measures", "cycles", "pd", "recommendations", "coaching", "pdcycles"},
    "measures": {"cycles", "pd", "recommendations", "coaching", "pdcycles"},
    "cycles": {"pd", "recommendations", "coaching", "pdcycles"},
    "pd": {"recommendations", "coaching", "pdcycles"},
    "recommendations": {"pd", "coaching", "pdcycles"},
    "coaching": {"pd", "recommendations", "pdcycles"},
}


def _sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(path: Path) -> set[str]:
    """Top-level packages a module imports, plus the first part of any constant string passed to
    importlib.import_module, __import__ or apps.get_model-style lookups by dotted module path."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in {"import_module", "__import__"}:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value.split(".")[0])
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_dependencies_run_one_way(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in _sources(app)
        if imported_apps(path) & FORBIDDEN[app]
    }
    assert offenders == {}


def test_the_check_sees_a_string_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import importlib\n\ndef f():\n    return importlib.import_module('coaching.demo')\n")
    assert "coaching" in imported_apps(module)


def _lines(app: str) -> int:
    return sum(len(path.read_text().splitlines()) for path in _sources(app))


def test_no_app_is_more_than_about_a_third_of_the_code():
    sizes = {app: _lines(app) for app in APPS}
    total = sum(sizes.values())
    assert max(sizes.values()) / total <= 0.36, sizes


def test_cycles_holds_no_pd_or_recommendation_modules():
    names = [p.name for p in (ROOT / "cycles").glob("*.py")]
    assert [n for n in names if n.startswith(("pd_", "recommendation", "uptake"))] == []


def test_services_do_not_import_tasks():
    """Tasks are thin and call services; a services module that imported its tasks made a loop."""
    for path in ROOT.glob("*/services.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").endswith("tasks"), path
                assert "tasks" not in {a.name for a in node.names} or node.level == 0, path


def test_no_module_glues_imports_mid_file():
    """No `# noqa: E402` outside migrations and settings: modules import at the top."""
    found = [
        str(path.relative_to(ROOT))
        for folder in [*APPS, "bench", "tests"]
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and not path.name.startswith("settings") and "E402" in path.read_text()
    ]
    assert found == [] or found == ["tests/pdcycles/test_layout.py"], found

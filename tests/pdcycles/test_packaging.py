"""`pip install -e .` installs the project package and every app, never the tests or benchmarks, under
the licence the README names; constraints.txt pins everything the requirements files ask for."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
tomllib = pytest.importorskip("tomllib")  # Python 3.11+
setuptools = pytest.importorskip("setuptools")


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_package_list_holds_the_project_and_every_app_and_no_tests():
    find = _project()["tool"]["setuptools"]["packages"]["find"]
    packages = set(setuptools.find_packages(where=str(ROOT), exclude=find["exclude"]))
    local_apps = {app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()}
    assert local_apps and local_apps | {"pdcycles"} <= packages
    assert not {p for p in packages if p.split(".")[0] in ("tests", "bench")}


def test_the_licence_is_the_agpl_in_full():
    project = _project()["project"]
    assert project["license"] == "AGPL-3.0-or-later" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("                    GNU AFFERO GENERAL PUBLIC LICENSE\n")
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert text.rstrip().endswith("<https://www.gnu.org/licenses/>.")


def _names(path):
    lines = (ROOT / path).read_text().splitlines()
    return {
        re.split(r"[\[=<>~ ]", line, maxsplit=1)[0].lower().replace("_", "-") for line in lines if line[:1].isalpha()
    }


def test_constraints_pin_every_requirement():
    pinned = dict(
        line.split("==", 1) for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line[:80]
    )
    pinned = {name.lower().replace("_", "-"): version for name, version in pinned.items()}
    missing = (_names("requirements.txt") | _names("requirements-dev.txt")) - set(pinned)
    assert missing == set()

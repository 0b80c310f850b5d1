"""The README's production recipe: `manage.py` is production by default and collectstatic works with DEBUG=0."""

import json

from .test_settings import _manage

PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-Zq81!x",
    "ALLOWED_HOSTS": "pd.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_manage_py_runs_in_production_mode_unless_told_otherwise():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert _manage("check", DEBUG="1").returncode == 0
    # Writing source files (a migrations check, translations) needs no production settings.
    assert _manage("makemigrations", "--check", "--dry-run").returncode == 0


def test_collectstatic_writes_a_manifest_with_debug_off(tmp_path):
    root = tmp_path / "static"
    result = _manage("collectstatic", "--noinput", DEBUG="0", STATIC_ROOT=str(root), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/bootstrap/bootstrap.bundle.min.js", "vendor/bootstrap/bootstrap.min.css", "css/app.css"):
        hashed = manifest[name]
        assert hashed != name and (root / hashed).exists()
        assert (root / f"{hashed}.gz").exists()
    assert "vendor/plotly/plotly.min.js" in manifest

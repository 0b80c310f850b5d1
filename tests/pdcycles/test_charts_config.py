"""Charts stay on the site and stay light: one plotly configuration with no button that sends a chart
off the site, a strict CSP, and the small plotly.js build served hashed and compressed."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from plotly.offline import get_plotlyjs_version
from whitenoise.middleware import WhiteNoiseMiddleware

ROOT = Path(__file__).resolve().parents[2]
CHARTS_JS = ROOT / "static" / "js" / "charts.js"
BUNDLE = ROOT / "static" / "vendor" / "plotly" / "plotly.min.js"

# Modebar buttons that work inside the page (download an image of the chart, zoom, reset).
ON_SITE_BUTTONS = {"toImage", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d", "zoom2d", "pan2d"}


def _config():
    match = re.search(r"var CONFIG = (\{.*?\});", CHARTS_JS.read_text(), re.S)
    assert match, "static/js/charts.js must declare its plotly configuration as `var CONFIG = {...};`"
    return json.loads(match.group(1))


def test_the_plotly_config_shows_only_buttons_that_stay_on_the_site():
    config = _config()
    assert config["displaylogo"] is False  # the logo links to plotly's site
    assert config["showSendToCloud"] is False  # "Share chart…" uploads the figure
    assert config["plotlyServerURL"] == ""  # nowhere to upload to, whatever a button asks
    buttons = {name for group in config["modeBarButtons"] for name in group}
    assert buttons and buttons <= ON_SITE_BUTTONS, buttons - ON_SITE_BUTTONS


def test_charts_js_is_the_only_place_that_draws_a_chart():
    assert "newPlot(el, fig.data, fig.layout, CONFIG)" in CHARTS_JS.read_text()
    drawing = re.compile(r"Plotly\.(newPlot|react|plot|restyle|relayout|update)\(")
    elsewhere = [
        path.relative_to(ROOT)
        for folder in ("static/js", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path != CHARTS_JS and drawing.search(path.read_text(errors="ignore"))
    ]
    assert elsewhere == []


def test_the_served_plotly_is_the_basic_build_that_matches_the_python_package():
    header = BUNDLE.read_text()[:200]
    assert "plotly.js (basic - minified)" in header
    # plotly (Python) writes figures for the plotly.js it bundles: upgrade the two together.
    assert f"v{get_plotlyjs_version()}\n" in header


def test_pages_load_no_other_plotly_build():
    scripts = {
        src
        for path in (ROOT / "templates").rglob("*.html")
        for src in re.findall(r"static '([^']*plotly[^']*)'", path.read_text())
    }
    assert scripts == {"vendor/plotly/plotly.min.js"}


@pytest.mark.django_db
def test_the_csp_keeps_connections_and_forms_on_the_site(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["connect-src"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["script-src"] == "'self'"


def test_production_static_files_serve_plotly_hashed_gzipped_and_cached_for_good(tmp_path):
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=manifest_storage,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = staticfiles_storage.stored_name("vendor/plotly/plotly.min.js")
        assert re.fullmatch(r"vendor/plotly/plotly\.min\.[0-9a-f]{12}\.js", hashed)

        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        request = RequestFactory().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        response = middleware(request)
        assert response.status_code == 200
        assert response["Content-Encoding"] in ("gzip", "br")
        assert int(response["Content-Length"]) < 450_000  # the full bundle is ~1.47 MB gzipped
        assert "immutable" in response["Cache-Control"]
        response.file_to_stream.close()

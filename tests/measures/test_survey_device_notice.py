"""The soft one-answer-per-device guard, as the server sends it (the browser journey runs the script).

The thank-you page names the survey for static/js/survey-device.js to remember on the device; the
survey page carries a hidden notice the script shows when this device already answered. No cookie,
no inline script, and nothing of it reaches the server: the script only reads and writes
localStorage (checked in tests/e2e/test_survey_journey.py).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .conftest import answer_form, post_answers, productive_choices

pytestmark = pytest.mark.django_db

SCRIPT = '<script src="/static/js/survey-device.js" defer></script>'
NOTICE = "This device has already sent an answer to this survey."


def test_the_thank_you_page_names_only_the_survey_for_the_device_to_remember(administration):
    student = Client()
    token, items = answer_form(student, administration)
    sent = post_answers(student, administration, token, productive_choices(items))
    thanks = student.get(sent["Location"])
    html = thanks.content.decode()
    assert thanks.status_code == 200
    assert f'data-answered-survey="{administration.code}"' in html
    assert SCRIPT in html
    assert not student.cookies and "Set-Cookie" not in thanks


def test_the_survey_page_holds_the_notice_hidden_and_states_what_the_device_keeps(client, administration):
    page = client.get(f"/s/{administration.code}")
    html = page.content.decode()
    notice = re.search(r'<p class="notice" role="status" data-answered-notice="([A-Z2-9]{6})" hidden>([^<]+)</p>', html)
    assert notice and notice.group(1) == administration.code
    assert NOTICE in notice.group(2) and "If you are a different student using the same device, go on." in html
    # Before the questions; a notice, not a block: the form is the same as without it.
    assert html.index(NOTICE) < html.index("<fieldset") < html.index('<button type="submit" class="send"')
    assert "No cookies. Once you send your answers, this device remembers only that this survey was answered" in html
    assert SCRIPT in html and "Set-Cookie" not in page


def test_the_notice_and_the_privacy_line_are_in_spanish(client, administration):
    html = client.get(f"/s/{administration.code}?lang=es").content.decode()
    assert "Este dispositivo ya envió una respuesta a esta encuesta." in html
    assert "Sin cookies." in html


def test_other_messages_remember_nothing(client, administration):
    from measures import services

    services.administration_close(administration=administration)
    closed = client.get(f"/s/{administration.code}").content.decode()
    unknown = client.get("/s/ZZZZZ2").content.decode()
    for html in (closed, unknown):
        assert "data-answered-survey" not in html and "<script" not in html


def test_the_script_keeps_to_the_device():
    """It talks to no server and sets no cookie: no fetch, XHR, beacon, cookie or form of its own."""
    source = (Path(settings.BASE_DIR) / "static" / "js" / "survey-device.js").read_text()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # the comments may say what it avoids
    for word in ("fetch", "XMLHttpRequest", "sendBeacon", "cookie", "submit", "WebSocket", "src", "href"):
        assert word not in code, word
    assert "localStorage" in code

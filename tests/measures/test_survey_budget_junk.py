"""Junk sent to a join code on the board must not shut the class out (README: only answers carrying a
token this server signed count against the code's per-minute budget).

A signed token costs nothing: every GET of the survey page hands out a fresh one, and GETs are not
counted. So junk carrying real tokens (no answers at all, or a token of another survey) spent the
class's budget, and the class's students then got 429 for the rest of the minute. Now a POST that
saves nothing gives its count back: the budget counts saved answers."""

import pytest

from measures.models import Response

from .conftest import answer_form, post_answers, productive_choices

pytestmark = pytest.mark.django_db


def test_junk_with_tokens_from_the_page_itself_never_shuts_the_class_out(client, administration, settings):
    settings.PDC_SURVEY_RATE_LIMIT_PER_MINUTE = 5
    outsider = {"REMOTE_ADDR": "203.0.113.9"}
    # Junk: a fresh page's token each time, no answers (refused 200 with the form's "missing" marks).
    for _ in range(settings.PDC_SURVEY_RATE_LIMIT_PER_MINUTE + 1):
        token, _items = answer_form(client, administration)
        client.post(f"/s/{administration.code}", {"token": token}, **outsider)
    # A student of the class, from the school's address, with a complete answer.
    token, items = answer_form(client, administration)
    reply = post_answers(client, administration, token, productive_choices(items))
    assert reply.status_code == 303
    assert Response.objects.filter(administration=administration).count() == 1

"""The student survey under faults and resends: a database outage, a resend storm, an unexpected error."""

import re

import pytest
from django.db import OperationalError
from django.test import Client

from measures import services, survey_views
from measures.models import Response

from .conftest import answer_form, post_answers, productive_choices


def _hidden_fields(page) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.content.decode())


def _database_down(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


# --- resends ------------------------------------------------------------------------------


def test_resending_the_same_answers_more_than_ten_times_a_minute_still_gets_its_thank_you(client, administration):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    replies = [post_answers(client, administration, token, choices) for _ in range(15)]
    assert [r.status_code for r in replies] == [303] * 15
    assert {r["Location"] for r in replies} == {f"/s/{administration.code}/thanks?lang=en"}
    assert Response.objects.filter(administration=administration).count() == 1


def test_a_token_that_saved_nothing_is_still_limited_to_ten_tries_a_minute(client, administration):
    token, items = answer_form(client, administration)
    incomplete = dict(list(productive_choices(items).items())[:1])
    replies = [post_answers(client, administration, token, incomplete) for _ in range(11)]
    assert [r.status_code for r in replies] == [200] * 10 + [429]
    assert replies[-1]["Retry-After"] == "60"
    assert not Response.objects.filter(administration=administration).exists()


def test_different_answers_on_a_saved_token_over_the_limit_get_429_not_a_thank_you(client, administration):
    token, items = answer_form(client, administration)
    assert post_answers(client, administration, token, productive_choices(items)).status_code == 303
    other = productive_choices(items, productive=False)
    replies = [post_answers(client, administration, token, other) for _ in range(12)]
    assert {r.status_code for r in replies[:9]} == {409}
    assert replies[-1].status_code == 429


# --- the database goes away -----------------------------------------------------------------


def test_a_database_outage_while_saving_keeps_the_answers_and_the_token_in_the_form(
    client, administration, monkeypatch
):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    monkeypatch.setattr(services, "response_submit", _database_down)
    reply = post_answers(client, administration, token, choices, lang="es")
    assert reply.status_code == 503
    assert reply["Retry-After"] == str(survey_views.RETRY_AFTER_SECONDS)
    html = reply.content.decode()
    assert "Inténtalo otra vez en un momento" in html
    assert f'name="token" value="{token}"' in html
    for field, option in choices.items():
        assert re.search(rf'name="{field}" value="{option}" checked', html), field
    assert not Response.objects.exists()

    monkeypatch.undo()  # the database is back: the student presses Send again
    assert post_answers(client, administration, token, choices, lang="es").status_code == 303
    assert post_answers(client, administration, token, choices, lang="es").status_code == 303
    assert Response.objects.filter(administration=administration).count() == 1


def test_a_database_outage_before_the_survey_is_found_echoes_the_posted_fields_to_resend(
    client, administration, monkeypatch
):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    monkeypatch.setattr(survey_views, "_find", _database_down)
    reply = post_answers(client, administration, token, {**choices, "evil": "<x>"})
    assert reply.status_code == 503 and reply["Retry-After"]
    assert b"Please try again in a moment" in reply.content
    kept = _hidden_fields(reply)
    assert ("token", token) in kept and all((f, o) in kept for f, o in choices.items())
    assert "evil" not in dict(kept)  # only the fields our form sends come back
    action = re.search(r'<form method="post" action="([^"]+)"', reply.content.decode()).group(1)

    monkeypatch.undo()
    again = client.post(action.replace("&amp;", "&"), dict(kept))
    assert again.status_code == 303
    assert client.post(action.replace("&amp;", "&"), dict(kept)).status_code == 303
    assert Response.objects.filter(administration=administration).count() == 1


def test_a_database_outage_on_the_survey_page_says_try_again_in_the_students_language(
    client, administration, monkeypatch
):
    monkeypatch.setattr(survey_views, "_find", _database_down)
    reply = client.get(f"/s/{administration.code}?lang=es")
    assert reply.status_code == 503 and reply["Retry-After"]
    assert "No pudimos conectar con la encuesta" in reply.content.decode()
    assert f'href="/s/{administration.code}?lang=es"' in reply.content.decode()


@pytest.mark.django_db
def test_an_unexpected_error_gets_the_surveys_own_translated_500_page(monkeypatch):
    def broken(code):
        raise RuntimeError("a bug")

    monkeypatch.setattr(survey_views, "_find", broken)
    reply = Client(raise_request_exception=False).get("/s/ABCDEF?lang=es")
    assert reply.status_code == 500
    assert "Algo salió mal de nuestro lado" in reply.content.decode()


@pytest.mark.django_db
def test_an_unknown_code_gets_the_surveys_own_404_page(client):
    reply = client.get("/s/ABCDEF?lang=es")
    assert reply.status_code == 404
    assert "No encontramos esa encuesta" in reply.content.decode()

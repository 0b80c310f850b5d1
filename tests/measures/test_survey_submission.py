"""The student survey: join by code, answer once, malformed input refused without writes."""

import re
import threading

import pytest
from django.db import connection

from measures import services
from measures.models import Administration, AdministrationSummary, Answer, Response

from .conftest import answer_form, post_answers, productive_choices

pytestmark = pytest.mark.django_db


def test_a_student_answers_and_gets_a_thank_you(client, administration, django_capture_on_commit_callbacks):
    token, items = answer_form(client, administration)
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_answers(client, administration, token, productive_choices(items))
    assert reply.status_code == 303
    assert client.get(reply["Location"]).status_code == 200
    response = Response.objects.get()
    assert Answer.objects.filter(response=response).count() == 3
    assert AdministrationSummary.objects.get(administration=administration).n_responses == 1


def test_the_code_is_six_unambiguous_characters(administration):
    assert len(administration.code) == 6
    assert not set(administration.code) & set("0O1IL")


def test_a_lowercase_code_redirects_to_the_survey(client, administration):
    reply = client.get(f"/s/{administration.code.lower()}")
    assert reply.status_code == 302
    assert administration.code in reply["Location"]


def test_the_enter_page_sends_a_typed_code_to_its_survey(client, administration):
    reply = client.get("/s/", {"code": f" {administration.code.lower()} "})
    assert reply.status_code == 302 and f"/s/{administration.code}" in reply["Location"]


def test_an_unknown_code_gets_a_friendly_404(client, db):
    reply = client.get("/s/ZZZZZZ")
    assert reply.status_code == 404
    assert b"find that survey" in reply.content


def test_a_closed_survey_says_so(client, administration):
    services.administration_close(administration=administration)
    reply = client.get(f"/s/{administration.code}")
    assert reply.status_code == 410
    assert b"closed" in reply.content


def test_the_survey_is_in_spanish_on_request(client, administration):
    page = client.get(f"/s/{administration.code}?lang=es").content.decode()
    assert "¿Pregunta 1?" in page and "Enviar mis respuestas" in page and 'lang="es"' in page


def test_the_page_is_small_and_accessible(client, administration):
    page = client.get(f"/s/{administration.code}")
    html = page.content.decode()
    assert len(page.content) < 15_000
    assert html.count("<fieldset") == 3 and html.count("<legend>") == 3
    # Works without JavaScript: the one script is the static "already answered on this device"
    # notice (no inline script), and the form needs none of it.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/survey-device.js" defer>']


def test_a_replay_counts_once_and_gets_the_same_thank_you(client, administration):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    first = post_answers(client, administration, token, choices)
    second = post_answers(client, administration, token, choices)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Response.objects.count() == 1


def test_the_same_token_with_other_answers_is_refused_and_the_first_kept(client, administration):
    token, items = answer_form(client, administration)
    post_answers(client, administration, token, productive_choices(items))
    reply = post_answers(client, administration, token, productive_choices(items, productive=False))
    assert reply.status_code == 409
    kept = Answer.objects.values_list("option_id", flat=True)
    assert set(kept) == {item.options.all()[0].pk for item in items}


def test_missing_required_answers_redisplay_the_form_with_choices_kept(client, administration):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    del choices[f"i{items[1].pk}"]
    reply = post_answers(client, administration, token, choices)
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "Please answer this question." in html
    assert f'value="{items[0].options.all()[0].pk}" checked' in html
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "tamper",
    [
        "unknown_item",
        "foreign_option",
        "garbage_value",
        "two_answers_to_one_item",
        "forged_token",
        "token_of_another_survey",
        "no_token",
    ],
)
def test_a_malformed_post_gets_400_and_writes_nothing(client, personas, administration, instrument, tamper):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    if tamper == "unknown_item":
        choices["i999999"] = choices[f"i{items[0].pk}"]
    elif tamper == "foreign_option":
        choices[f"i{items[0].pk}"] = str(items[1].options.all()[0].pk)
    elif tamper == "garbage_value":
        choices[f"i{items[0].pk}"] = "'; DROP TABLE x; --"
    elif tamper == "two_answers_to_one_item":
        choices[f"i{items[0].pk}"] = [str(o.pk) for o in items[0].options.all()[:2]]
    elif tamper == "forged_token":
        token = token[:-3] + "abc"
    elif tamper == "token_of_another_survey":
        other = services.administration_open(
            classroom=personas.other_classroom, instrument=instrument, opened_by=personas.other_teacher
        )
        token = services.make_submission_token(other)
    elif tamper == "no_token":
        token = ""
    reply = post_answers(client, administration, token, choices)
    assert reply.status_code == 400
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_replay_after_close_still_gets_its_thank_you(client, administration):
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    post_answers(client, administration, token, choices)
    services.administration_close(administration=administration)
    assert post_answers(client, administration, token, choices).status_code == 302
    assert post_answers(client, administration, token + "x", choices).status_code == 400


def test_thirty_five_students_behind_one_ip_all_get_through(client, administration):
    for _ in range(35):
        token, items = answer_form(client, administration)
        assert post_answers(client, administration, token, productive_choices(items)).status_code == 303
    assert Response.objects.count() == 35


def test_no_ip_address_is_stored(client, administration):
    token, items = answer_form(client, administration)
    post_answers(client, administration, token, productive_choices(items))
    stored = " ".join(str(v) for v in Response.objects.values().get().values())
    assert "127.0.0.1" not in stored


def test_join_codes_stay_unique_among_open_surveys(personas, instrument, monkeypatch):
    codes = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(services, "new_join_code", lambda: next(codes))
    first = services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=None)
    second = services.administration_open(classroom=personas.other_classroom, instrument=instrument, opened_by=None)
    assert (first.code, second.code) == ("AAAAAA", "BBBBBB")


def test_expired_surveys_are_closed_by_the_sweep(administration):
    from datetime import timedelta

    from django.utils import timezone

    Administration.objects.filter(pk=administration.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert services.close_expired() == 1
    administration.refresh_from_db()
    assert administration.closed_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_replays_of_one_token_count_once(personas, instrument):
    administration = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    items = list(instrument.items.prefetch_related("options"))
    token = services.read_submission_token(services.make_submission_token(administration), administration)
    answers = services.ParsedAnswers({item.pk: (item.options.all()[0].pk,) for item in items}, {})
    barrier = threading.Barrier(6)
    outcomes = []

    def submit():
        barrier.wait()
        try:
            outcomes.append(services.response_submit(administration=administration, token=token, answers=answers)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 5 + [True]
    assert Response.objects.count() == 1
    assert Answer.objects.count() == len(items)


def test_a_browser_post_needs_no_cookie_or_csrf_token(administration):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    token, items = answer_form(browser, administration)
    assert not browser.cookies  # students get no cookies
    assert post_answers(browser, administration, token, productive_choices(items)).status_code == 303


def test_a_burst_of_answers_queues_one_refresh(administration, monkeypatch):
    from measures import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh_administration, "apply_async", lambda *a, **k: queued.append(a))
    assert services.enqueue_refresh(administration.pk) and services.enqueue_refresh(administration.pk)
    assert len(queued) == 1
    services.clear_refresh_pending(administration.pk)  # what the task does before it counts
    services.enqueue_refresh(administration.pk)
    assert len(queued) == 2

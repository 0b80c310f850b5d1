"""The survey's fast path keeps the guarantees: a pre-rendered page, a cached join code that never
takes answers for a closed survey, one statement for the answers, and a dead cache or a dead kept
database connection that cost a student nothing."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.utils import timezone

from measures import ratelimit, services, survey_cache, survey_views
from measures.models import Administration, Answer, Response

from .conftest import answer_form, post_answers, productive_choices

pytestmark = pytest.mark.django_db


def _token(page) -> str:
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_blank_page_is_the_full_render_with_a_fresh_token_spliced_in(client, administration, lang):
    first, second = (client.get(f"/s/{administration.code}?lang={lang}") for _ in range(2))
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    token = _token(first)
    assert token != _token(second) and first.content.replace(token.encode(), b"") == second.content.replace(
        _token(second).encode(), b""
    )
    assert services.read_submission_token(token, administration) is not None

    found, _ = survey_views._find(administration.code)
    request = RequestFactory().get(f"/s/{administration.code}?lang={lang}")
    full = survey_views._page(
        request,
        "survey",
        lang,
        languages=found.instrument.languages,
        **survey_views._form_context(found, lang),
        questions=survey_views._questions(survey_views._items(found), lang, {}, {}),
        token=token,
        has_errors=False,
        busy=False,
    )
    assert first.content == full.content


def test_two_surveys_of_one_instrument_each_show_their_own_page(client, personas, instrument, administration):
    """The pre-rendered page is shared by a class, not by an instrument: it names its own survey's
    code (the answered-on-this-device notice reads it)."""
    other = services.administration_open(
        classroom=personas.other_classroom, instrument=instrument, opened_by=personas.other_teacher
    )
    for survey in (administration, other, administration):
        page = client.get(f"/s/{survey.code}").content.decode()
        assert re.search(r'data-answered-notice="([A-Z0-9]+)"', page).group(1) == survey.code


def test_a_survey_whose_wording_holds_a_slot_is_rendered_whole(client, administration):
    """The slots are random per process, so no author can know them; and were one in the wording,
    the page is rendered whole instead of pre-rendered, never a 500."""
    instrument = administration.instrument
    instrument.name = f"Talk {survey_views._CODE_SLOT} {survey_views._TOKEN_SLOT}"[:200]
    instrument.save()
    survey_views._items_cache.clear()
    survey_views._html_cache.clear()
    first, second = (client.get(f"/s/{administration.code}") for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert _token(first) != _token(second)


def test_closing_a_survey_drops_its_cached_code(client, administration):
    assert client.get(f"/s/{administration.code}").status_code == 200
    assert cache.get(survey_cache.key(administration.code)) is not None
    services.administration_close(administration=administration)
    assert cache.get(survey_cache.key(administration.code)) is None
    assert client.get(f"/s/{administration.code}").status_code == 410


def test_a_stale_cached_code_never_saves_answers_to_a_closed_survey(client, administration):
    """Another process cached the open survey just before it closed, or the close sent no signal."""
    token, items = answer_form(client, administration)
    saved_before_close, _ = answer_form(client, administration)
    assert post_answers(client, administration, saved_before_close, productive_choices(items)).status_code == 303
    Administration.objects.filter(pk=administration.pk).update(closed_at=timezone.now())  # no signal
    assert survey_cache.cached_open(administration.code) is not None  # the cache still says open

    reply = post_answers(client, administration, token, productive_choices(items))
    assert reply.status_code == 410
    assert Response.objects.count() == 1 and Answer.objects.count() == len(items)
    # A resend of the answers saved while it was open still gets its thank-you.
    resent = post_answers(client, administration, saved_before_close, productive_choices(items))
    assert resent.status_code == 302 and "/thanks" in resent["Location"]


def test_a_survey_deleted_while_its_code_is_cached_saves_nothing(client, personas, administration):
    """Deleting a classroom deletes its surveys by cascade (no save signal): the cached code still
    answers for a few seconds, but the answers find no survey to go into."""
    token, items = answer_form(client, administration)
    personas.classroom.delete()
    assert survey_cache.cached_open(administration.code) is not None  # the cache still says open

    reply = post_answers(client, administration, token, productive_choices(items))
    assert reply.status_code in (404, 410)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_cached_code_is_closed_at_its_closing_time_without_the_sweep(client, administration):
    assert client.get(f"/s/{administration.code}").status_code == 200
    Administration.objects.filter(pk=administration.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    cached = survey_cache.cached_open(administration.code)
    cached.closes_at = timezone.now() - timedelta(seconds=1)  # the entry carries the closing time
    survey_cache.remember_open(cached)
    assert client.get(f"/s/{administration.code}").status_code == 410


def test_the_response_and_its_answers_are_one_statement_on_postgresql(client, administration):
    token, items = answer_form(client, administration)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert post_answers(client, administration, token, productive_choices(items)).status_code == 303
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 2)
    response = Response.objects.get()
    assert response.token == services.read_submission_token(token, administration)
    assert sorted(Answer.objects.values_list("item_id", "option_id")) == sorted(
        (item.pk, item.options.all()[0].pk) for item in items
    )


# A cache nobody answers: nothing listens on the port, every call fails at once.
dead_cache = override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
)


@dead_cache
def test_a_dead_cache_costs_the_student_nothing(client, administration, monkeypatch):
    from django.core.cache import caches

    token, items = answer_form(client, administration)
    assert ratelimit.cache_marked_down()  # the first failure: the cache is left alone a few seconds
    tries = []
    monkeypatch.setattr(caches["default"]._cache, "get_client", lambda *a, **k: tries.append(1) / 0)
    assert post_answers(client, administration, token, productive_choices(items)).status_code == 303
    assert Response.objects.count() == 1 and not tries
    assert client.get(f"/s/{administration.code}").status_code == 200 and not tries


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_connection_that_died_is_replaced_and_the_answers_saved_once(client, personas, instrument):
    """No `SELECT 1` before the insert: a connection the server dropped fails the insert, which is
    run once more on a new connection (the unique token makes that safe)."""
    import psycopg

    administration = services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=None)
    token, items = answer_form(client, administration)
    connection.ensure_connection()
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    connection.health_check_done = False  # a new request on the kept connection
    assert post_answers(client, administration, token, productive_choices(items)).status_code == 303
    assert post_answers(client, administration, token, productive_choices(items)).status_code == 303
    assert Response.objects.filter(administration=administration).count() == 1


@dead_cache
def test_with_the_cache_down_the_limits_count_in_the_process_not_off(client, administration):
    """A dead (or slow) Redis must not turn the limits off: a token still gets ten tries a minute,
    a guesser still meets the throttle, and the class still gets through."""
    from measures.survey_views import UNKNOWN_CODES_PER_MINUTE

    token, items = answer_form(client, administration)
    assert ratelimit.cache_marked_down()
    incomplete = dict(list(productive_choices(items).items())[:1])
    replies = [post_answers(client, administration, token, incomplete).status_code for _ in range(11)]
    assert replies == [200] * 10 + [429]
    guesses = [client.get(f"/s/ZZZZ{n:02d}").status_code for n in range(UNKNOWN_CODES_PER_MINUTE + 1)]
    assert guesses[-2:] == [404, 429]
    fresh, _ = answer_form(client, administration)
    assert post_answers(client, administration, fresh, productive_choices(items)).status_code == 303


@dead_cache
def test_with_the_cache_down_closing_a_survey_waits_on_no_cache_call(client, administration, monkeypatch):
    from django.core.cache import caches

    answer_form(client, administration)  # the first failure: the cache is left alone a few seconds
    assert ratelimit.cache_marked_down()
    tries = []
    monkeypatch.setattr(caches["default"]._cache, "get_client", lambda *a, **k: tries.append(1) / 0)
    services.administration_close(administration=administration)
    assert not tries
    assert client.get(f"/s/{administration.code}").status_code == 410  # read from the database: closed

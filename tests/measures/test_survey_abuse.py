"""The student survey under malformed and hostile input: never a 5xx, nothing written on a 4xx
(property-based with hypothesis), and NUL bytes — which PostgreSQL cannot store — never reach the
database."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.models import Answer, Response
from tests.factories import make_instrument

from .conftest import answer_form, post_answers, productive_choices

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/s/AB%00CDE", "/s/%00", "/s/AB%00CDE/thanks", "/s/?code=AB%00CD"])
def test_a_nul_byte_in_the_code_is_a_not_found_not_a_500(client, path):
    assert client.get(path).status_code in (200, 302, 404)


def test_a_nul_byte_in_a_written_answer_is_dropped_not_a_500(client, personas):
    from measures import services
    from measures.models import Item, ItemKind

    instrument = make_instrument(name="With a text item")
    Item.objects.create(instrument=instrument, order=9, prompt_en="Why?", prompt_es="¿Por qué?", kind=ItemKind.TEXT)
    survey = services.administration_open(
        classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher
    )
    token, items = answer_form(client, survey)
    choices = productive_choices([i for i in items if i.kind != ItemKind.TEXT])
    text_item = next(i for i in items if i.kind == ItemKind.TEXT)
    reply = post_answers(client, survey, token, {**choices, f"i{text_item.pk}": "be\x00cause"})
    assert reply.status_code == 303
    assert Answer.objects.get(item=text_item).text == "because"


hostile = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["", "\x00", "=HYPERLINK(1)", "9" * 400, "-1", "1e9", "' OR 1=1 --", "<script>"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=hostile, values=st.lists(hostile, max_size=6), lang=hostile)
def test_any_post_gets_a_client_answer_and_a_refusal_writes_nothing(client, administration, token, values, lang):
    before = Response.objects.count()
    items = list(administration.instrument.items.order_by("order"))
    data = {"token": token, "lang": lang}
    for item, value in zip(items, values, strict=False):
        data[f"i{item.pk}"] = value
    reply = client.post(f"/s/{administration.code}", data)
    assert reply.status_code < 500
    if reply.status_code >= 400:
        assert Response.objects.count() == before


def test_guessing_codes_is_throttled_per_client_and_no_address_is_kept(client, administration):
    from django.core.cache import caches

    from measures.survey_views import UNKNOWN_CODES_PER_MINUTE

    guesses = [client.get(f"/s/ZZZZ{n:02d}", REMOTE_ADDR="203.0.113.7").status_code for n in range(60)]
    assert guesses[:UNKNOWN_CODES_PER_MINUTE] == [404] * UNKNOWN_CODES_PER_MINUTE
    assert guesses[-1] == 429
    # Another client, and the open survey for the guesser's own class, are unaffected.
    assert client.get("/s/ZZZZ99", REMOTE_ADDR="198.51.100.4").status_code == 404
    assert client.get(f"/s/{administration.code}", REMOTE_ADDR="203.0.113.7").status_code == 200
    # Nothing keyed by the address itself: only a keyed hash, in counters that expire.
    store = caches["default"]
    if isinstance(store._cache, dict):  # the in-process cache of the embedded default
        keys = [str(key) for key in store._cache]
    else:  # Redis: this test's own keys (each test has its own prefix)
        keys = [k.decode() for k in store._cache.get_client().scan_iter(match=f"*{store.key_prefix}*")]
    assert keys, "the throttle counts in the cache"
    assert not any("203.0.113.7" in key for key in keys)


def test_a_long_closed_code_answers_like_an_unknown_one_and_a_fresh_one_says_closed(client, administration):
    from datetime import timedelta

    from django.utils import timezone

    from measures import services

    services.administration_close(administration=administration)
    assert client.get(f"/s/{administration.code}").status_code == 410  # a late student, the same day
    administration.closed_at = timezone.now() - timedelta(days=2)
    administration.save(update_fields=["closed_at"])
    unknown = client.get("/s/ZZZZ22")
    old = client.get(f"/s/{administration.code}")
    assert old.status_code == unknown.status_code == 404
    assert old.content.decode().replace(administration.code, "") == unknown.content.decode().replace("ZZZZ22", "")


def test_junk_posted_to_a_code_on_the_board_never_shuts_the_class_out(client, administration, settings):
    """Anyone in the room can read the join code. Answers with forged tokens are refused (400) before
    anything counts against the class's per-minute budget, and their sender is throttled (429);
    the class's students still get through, from the same school address."""
    from measures import services
    from measures.survey_views import UNKNOWN_CODES_PER_MINUTE

    settings.PDC_SURVEY_RATE_LIMIT_PER_MINUTE = 5
    token, items = answer_form(client, administration)
    choices = productive_choices(items)
    junk = [
        post_answers(client, administration, forged, choices).status_code
        for forged in [f"{administration.pk}.forged{n}:badsignature" for n in range(UNKNOWN_CODES_PER_MINUTE + 5)]
    ]
    assert junk[:UNKNOWN_CODES_PER_MINUTE] == [400] * UNKNOWN_CODES_PER_MINUTE
    assert junk[-1] == 429
    assert Response.objects.count() == 0
    # The class's five answers this minute, from the same (shared) address as the junk.
    sent = [post_answers(client, administration, answer_form(client, administration)[0], choices).status_code
            for _ in range(5)]  # fmt: skip
    assert sent == [303] * 5
    assert Response.objects.filter(administration=administration).count() == 5
    # The budget still counts real tokens: a sixth answer this minute is over it.
    assert (
        post_answers(client, administration, services.make_submission_token(administration), choices).status_code == 429
    )

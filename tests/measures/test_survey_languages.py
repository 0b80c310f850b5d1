"""The student survey in the student's language: our words from the gettext catalog, the
instrument's wording from its data, in any language the instrument lists."""

import pytest
from django.utils.translation import get_language_info

from measures.models import Instrument, Item, Option
from measures.survey_languages import pick_language
from tests.measures.conftest import answer_form, post_answers

SPANISH = "es-MX,es;q=0.9,en;q=0.5"


def _page(client, url, **headers):
    reply = client.get(url, **headers)
    return reply, reply.content.decode()


def test_the_code_page_answers_a_spanish_browser_in_spanish(client, db):
    reply, html = _page(client, "/s/", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert reply.status_code == 200
    assert '<html lang="es">' in html
    assert "Únete a una encuesta" in html and "Código de la encuesta" in html and "Empezar" in html
    for english in ("Join a survey", "Survey code", ">Start<"):
        assert english not in html
    assert 'hreflang="en"' in html and "English" in html


def test_the_survey_page_is_wholly_spanish(client, administration):
    reply, html = _page(client, f"/s/{administration.code}", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert reply.status_code == 200
    assert "¿Pregunta 1?" in html and "Respuesta A" in html
    assert "Esta encuesta es anónima" in html and "Enviar mis respuestas" in html and "Elige una respuesta." in html
    for english in ("Question 1?", "Answer A", "This survey is anonymous", "Send my answers", "Choose one answer."):
        assert english not in html


def test_a_spanish_student_who_misses_a_question_is_told_in_spanish(client, administration):
    token, items = answer_form(client, administration, lang="es")
    reply = post_answers(client, administration, token, {}, lang="es")
    html = reply.content.decode()
    assert "Por favor, contesta esta pregunta." in html and "(obligatoria)" in html
    assert "Please answer this question." not in html and "(required)" not in html


def test_the_thank_you_and_unknown_code_pages_are_spanish(client, administration):
    _, thanks = _page(client, f"/s/{administration.code}/thanks?lang=es")
    assert "¡Gracias!" in thanks and "Thank you!" not in thanks
    reply, unknown = _page(client, "/s/ZZZZZZ", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert reply.status_code == 404
    assert "No encontramos esa encuesta" in unknown and "We couldn't find that survey" not in unknown


def test_the_english_page_stays_english(client, administration):
    _, html = _page(client, f"/s/{administration.code}", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Send my answers" in html and "Question 1?" in html
    assert "Enviar mis respuestas" not in html and "¿Pregunta 1?" not in html


def _add_vietnamese(instrument: Instrument) -> None:
    """What a district does in the database: no code, no translation file."""
    instrument.languages = [*instrument.languages, "vi"]
    instrument.names = {**instrument.names, "vi": "Thảo luận cả lớp"}
    instrument.save()
    for item in Item.objects.filter(instrument=instrument):
        item.texts = {**item.texts, "vi": f"Câu hỏi {item.order}?"}
        item.save()
    for option in Option.objects.filter(item__instrument=instrument):
        option.texts = {**option.texts, "vi": f"Trả lời {option.order}"}
        option.save()


def test_a_language_added_in_the_data_is_offered_and_shows_its_wording(client, administration):
    instrument = administration.instrument
    _, before = _page(client, f"/s/{administration.code}?lang=es")
    assert 'hreflang="vi"' not in before
    _add_vietnamese(instrument)
    from measures import survey_views

    survey_views._html_cache.clear()  # a real server shows the new wording within the cache's minute
    survey_views._items_cache.clear()

    _, spanish = _page(client, f"/s/{administration.code}?lang=es")
    assert 'hreflang="vi"' in spanish and get_language_info("vi")["name_local"] in spanish
    reply, html = _page(client, f"/s/{administration.code}?lang=vi")
    assert reply.status_code == 200
    assert '<html lang="vi">' in html
    assert "Thảo luận cả lớp" in html and "Câu hỏi 1?" in html and "Trả lời 1" in html
    assert "Question 1?" not in html and "¿Pregunta 1?" not in html


def test_a_vietnamese_browser_gets_the_vietnamese_wording(client, administration):
    _add_vietnamese(administration.instrument)
    _, html = _page(client, f"/s/{administration.code}", HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9,en;q=0.5")
    assert "Câu hỏi 1?" in html


def test_an_answer_in_an_added_language_records_that_language(client, administration):
    _add_vietnamese(administration.instrument)
    token, items = answer_form(client, administration, lang="vi")
    choices = {f"i{item.pk}": str(item.options.all()[0].pk) for item in items}
    reply = post_answers(client, administration, token, choices, lang="vi")
    assert reply.status_code == 303
    assert administration.responses.get().language == "vi"


def test_a_right_to_left_language_sets_the_page_direction(client, administration):
    instrument = administration.instrument
    instrument.languages = ["en", "es", "ar"]
    instrument.save()
    for item in Item.objects.filter(instrument=instrument):
        item.texts = {**item.texts, "ar": f"سؤال {item.order}؟"}
        item.save()
    _, html = _page(client, f"/s/{administration.code}?lang=ar")
    assert '<html lang="ar" dir="rtl">' in html and "سؤال 1؟" in html
    _, english = _page(client, f"/s/{administration.code}?lang=en")
    assert 'dir="rtl">' not in english.split("<body>")[0]


def test_a_language_the_instrument_does_not_list_is_not_served(client, administration):
    _, html = _page(client, f"/s/{administration.code}?lang=vi", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in html


@pytest.mark.parametrize(
    ("header", "expected"),
    [("es-MX,es;q=0.9", "es"), ("fr;q=1,vi;q=0.8", "vi"), ("de", "en"), ("", "en"), ("vi;q=0.2,es;q=0.9", "es")],
)
def test_the_browser_preference_picks_the_first_language_the_instrument_has(rf, header, expected):
    request = rf.get("/s/", HTTP_ACCEPT_LANGUAGE=header)
    assert pick_language(request, ["en", "es", "vi"]) == expected


def test_our_words_on_a_page_in_an_untranslated_language_say_which_language_they_are(client, administration):
    """Vietnamese wording, but no Vietnamese interface catalog yet: the buttons and hints are English
    and tagged so (screen readers switch voice, bidi isolates them); a Spanish page needs no tag."""
    _add_vietnamese(administration.instrument)
    _, html = _page(client, f"/s/{administration.code}?lang=vi")
    assert '<p class="intro" lang="en" dir="ltr">' in html
    assert '<button type="submit" class="send" lang="en" dir="ltr">' in html
    assert '<span class="req" lang="en" dir="ltr">' in html
    _, spanish = _page(client, f"/s/{administration.code}?lang=es")
    assert 'lang="en" dir="ltr"' not in spanish and '<p class="intro">' in spanish

"""A district leader adds a language to an instrument in the browser (no code change); students
then find it in the survey's language list."""

import pytest
from django.urls import reverse

from measures import instruments as lib
from measures import services
from measures.models import AdaptationLog, Instrument

from .test_instruments import adapted, answer_once, form_data, starter


def vietnamese(instrument: Instrument, **extra) -> dict:
    data = {"code": "vi", "name": "Thảo luận cả lớp", "why": "Our newcomers read Vietnamese"}
    for n, item in enumerate(lib.items_of(instrument), start=1):
        data[f"item{n}"] = f"Câu hỏi {n}?"
        for m, _option in enumerate(item.options.all(), start=1):
            data[f"item{n}_opt{m}"] = f"Trả lời {n}.{m}"
    return data | extra


@pytest.mark.django_db
class TestLanguagePage:
    def test_a_leader_adds_a_language_and_students_are_offered_it(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.leader)
        page = client.get(reverse("instruments:language", args=[own.pk]))
        assert page.status_code == 200 and "Language code" in page.content.decode()

        reply = client.post(reverse("instruments:language", args=[own.pk]), vietnamese(own))
        assert reply.status_code == 302
        own.refresh_from_db()
        assert own.languages == ["en", "es", "vi"] and own.display_name("vi") == "Thảo luận cả lớp"
        first = lib.items_of(own)[0]
        assert first.prompt("vi") == "Câu hỏi 1?" and first.options.all()[0].label("vi") == "Trả lời 1.1"
        assert first.prompt("es") and first.prompt("es") != "Câu hỏi 1?"  # Spanish kept
        log = AdaptationLog.objects.filter(instrument=own).latest("changed_at")
        assert "Languages: en, es → en, es, vi" in log.what and log.why == "Our newcomers read Vietnamese"

        survey = services.administration_open(classroom=personas.classroom, instrument=own, opened_by=personas.teacher)
        client.logout()
        html = client.get(f"/s/{survey.code}?lang=es").content.decode()
        assert 'hreflang="vi"' in html
        assert "Câu hỏi 1?" in client.get(f"/s/{survey.code}?lang=vi").content.decode()

    def test_every_prompt_and_answer_is_needed(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.leader)
        reply = client.post(reverse("instruments:language", args=[own.pk]), vietnamese(own, item1=""))
        assert reply.status_code == 200 and "students who choose it read only it" in reply.content.decode()
        own.refresh_from_db()
        assert own.languages == ["en", "es"]

    def test_an_unknown_code_or_spanish_is_refused(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.leader)
        for code in ("klingon", "es"):
            reply = client.post(reverse("instruments:language", args=[own.pk]), vietnamese(own, code=code))
            assert reply.status_code == 200, code
        own.refresh_from_db()
        assert own.languages == ["en", "es"]

    def test_a_language_on_an_answered_version_goes_into_a_new_version(self, client, personas):
        own = adapted(personas)
        answer_once(personas, own)
        client.force_login(personas.leader)
        client.post(reverse("instruments:language", args=[own.pk]), vietnamese(own))
        own.refresh_from_db()
        assert own.languages == ["en", "es"] and not own.is_current
        assert lib.current_version(own).languages == ["en", "es", "vi"]

    def test_editing_english_and_spanish_keeps_the_other_languages(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.leader)
        client.post(reverse("instruments:language", args=[own.pk]), vietnamese(own))
        own.refresh_from_db()
        spec = lib.spec_of(own)
        spec.items[0].prompt_en = "A reworded first question?"
        data = form_data(spec, why="clearer", initial_forms=len(spec.items))
        assert client.post(reverse("instruments:edit", args=[own.pk]), data).status_code == 302
        own.refresh_from_db()
        first = lib.items_of(own)[0]
        assert first.prompt_en == "A reworded first question?" and first.prompt("vi") == "Câu hỏi 1?"
        assert own.languages == ["en", "es", "vi"]

    def test_a_language_can_be_withdrawn(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.leader)
        client.post(reverse("instruments:language", args=[own.pk]), vietnamese(own))
        reply = client.post(
            reverse("instruments:language", args=[own.pk]), {"code": "vi", "remove": "on", "why": "no longer needed"}
        )
        assert reply.status_code == 302
        own.refresh_from_db()
        assert own.languages == ["en", "es"] and "vi" not in lib.items_of(own)[0].texts

    def test_only_those_who_may_change_the_instrument_reach_the_page(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.teacher)
        assert client.get(reverse("instruments:language", args=[own.pk])).status_code == 403
        client.force_login(personas.outsider_leader)
        assert client.get(reverse("instruments:language", args=[own.pk])).status_code == 404
        client.force_login(personas.leader)
        assert client.get(reverse("instruments:language", args=[starter().pk])).status_code == 403

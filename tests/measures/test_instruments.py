"""The instrument library: services (versions, adaptation log), rules and the editor pages."""

import datetime
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import timezone

from measures import instruments as lib
from measures.instruments import InstrumentSpec, ItemSpec, OptionSpec
from measures.models import AdaptationLog, Administration, Answer, Instrument, Response

from ..factories import UserFactory


def starter(kind="whole_class") -> Instrument:
    return Instrument.objects.get(district=None, kind=kind, is_current=True)


def adapted(personas, kind="whole_class") -> Instrument:
    return lib.instrument_adapt(starter=starter(kind), district=personas.district, user=personas.leader, why="")


def answer_once(personas, instrument: Instrument) -> Response:
    """One student's response to a survey of `instrument` in the teacher's classroom, made with the ORM."""
    now = timezone.now()
    administration = Administration.objects.create(
        district=personas.district,
        school=personas.school,
        classroom=personas.classroom,
        instrument=instrument,
        code="ABC234",
        week=now.date() - datetime.timedelta(days=now.weekday()),
        closes_at=now + datetime.timedelta(minutes=20),
    )
    response = Response.objects.create(administration=administration, token="t-1", fingerprint="f")
    item = instrument.items.first()
    Answer.objects.create(
        administration=administration, response=response, item=item, option=item.options.filter(productive=True)[0]
    )
    return response


def small_spec(**changes) -> InstrumentSpec:
    spec = InstrumentSpec(
        name="Exit ticket",
        name_es="Boleto de salida",
        kind="custom",
        audience="students",
        description="",
        items=[
            ItemSpec(
                prompt_en="Did you explain your thinking today?",
                prompt_es="¿Explicaste tu forma de pensar hoy?",
                kind="yes_no",
                options=[OptionSpec("Yes", "Sí", True), OptionSpec("No", "No", False)],
            )
        ],
    )
    return replace(spec, **changes)


def form_data(spec: InstrumentSpec, *, why="", initial_forms=0, blank_rows=0, delete=()) -> dict:
    """POST data for the editor, as the browser would send it."""
    data = {
        "name": spec.name,
        "name_es": spec.name_es,
        "kind": spec.kind,
        "audience": spec.audience,
        "description": spec.description,
        "why": why,
        "items-TOTAL_FORMS": str(len(spec.items) + blank_rows),
        "items-INITIAL_FORMS": str(initial_forms),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
    }
    for i, item in enumerate(spec.items):
        p = f"items-{i}-"
        data |= {
            p + "item_id": item.item_id or "",
            p + "prompt_en": item.prompt_en,
            p + "prompt_es": item.prompt_es,
            p + "kind": item.kind,
            p + "ORDER": str(i + 1),
        }
        if item.required:
            data[p + "required"] = "on"
        if i in delete:
            data[p + "DELETE"] = "on"
        for n, option in enumerate(item.options, start=1):
            data[f"{p}opt{n}_en"] = option.label_en
            data[f"{p}opt{n}_es"] = option.label_es
            if option.productive:
                data[f"{p}opt{n}_productive"] = "on"
    for i in range(len(spec.items), len(spec.items) + blank_rows):
        data |= {f"items-{i}-kind": "single", f"items-{i}-required": "on"}
    return data


# --- services -----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestInstrumentServices:
    def test_instruments_for_a_district_are_the_starters_and_its_own_current_versions(self, personas):
        own = adapted(personas)
        theirs = lib.instrument_adapt(
            starter=starter(), district=personas.outsider_district, user=personas.outsider_leader
        )
        listed = set(lib.instruments_for(personas.district))
        assert own in listed and theirs not in listed
        assert set(Instrument.objects.filter(district=None)) <= listed

    def test_adapting_a_starter_copies_it_into_the_district_and_logs_it(self, personas):
        source = starter()
        copy = lib.instrument_adapt(
            starter=source, district=personas.district, user=personas.leader, why="Our focus is small groups."
        )
        assert copy.district == personas.district and copy.adapted_from == source
        assert copy.lineage != source.lineage and copy.version == 1
        assert [i.prompt_es for i in copy.items.all()] == [i.prompt_es for i in source.items.all()]
        assert copy.items.first().options.filter(productive=True).count() == 1
        entry = AdaptationLog.objects.get(instrument=copy)
        assert "Adapted from the starter instrument “Whole-class discussion”" in entry.what
        assert entry.why == "Our focus is small groups." and entry.changed_by == personas.leader

    def test_starters_are_read_only(self, personas):
        with pytest.raises(lib.InstrumentReadOnly):
            lib.instrument_save_edit(instrument=starter(), data=lib.spec_of(starter()), user=personas.leader, why="no")

    def test_editing_without_responses_edits_in_place(self, personas):
        instrument = adapted(personas)
        item_ids = list(instrument.items.values_list("pk", flat=True))
        spec = lib.spec_of(instrument)
        spec.name = "Whole-class discussion (Riverside)"
        spec.items[0].prompt_en = "What did you need to do to succeed in math class today?"
        result = lib.instrument_save_edit(instrument=instrument, data=spec, user=personas.leader, why="Shorter.")
        assert result.instrument.pk == instrument.pk and not result.new_version
        instrument.refresh_from_db()
        assert instrument.version == 1 and instrument.name == "Whole-class discussion (Riverside)"
        assert list(instrument.items.values_list("pk", flat=True)) == item_ids
        entry = AdaptationLog.objects.filter(instrument=instrument).order_by("-pk").first()
        assert "Item 1 prompt:" in entry.what and entry.why == "Shorter."

    def test_editing_with_responses_makes_version_2_and_old_responses_stay_with_version_1(self, personas):
        v1 = adapted(personas)
        response = answer_once(personas, v1)
        v1_prompts = list(v1.items.values_list("prompt_en", flat=True))
        spec = lib.spec_of(v1)
        spec.items[1].prompt_en = "Was it hard to follow your classmates' thinking today?"
        result = lib.instrument_save_edit(instrument=v1, data=spec, user=personas.leader, why="Clearer wording.")
        v2 = result.instrument
        v1.refresh_from_db()
        assert result.new_version and v2.pk != v1.pk
        assert (v2.lineage, v2.version, v2.is_current) == (v1.lineage, 2, True)
        assert not v1.is_current
        assert v2.adapted_from == v1.adapted_from and v2.district == v1.district
        assert list(v1.items.values_list("prompt_en", flat=True)) == v1_prompts
        assert v2.items.all()[1].prompt_en == "Was it hard to follow your classmates' thinking today?"
        response.refresh_from_db()
        assert response.administration.instrument == v1
        assert Answer.objects.get(response=response).item.instrument == v1
        assert v1 not in lib.instruments_for(personas.district) and v2 in lib.instruments_for(personas.district)
        entry = AdaptationLog.objects.get(instrument=v2)
        assert entry.what.startswith("Version 2 made")
        assert "Item 2 prompt:" in entry.what

    def test_a_superseded_version_is_not_edited(self, personas):
        v1 = adapted(personas)
        answer_once(personas, v1)
        spec = lib.spec_of(v1)
        spec.name = "Renamed"
        lib.instrument_save_edit(instrument=v1, data=spec, user=personas.leader, why="x")
        with pytest.raises(lib.InstrumentReadOnly):
            lib.instrument_save_edit(instrument=v1, data=spec, user=personas.leader, why="again")

    def test_saving_without_changes_writes_nothing(self, personas):
        instrument = adapted(personas)
        before = AdaptationLog.objects.count()
        result = lib.instrument_save_edit(
            instrument=instrument, data=lib.spec_of(instrument), user=personas.leader, why="nothing"
        )
        assert result.changes == [] and AdaptationLog.objects.count() == before

    def test_the_log_says_what_changed_in_words(self, personas):
        instrument = adapted(personas)
        old = lib.spec_of(instrument)
        new = lib.spec_of(instrument)
        first, second, *rest = new.items
        second.options[0].productive, second.options[1].productive = True, False
        second.required = False
        new.items = [second, *rest, ItemSpec("New?", "¿Nuevo?", "yes_no", options=second.options)]
        lines = lib.describe_changes(old, new)
        assert "Item 2 moved to position 1: “Did you have trouble" in "\n".join(lines)
        assert "Item 1 productive answers: “No” → “Yes”" in lines
        assert "Item 1 is now optional" in lines
        assert any(line.startswith("Item 1 removed: “What did you need to do") for line in lines)
        assert "Item 5 added: “New?”" in lines

    def test_an_edit_can_remove_reorder_and_add_items_in_place(self, personas):
        instrument = adapted(personas)
        spec = lib.spec_of(instrument)
        spec.items = [spec.items[2], spec.items[0], small_spec().items[0]]
        lib.instrument_save_edit(instrument=instrument, data=spec, user=personas.leader, why="Fewer items.")
        prompts = list(instrument.items.values_list("prompt_en", flat=True))
        assert prompts == [spec.items[0].prompt_en, spec.items[1].prompt_en, "Did you explain your thinking today?"]


@pytest.mark.django_db
class TestInstrumentRules:
    def test_a_choice_item_needs_two_answers_and_a_productive_one(self):
        item = ItemSpec("Q", "P", "single", options=[OptionSpec("A", "A", False)])
        problems = lib.item_problems(item, audience="students")
        assert "Give at least two answers to choose from." in problems
        assert any("productive" in p for p in problems)

    def test_text_items_are_for_adults_only(self):
        item = ItemSpec("Anything else?", "¿Algo más?", "text")
        assert lib.item_problems(item, audience="adults") == []
        assert lib.item_problems(item, audience="students")

    def test_a_student_instrument_has_at_most_eight_items(self):
        spec = small_spec()
        spec.items = spec.items * 9
        assert any("at most 8 items" in p for p in lib.instrument_problems(spec))
        assert not lib.instrument_problems(replace(spec, audience="adults"))


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestLibraryPages:
    def test_every_member_sees_the_library(self, client, personas):
        own = adapted(personas)
        for user in (personas.leader, personas.teacher, personas.coach, personas.principal_b):
            client.force_login(user)
            page = client.get(reverse("instruments:list"))
            assert page.status_code == 200
            assert "Whole-class discussion" in page.text and reverse("instruments:detail", args=[own.pk]) in page.text

    def test_only_leaders_are_offered_to_create(self, client, personas):
        client.force_login(personas.teacher)
        assert reverse("instruments:create") not in client.get(reverse("instruments:list")).text
        client.force_login(personas.leader)
        assert reverse("instruments:create") in client.get(reverse("instruments:list")).text

    def test_another_districts_instruments_are_not_listed(self, client, personas):
        theirs = lib.instrument_adapt(starter=starter(), district=personas.outsider_district, user=None)
        client.force_login(personas.leader)
        assert reverse("instruments:detail", args=[theirs.pk]) not in client.get(reverse("instruments:list")).text

    def test_someone_in_no_district_gets_404(self, client, personas):
        client.force_login(UserFactory(email="nobody@example.org"))
        assert client.get(reverse("instruments:list")).status_code == 404

    def test_the_list_takes_a_fixed_number_of_queries(self, client, personas, django_assert_max_num_queries):
        for kind in ("whole_class", "small_group", "task_launch"):
            adapted(personas, kind)
        client.force_login(personas.leader)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("instruments:list")).status_code == 200

    def test_the_detail_previews_in_english_and_spanish(self, client, personas):
        client.force_login(personas.teacher)
        url = reverse("instruments:detail", args=[starter().pk])
        english = client.get(url)
        assert "What did you need to do in order to be successful" in english.text
        spanish = client.get(url + "?lang=es")
        assert "¿Qué necesitabas hacer" in spanish.text and "Enviar mis respuestas" in spanish.text
        assert 'type="radio"' in spanish.text

    def test_a_teacher_views_a_district_instrument_but_may_not_edit_it(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.teacher)
        assert client.get(reverse("instruments:detail", args=[own.pk])).status_code == 200
        assert client.get(reverse("instruments:edit", args=[own.pk])).status_code == 403
        assert client.post(reverse("instruments:edit", args=[own.pk]), {}).status_code == 403
        assert client.get(reverse("instruments:create")).status_code == 403
        assert client.post(reverse("instruments:adapt", args=[starter().pk])).status_code == 403

    def test_a_principal_of_another_school_reads_but_does_not_edit(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.principal_b)
        page = client.get(reverse("instruments:detail", args=[own.pk]))
        assert page.status_code == 200 and reverse("instruments:edit", args=[own.pk]) not in page.text
        assert client.get(reverse("instruments:edit", args=[own.pk])).status_code == 403

    def test_a_leader_of_another_district_gets_404(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.outsider_leader)
        for name in ("detail", "edit", "history"):
            assert client.get(reverse(f"instruments:{name}", args=[own.pk])).status_code == 404, name

    def test_no_one_edits_a_starter(self, client, personas):
        client.force_login(personas.leader)
        assert client.get(reverse("instruments:edit", args=[starter().pk])).status_code == 403

    def test_only_starters_are_adapted(self, client, personas):
        own = adapted(personas)
        client.force_login(personas.leader)
        assert client.get(reverse("instruments:adapt", args=[own.pk])).status_code == 404


@pytest.mark.django_db
class TestEditorPages:
    def test_a_leader_adapts_a_starter_and_lands_on_its_editor(self, client, personas):
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:adapt", args=[starter().pk]), {"why": "Add our own items."})
        copy = Instrument.objects.get(district=personas.district)
        assert page.status_code == 302 and page.url == reverse("instruments:edit", args=[copy.pk])
        assert AdaptationLog.objects.get(instrument=copy).why == "Add our own items."
        editor = client.get(page.url)
        assert editor.status_code == 200 and "Escuchar y entender el razonamiento" in editor.text

    def test_a_leader_creates_an_instrument(self, client, personas):
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:create"), form_data(small_spec(), blank_rows=2))
        instrument = Instrument.objects.get(district=personas.district, name="Exit ticket")
        assert page.status_code == 302 and page.url == reverse("instruments:detail", args=[instrument.pk])
        item = instrument.items.get()
        assert [(o.label_es, o.productive, o.value) for o in item.options.all()] == [("Sí", True, 1), ("No", False, 2)]
        assert AdaptationLog.objects.get(instrument=instrument).what == "Created with 1 items."

    def test_blank_answers_of_yes_no_and_agreement_items_get_the_standard_ones(self, client, personas):
        spec = small_spec()
        spec.items = [
            ItemSpec("Yes or no?", "¿Sí o no?", "yes_no", options=[OptionSpec("", "", True)]),
            ItemSpec("I agree.", "Estoy de acuerdo.", "agreement"),
        ]
        client.force_login(personas.leader)
        assert client.post(reverse("instruments:create"), form_data(spec)).status_code == 302
        yes_no, agreement = Instrument.objects.get(name="Exit ticket").items.all()
        assert [(o.label_en, o.productive) for o in yes_no.options.all()] == [("Yes", True), ("No", False)]
        assert [o.productive for o in agreement.options.all()] == [False, False, True, True]

    def test_form_errors_redisplay_without_losing_input(self, client, personas):
        spec = small_spec(name="Keep this name")
        spec.items[0] = ItemSpec(
            "A prompt I typed carefully", "Un texto que escribí", "single", options=[OptionSpec("Only", "Única", True)]
        )
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:create"), form_data(spec, blank_rows=2))
        assert page.status_code == 200
        assert "Give at least two answers to choose from." in page.text
        assert 'value="Keep this name"' in page.text and "A prompt I typed carefully</textarea>" in page.text
        assert 'value="Única"' in page.text
        assert not Instrument.objects.filter(name="Keep this name").exists()

    def test_text_items_are_refused_on_student_instruments(self, client, personas):
        spec = small_spec()
        spec.items.append(ItemSpec("Anything else?", "¿Algo más?", "text", required=False))
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:create"), form_data(spec))
        assert page.status_code == 200 and "for adult instruments only" in page.text
        adults = client.post(reverse("instruments:create"), form_data(replace(spec, audience="adults")))
        assert adults.status_code == 302

    def test_a_choice_item_needs_a_productive_answer(self, client, personas):
        spec = small_spec()
        spec.items[0].options = [OptionSpec("Yes", "Sí"), OptionSpec("No", "No")]
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:create"), form_data(spec))
        assert page.status_code == 200 and "Mark at least one answer as productive" in page.text

    def test_a_student_instrument_takes_at_most_eight_items(self, client, personas):
        spec = small_spec()
        spec.items = [replace(spec.items[0], prompt_en=f"Question {n}?") for n in range(9)]
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:create"), form_data(spec))
        assert page.status_code == 200 and "at most 8 items" in page.text
        assert "Question 8?</textarea>" in page.text

    def test_an_answer_needs_both_languages(self, client, personas):
        spec = small_spec()
        spec.items[0].options[1] = OptionSpec("No", "")
        client.force_login(personas.leader)
        page = client.post(reverse("instruments:create"), form_data(spec))
        assert page.status_code == 200 and "Give this answer in Spanish too." in page.text

    def test_an_edit_asks_why(self, client, personas):
        instrument = adapted(personas)
        spec = lib.spec_of(instrument)
        client.force_login(personas.leader)
        page = client.post(
            reverse("instruments:edit", args=[instrument.pk]), form_data(spec, initial_forms=len(spec.items))
        )
        assert page.status_code == 200 and "This field is required." in page.text

    def test_editing_an_answered_instrument_through_the_page_makes_version_2(self, client, personas):
        v1 = adapted(personas)
        answer_once(personas, v1)
        spec = lib.spec_of(v1)
        spec.items[0].options[2].label_es = "Terminar todas mis tareas"
        client.force_login(personas.leader)
        edit = client.get(reverse("instruments:edit", args=[v1.pk]))
        assert "Saving makes version 2" in edit.text
        data = form_data(spec, why="Better Spanish.", initial_forms=len(spec.items), blank_rows=2, delete=(4,))
        page = client.post(reverse("instruments:edit", args=[v1.pk]), data)
        v2 = Instrument.objects.get(lineage=v1.lineage, version=2)
        assert page.status_code == 302 and page.url == reverse("instruments:detail", args=[v2.pk])
        assert v2.items.count() == 4 and v1.items.count() == 5
        history = client.get(reverse("instruments:history", args=[v2.pk]))
        assert "Better Spanish." in history.text
        assert "Item 1 answer 3 (Spanish): “Terminar todo mi trabajo” → “Terminar todas mis tareas”" in history.text
        assert "Item 5 removed" in history.text and "superseded" in history.text

    def test_the_old_version_points_to_the_current_one(self, client, personas):
        v1 = adapted(personas)
        answer_once(personas, v1)
        spec = lib.spec_of(v1)
        spec.name = "Renamed"
        v2 = lib.instrument_save_edit(instrument=v1, data=spec, user=personas.leader, why="x").instrument
        client.force_login(personas.leader)
        page = client.get(reverse("instruments:detail", args=[v1.pk]))
        assert reverse("instruments:detail", args=[v2.pk]) in page.text
        assert client.get(reverse("instruments:edit", args=[v1.pk])).url == reverse("instruments:edit", args=[v2.pk])

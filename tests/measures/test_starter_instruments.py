"""The starter instruments installed by migration 0002."""

import importlib
import uuid

import pytest
from django.apps import apps

from measures.models import Audience, Instrument, ItemKind

starter_migration = importlib.import_module("measures.migrations.0002_starter_instruments")

WHOLE_CLASS = uuid.UUID("ebc46fd2-1733-41ec-921b-f58233e7c080")


def starters():
    return Instrument.objects.filter(district__isnull=True).prefetch_related("items__options")


@pytest.mark.django_db
class TestStarterInstruments:
    def test_the_four_starters_exist_after_migrate(self):
        assert sorted(starters().values_list("kind", "audience", "version", "is_current")) == [
            ("pd_feedback", "adults", 1, True),
            ("small_group", "students", 1, True),
            ("task_launch", "students", 1, True),
            ("whole_class", "students", 1, True),
        ]

    def test_their_lineages_are_the_same_on_every_install(self):
        assert {i.lineage for i in starters()} == {s["lineage"] for s in starter_migration.STARTERS}
        assert Instrument.objects.get(lineage=WHOLE_CLASS).name == "Whole-class discussion"

    def test_student_starters_are_short_enough_for_three_minutes(self):
        for instrument in starters().filter(audience=Audience.STUDENTS):
            assert 1 <= instrument.items.count() <= 6, instrument
        assert Instrument.objects.get(district=None, kind="task_launch").items.count() <= 3

    def test_every_prompt_and_label_has_spanish(self):
        for instrument in starters():
            assert instrument.name_es
            for item in instrument.items.all():
                assert item.prompt_es.strip() and item.prompt_es != item.prompt_en, item
                for option in item.options.all():
                    assert option.label_es.strip(), option

    def test_every_choice_item_has_a_productive_and_an_unproductive_answer(self):
        for instrument in starters():
            for item in instrument.items.all():
                if item.kind == ItemKind.TEXT:
                    assert not item.options.exists()
                    continue
                flags = [o.productive for o in item.options.all()]
                assert len(flags) >= 2 and any(flags) and not all(flags), item

    def test_agreement_items_use_the_four_point_scale(self):
        for instrument in starters():
            for item in instrument.items.filter(kind=ItemKind.AGREEMENT):
                options = list(item.options.all())
                assert [o.label_en for o in options] == ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
                assert [o.value for o in options] == [1, 2, 3, 4]
                assert [o.productive for o in options] == [False, False, True, True]

    def test_the_whole_class_instrument_quotes_the_two_published_items(self):
        items = list(Instrument.objects.get(lineage=WHOLE_CLASS).items.all())
        first, second = items[0], items[1]
        assert first.prompt_en == "What did you need to do in order to be successful in your math class today?"
        assert [(o.label_en, o.productive) for o in first.options.all()] == [
            ("Listen to and make sense of other students' reasoning", True),
            ("Solve problems using the steps the teacher showed me", False),
            ("Finish all of my work", False),
        ]
        assert second.prompt_en == (
            "Did you have trouble understanding your classmates' thinking in today's whole class discussion?"
        )
        assert second.kind == ItemKind.YES_NO
        assert [(o.label_en, o.productive) for o in second.options.all()] == [("Yes", False), ("No", True)]

    def test_only_adult_instruments_have_text_items_and_they_are_optional(self):
        text_items = [item for i in starters() for item in i.items.all() if item.kind == ItemKind.TEXT]
        assert text_items and all(item.instrument.audience == Audience.ADULTS for item in text_items)
        assert not any(item.required for item in text_items)

    def test_descriptions_credit_the_source_and_invite_districts_own_items(self):
        for instrument in starters():
            assert "starter instrument written by PD Cycles" in instrument.description
            assert "PMR2" in instrument.description

    def test_the_migration_reverses_and_reapplies(self):
        starter_migration.remove_starters(apps, None)
        assert not starters().exists()
        starter_migration.add_starters(apps, None)
        starter_migration.add_starters(apps, None)  # a second run adds nothing
        assert starters().count() == 4

""" "Start a survey" pre-selects the class's current instrument (never the alphabetical first), says why,
and tells a district's adapted copy from the starter of the same name."""

import pytest
from django.urls import reverse

from measures import aggregation, instruments
from measures.models import Instrument
from tests.factories import ClassroomFactory

from .helpers import survey_in_week

pytestmark = pytest.mark.django_db


def _form(client, personas, room):
    client.force_login(room.teacher)
    return client.get(reverse("measures:administration_start", args=[room.pk])).context["form"]


def test_it_preselects_the_instrument_the_class_answered_last(client, personas):
    whole_class = Instrument.objects.get(district=None, kind="whole_class", is_current=True)
    survey_in_week(personas.classroom, whole_class, 2, productive=5, unproductive=5)
    form = _form(client, personas, personas.classroom)
    first = form.fields["instrument"].queryset.first()
    assert first.name == "Small-group work"  # the alphabetical first, which a default must not be
    assert form.initial["instrument"] == whole_class.pk
    assert "keep it and the class's run chart continues" in form.fields["instrument"].help_text
    assert f'<option value="{whole_class.pk}" selected>' in str(form["instrument"])


def test_a_new_class_gets_the_districts_instrument_with_the_most_data(client, personas):
    whole_class = Instrument.objects.get(district=None, kind="whole_class", is_current=True)
    for weeks_ago in (3, 2, 1):
        survey_in_week(personas.other_classroom, whole_class, weeks_ago, productive=6, unproductive=6)
    aggregation.rebuild_all()
    new_room = ClassroomFactory(school=personas.school, teacher=personas.teacher, name="Math 7 support")
    form = _form(client, personas, new_room)
    assert form.initial["instrument"] == whole_class.pk
    assert "most weeks of data in your district" in form.fields["instrument"].help_text


def test_an_adapted_copy_and_its_starter_say_whose_each_is(client, personas):
    starter = Instrument.objects.get(district=None, kind="whole_class", is_current=True)
    copy = instruments.instrument_adapt(starter=starter, district=personas.district, user=personas.leader)
    labels = [label for _, label in _form(client, personas, personas.classroom).fields["instrument"].choices]
    assert labels.count(starter.name) == 0
    assert f"{starter.name} (starter version)" in labels and f"{copy.name} (your district’s version)" in labels
    assert len(labels) == len(set(labels))  # no two entries read the same

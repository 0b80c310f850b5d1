"""Group surveys (an adult instrument for a PD session's participants, no classroom) share the
survey path with classroom surveys but never reach classroom pages or trend points."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from measures import aggregation, services
from measures.instruments import adult_instruments_for
from measures.models import Administration, AdministrationSummary, TrendPoint

from .conftest import answer_form, post_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_survey(personas):
    instrument = adult_instruments_for(personas.district).first()
    return services.group_survey_open(
        district_id=personas.district.pk, instrument=instrument, opened_by=personas.leader, minutes=15
    )


def _agree_all(items):
    return {f"i{i.pk}": str(i.options.order_by("-order")[0].pk) for i in items if i.kind != "text"}


def test_participants_answer_a_group_survey_by_code_and_it_is_summarised_without_trend(client, group_survey):
    for n in range(3):
        token, items = answer_form(client, group_survey)
        text_item = next(i for i in items if i.kind == "text")
        response = post_answers(client, group_survey, token, {**_agree_all(items), f"i{text_item.pk}": f"idea {n}"})
        assert response.status_code == 303
    aggregation.refresh_administrations([group_survey.pk])
    assert AdministrationSummary.objects.get(administration=group_survey).n_responses == 3
    assert not TrendPoint.objects.exists()
    aggregation.rebuild_all()
    assert not TrendPoint.objects.exists()


def test_written_answers_show_only_from_the_minimum_group_size_and_not_in_sent_order(client, personas, group_survey):
    personas.district.min_group_size = 5
    personas.district.save()
    sent = ["zebra idea", "apple idea", "mango idea", "kiwi idea", "banana idea"]
    for n, text in enumerate(sent):
        token, items = answer_form(client, group_survey)
        text_item = next(i for i in items if i.kind == "text")
        post_answers(client, group_survey, token, {**_agree_all(items), f"i{text_item.pk}": text})
        aggregation.refresh_administrations([group_survey.pk])
        group_survey.refresh_from_db()
        shown = aggregation.text_answers(group_survey)
        if n < 4:
            assert shown == ()
    assert shown[0].answers == tuple(sorted(sent))


def test_a_student_instrument_cannot_be_opened_for_a_group(personas):
    from tests.factories import make_instrument

    with pytest.raises(ValueError):
        services.group_survey_open(
            district_id=personas.district.pk, instrument=make_instrument(), opened_by=personas.leader, minutes=5
        )


def test_a_group_survey_has_no_classroom_page(client, personas, group_survey):
    client.force_login(personas.leader)
    for name in ("measures:administration", "measures:administration_present", "measures:administration_count"):
        assert client.get(reverse(name, args=[group_survey.pk])).status_code == 404


def test_a_survey_names_its_school_exactly_when_it_names_a_classroom(personas, group_survey):
    with pytest.raises(IntegrityError), transaction.atomic():
        Administration.objects.filter(pk=group_survey.pk).update(school=personas.school)


def test_a_closed_group_survey_thanks_the_facilitator_not_the_teacher(client, group_survey):
    services.administration_close(administration=group_survey)
    page = client.get(f"/s/{group_survey.code}")
    assert page.status_code == 410
    assert "facilitator has closed" in page.content.decode()


def test_identical_written_answers_are_grouped_with_a_count():
    answers = aggregation.TextAnswers("What to change?", ("More time", "more  time", "Shorter video"))
    assert answers.grouped() == [("More time", 2), ("Shorter video", 1)]

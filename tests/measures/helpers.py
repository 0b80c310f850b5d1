"""Build survey data quickly for aggregation and dashboard tests (through the real services)."""

import datetime
from datetime import datetime as _datetime
from datetime import time, timedelta

from django.utils import timezone

from measures import services
from measures.models import Administration, Answer, Item, Response


def submit(administration, items, *, productive: bool, count: int = 1):
    """Submit `count` responses, all productive or all not, through services.response_submit."""
    for _ in range(count):
        token = services.read_submission_token(services.make_submission_token(administration), administration)
        index = 0 if productive else 1
        answers = services.ParsedAnswers({item.pk: (item.options.all()[index].pk,) for item in items}, {})
        services.response_submit(administration=administration, token=token, answers=answers)


def survey_in_week(classroom, instrument, weeks_ago: int, *, productive=0, unproductive=0):
    """An administration opened `weeks_ago` weeks ago (Monday 10:00) with the given answers, closed."""
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday(), weeks=weeks_ago)
    opened = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(10)))
    administration = services.administration_open(
        classroom=classroom, instrument=instrument, opened_by=classroom.teacher, now=opened
    )
    items = list(instrument.items.order_by("order").prefetch_related("options"))
    submit(administration, items, productive=True, count=productive)
    submit(administration, items, productive=False, count=unproductive)
    services.administration_close(administration=administration, now=opened + datetime.timedelta(minutes=15))
    return Administration.objects.get(pk=administration.pk)


def bulk_survey(room, instrument, weeks_ago, n, rng):
    """A closed survey `weeks_ago` weeks ago with `n` responses of random answers, written in bulk."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday(), weeks=weeks_ago)
    opened = timezone.make_aware(_datetime.combine(monday, time(9)))
    survey = services.administration_open(classroom=room, instrument=instrument, opened_by=room.teacher, now=opened)
    services.administration_close(administration=survey, now=opened + timedelta(minutes=10))
    items = list(Item.objects.filter(instrument=instrument).prefetch_related("options").order_by("order"))
    responses = Response.objects.bulk_create(
        [
            Response(
                administration=survey, token=f"{survey.pk}-{i}-{rng.random()}", fingerprint="x", submitted_at=opened
            )
            for i in range(n)
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(administration=survey, response=r, item=item, option=rng.choice(list(item.options.all())))
            for r in responses
            for item in items
        ]
    )
    return survey

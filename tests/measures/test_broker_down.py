"""A dead broker never costs a student their answers: thank-you page, response saved, sweep catches up."""

import pytest

from measures import aggregation, tasks
from measures.models import AdministrationSummary, Response
from pdcycles.celery import app as celery_app

from .conftest import answer_form, post_answers, productive_choices


def _new_producer_pool():
    """Forget the app's producer pool so the next publish uses the broker now configured.

    kombu keeps one pool per broker address, so the real broker's pool survives for later tests.
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def dead_broker():
    old = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _new_producer_pool()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = old
    _new_producer_pool()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_student_gets_thanks_when_the_broker_is_down_and_the_sweep_catches_up(client, personas, dead_broker):
    from measures import services
    from tests.factories import make_instrument

    survey = services.administration_open(classroom=personas.classroom, instrument=make_instrument(), opened_by=None)
    token, items = answer_form(client, survey)
    reply = post_answers(client, survey, token, productive_choices(items))
    assert reply.status_code == 303
    assert client.get(reply["Location"]).status_code == 200
    assert Response.objects.filter(administration=survey).count() == 1
    assert not AdministrationSummary.objects.filter(administration=survey).exists()
    assert aggregation.stale_administration_ids() == [survey.pk]
    tasks.sweep.apply()  # what beat runs every minute once the broker is back
    assert AdministrationSummary.objects.get(administration=survey).n_responses == 1

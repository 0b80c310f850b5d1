import pytest

from measures import services
from tests.factories import make_instrument


@pytest.fixture
def instrument(db):
    return make_instrument()


@pytest.fixture
def administration(personas, instrument):
    return services.administration_open(classroom=personas.classroom, instrument=instrument, opened_by=personas.teacher)


def answer_form(client, administration, *, lang="en"):
    """GET the survey and return (token, items) as a student's browser would see them."""
    import re

    page = client.get(f"/s/{administration.code}?lang={lang}")
    assert page.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    return token, list(administration.instrument.items.order_by("order").prefetch_related("options"))


def post_answers(client, administration, token, choices, *, lang="en"):
    data = {"token": token, "lang": lang}
    data.update(choices)
    return client.post(f"/s/{administration.code}?lang={lang}", data)


def productive_choices(items, productive=True):
    return {f"i{item.pk}": str(item.options.all()[0 if productive else 1].pk) for item in items}

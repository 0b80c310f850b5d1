import pytest

from tests.factories import make_instrument


@pytest.fixture
def instrument(db):
    return make_instrument(name="Discussion check")

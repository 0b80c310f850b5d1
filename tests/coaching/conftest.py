import pytest

from .factories import start_cycle


@pytest.fixture
def cycle(personas):
    return start_cycle(personas)

import pytest

from tests.client.helpers import Router, Sleeps


@pytest.fixture
def router() -> Router:
    return Router()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()

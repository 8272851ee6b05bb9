import pytest

from tests.sendcloud.factories import IntegrationFactory


@pytest.fixture
def integration(company):
    """A connected integration whose keys the tests know (no call to Sendcloud needed)."""
    return IntegrationFactory(company=company)

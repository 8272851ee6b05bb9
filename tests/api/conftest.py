import pytest

from backoffice.companies import roles
from backoffice.companies.models import ApiToken
from tests.factories import UserFactory


def bearer(user) -> dict:
    _token, secret = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api_user(company):
    return UserFactory(company=company, role=roles.MANAGEMENT)


@pytest.fixture
def auth(api_user):
    return bearer(api_user)

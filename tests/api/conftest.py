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


# The label tests' sandbox set-up: a company linked to an in-process sandbox account with
# synced-like options and routes (set up through services; the flows under test use the API).
from tests.sendcloud.labels.conftest import (  # noqa: E402,F401
    queued_documents,
    sandbox_clients,
    shop,
)
from tests.sendcloud.returns.conftest import return_shop  # noqa: E402,F401

# A German delivery address the sandbox accepts, for orders the API tests create.
ADDRESS = {
    "contact_name": "Erika Mustermann",
    "street": "Hauptstraße",
    "house_number": "5",
    "postal_code": "80331",
    "city": "München",
    "country": "DE",
}

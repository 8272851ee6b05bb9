import pytest

pytest_plugins = ["sandbox.testing"]


@pytest.fixture
def company(db):
    from tests.factories import CompanyFactory

    return CompanyFactory()


@pytest.fixture
def clerk(company):
    """A back-office user of `company` with admin access to its rows."""
    from tests.factories import UserFactory

    return UserFactory(company=company)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


SERVER_FIXTURES = {"sandbox_server", "live_server", "sandbox_printer"}


def pytest_collection_modifyitems(config, items):
    """Every test that starts a server over real HTTP is an `http` test (see `make test-fast`)."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.http)

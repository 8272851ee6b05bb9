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


@pytest.fixture(autouse=True)
def api_call_spool_of_this_test(settings, tmp_path_factory):
    """Each test spools API calls it could not store in a folder of its own: a call spooled by
    one test (its integration rolled back since) must never be stored by the next one's purge
    or call, let alone by the PostgreSQL run after the SQLite one in the same VAR_DIR."""
    settings.SENDCLOUD_API_CALL_SPOOL_DIR = str(tmp_path_factory.mktemp("api-call-spool"))

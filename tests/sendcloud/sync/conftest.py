import pytest

from sandbox.testing import SANDBOX_BASE_URL
from sendcloud.clients import sendcloud_client
from sendcloud.models import SyncRun
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from tests.sendcloud.factories import IntegrationFactory


@pytest.fixture
def sandbox_integration(company, sandbox_account, settings):
    """A connected integration holding the keys of a freshly seeded sandbox account."""
    settings.SENDCLOUD_BASE_URL = SANDBOX_BASE_URL
    return IntegrationFactory(company=company, account=sandbox_account, shop_name="Sandbox Shop")


@pytest.fixture
def make_client(sandbox_transport):
    """Clients talking to the in-process sandbox, without rate limiting or back-off sleeps."""
    clients = []

    def make(integration, **options):
        options.setdefault("max_retries", 5)
        options.setdefault("transport", sandbox_transport)
        client = sendcloud_client(
            integration.public_key,
            integration.secret_key,
            integration=integration,
            reference="test",
            rate_limit=False,
            sleep=lambda seconds: None,
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def sync(make_client):
    """Run a sync of `integration` to the end, in this thread; returns the finished run."""

    def run(integration, object_types, *, full=False, trigger=SyncRun.Trigger.MANUAL, client=None):
        created = sync_start(integration, object_types, queue=False, trigger=trigger, full=full)
        return sync_run_execute(created.pk, client=client or make_client(integration))

    return run

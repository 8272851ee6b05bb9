import httpx
import pytest

from sandbox.app import create_app
from sandbox.server import start_server
from sandbox.testing import SMALL_SEED
from tests.sendcloud.factories import IntegrationFactory


@pytest.fixture
def integration(company):
    """A connected integration whose keys the tests know (no call to Sendcloud needed)."""
    return IntegrationFactory(company=company)


@pytest.fixture(scope="module")
def sandbox_http(tmp_path_factory):
    """The sandbox over real HTTP, for worker processes: (base URL, control client, store)."""
    app = create_app(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3", rate_limits=False)
    base_url, stop = start_server(app)
    control = httpx.Client(base_url=f"{base_url}/_sandbox", timeout=30)
    yield base_url, control, app.extensions["sandbox"].store
    control.close()
    stop()
    app.extensions["sandbox"].close()


@pytest.fixture
def account(sandbox_http):
    """A fresh account (small seed) on `sandbox_http`; its faults are cleared afterwards."""
    control = sandbox_http[1]
    response = control.post("/accounts", json=SMALL_SEED)
    response.raise_for_status()
    yield response.json()
    control.put("/faults", json={"faults": []})

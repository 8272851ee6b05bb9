"""Pytest plugin with sandbox fixtures (``pytest_plugins = ["sandbox.testing"]``).

Fixtures:

* ``sandbox_app`` – a fresh sandbox Flask app on a temporary SQLite file; rate limits off, no
  faults. Its state is ``sandbox_app.extensions["sandbox"]`` (clock, faults, outbox…).
* ``sandbox_control`` – a Flask test client for the control API of that app (``/_sandbox/…``).
* ``sandbox_account`` – a freshly created account on that app, small seed (40 parcels,
  8 returns, 5 invoices): dict with ``id``, ``public_key``, ``secret_key``, ``integration_id``,
  ``email``, ``password``…
* ``sandbox_transport`` – ``httpx.WSGITransport(app=sandbox_app)``; use it with
  ``base_url=SANDBOX_BASE_URL`` (``http://sandbox.test``).
* ``sandbox_client`` – an ``httpx.Client`` on that transport, authenticated as
  ``sandbox_account``.
* ``sandbox_server`` – the same app over real HTTP (waitress, background thread, free loopback
  port); yields the base URL ``http://127.0.0.1:PORT`` and shuts down cleanly.

* ``sandbox_printer`` – the fake label printer of ``sandbox_app`` listening on a free loopback
  port (raw TCP, the port 9100 protocol): ``.address`` (``127.0.0.1:PORT``), ``.received()``
  (the bytes of each job, newest first), ``.jobs.list()``, ``.jobs.clear()``,
  ``.power(False)`` (connections refused) / ``.power(True)``. IPP jobs go to ``POST
  /ipp/print`` of the same app (``sandbox_server`` + ``/ipp/print``).

``start_server(app, host="127.0.0.1", port=0) -> (base_url, stop)`` serves any app the same way
(for benchmarks).
"""

import pytest

from .app import create_app
from .server import start_server

__all__ = ["SANDBOX_BASE_URL", "start_server"]

SANDBOX_BASE_URL = "http://sandbox.test"
SMALL_SEED = {"parcels": 40, "returns": 8, "invoices": 5, "seed": 1}


@pytest.fixture
def sandbox_app(tmp_path):
    app = create_app(tmp_path / "sandbox.sqlite3", rate_limits=False)
    yield app
    app.extensions["sandbox"].close()


@pytest.fixture
def sandbox_control(sandbox_app):
    return sandbox_app.test_client()


@pytest.fixture
def sandbox_account(sandbox_control):
    response = sandbox_control.post("/_sandbox/accounts", json=SMALL_SEED)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def sandbox_transport(sandbox_app):
    import httpx

    return httpx.WSGITransport(app=sandbox_app)


@pytest.fixture
def sandbox_client(sandbox_transport, sandbox_account):
    import httpx

    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL, auth=auth) as c:
        yield c


@pytest.fixture
def sandbox_server(sandbox_app):
    base_url, stop = start_server(sandbox_app)
    yield base_url
    stop()


@pytest.fixture
def sandbox_printer(sandbox_app):
    printer = sandbox_app.extensions["sandbox"].printer
    printer.start("127.0.0.1", 0)
    yield printer
    printer.stop()

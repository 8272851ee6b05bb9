"""Transport basics: mandatory timeouts, auth, user agent, base URLs, no redirects."""

from __future__ import annotations

import ssl

import httpx
import pytest

from sendcloud.client import SendcloudClient, Timeouts
from sendcloud.client import transport as transport_module
from sendcloud.client.transport import Transport
from sendcloud.client.webhooks import compute_signature, verify_signature
from tests.client.helpers import PUBLIC_KEY, SECRET_KEY, Router, make_client


@pytest.mark.parametrize(
    "timeout",
    [None, 0, -1, float("inf"), httpx.Timeout(None), httpx.Timeout(5, read=None)],
)
def test_timeouts_are_mandatory_and_bounded(timeout: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        SendcloudClient(PUBLIC_KEY, SECRET_KEY, timeout=timeout, rate_limit=False)


def test_every_request_carries_all_four_timeouts(router: Router) -> None:
    router.json("GET", "/api/v2/user", {"user": {}})
    make_client(router, timeout=Timeouts(connect=1, read=2, write=3, pool=4)).user()
    assert router.requests[0].extensions["timeout"] == {
        "connect": 1,
        "read": 2,
        "write": 3,
        "pool": 4,
    }


def test_shipping_methods_get_a_longer_read_timeout(router: Router) -> None:
    router.json("GET", "/api/v2/shipping_methods", {"shipping_methods": []})
    list(make_client(router, timeout=5).shipping_methods())
    assert router.requests[0].extensions["timeout"]["read"] == 60.0


def test_basic_auth_user_agent_and_json_accept(router: Router) -> None:
    router.json("GET", "/api/v3/user/auth/metadata", {"data": {}})
    make_client(router).auth_metadata()
    request = router.requests[0]
    expected = httpx.BasicAuth(PUBLIC_KEY, SECRET_KEY)._auth_header
    assert request.headers["authorization"] == expected
    assert request.headers["user-agent"].startswith("verwaltung-sendcloud/0.1")
    assert request.headers["accept"] == "application/json"
    assert str(request.url) == "https://panel.test/api/v3/user/auth/metadata"


def test_repr_does_not_show_the_secret() -> None:
    client = SendcloudClient(PUBLIC_KEY, SECRET_KEY, rate_limit=False)
    assert SECRET_KEY not in repr(client) and SECRET_KEY not in repr(client.transport)


def test_webhook_signature_official_and_project_vectors() -> None:
    official = "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"
    assert verify_signature(b'{"key": "value"}', official, "secretkey")
    body = (
        b'{"action": "parcel_status_changed", "timestamp": 1712163088943, '
        b'"parcel": {"id": 1, "status": {"id": 11, "message": "Delivered"}}}'
    )
    expected = "d7e5cc436ca84bdec4ce583012664364865a16e2db2447f591589fe3889365d5"
    assert compute_signature(body, "fake-secret-key-for-tests") == expected
    compact = body.replace(b": ", b":").replace(b", ", b",")
    assert verify_signature(
        compact,
        "4652e70206f8f80e0ee52305f73137a1c7bb2e09c66fae63ba90006be75626db",
        "fake-secret-key-for-tests",
    )
    assert not verify_signature(compact, expected, "fake-secret-key-for-tests")
    assert not verify_signature(body, "", "fake-secret-key-for-tests")
    assert not verify_signature(body, expected, "")


def test_connect_flow_signature_vector() -> None:
    body = (
        b'{"action": "integration_credentials", '
        b'"public_key": "11111111-2222-3333-4444-555555555555", '
        b'"secret_key": "0123456789abcdef0123456789abcdef", "integration_id": 123456}'
    )
    signature = "e27f8d87f51680ca0924c5f49e4a5892b0841711caefc939399de4be1f841814"
    assert verify_signature(body, signature, "0123456789abcdef0123456789abcdef")


def test_clients_share_one_tls_context(monkeypatch):
    """A worker builds a client per sync run and per outbox batch; reading the CA bundle for
    each cost more CPU than many of the requests."""
    built = []
    real = ssl.create_default_context

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    monkeypatch.setattr(transport_module, "_tls", None, raising=False)
    transports = [Transport("pk", "sk") for _ in range(3)]
    for each in transports:
        each.close()
    assert len(built) == 1

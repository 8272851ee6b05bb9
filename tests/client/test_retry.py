"""Reads and 429s are retried with bounded back-off; writes are never retried blind."""

from __future__ import annotations

import httpx
import pytest

from sendcloud.client import ConnectionError, RetryPolicy, ServerError, Timeout
from tests.client.helpers import Router, Sleeps, make_client

USER = {"user": {"username": "u"}}


def fail(exc: type[Exception]):
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    return handler


def test_read_is_retried_after_5xx_429_and_timeouts(router: Router, sleeps: Sleeps) -> None:
    router.add(
        "GET",
        "/api/v2/user",
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.Response(429),
        fail(httpx.ReadTimeout),
        httpx.Response(200, json=USER),
    )
    assert make_client(router, sleep=sleeps).user().username == "u"
    assert len(router.requests) == 4 and len(sleeps) == 3


def test_retries_are_bounded(router: Router, sleeps: Sleeps) -> None:
    router.add("GET", "/api/v2/user", httpx.Response(500))
    with pytest.raises(ServerError):
        make_client(router, sleep=sleeps, max_retries=2).user()
    assert len(router.requests) == 3


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=0.5, max_delay=4.0, random=lambda: 1.0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    low = RetryPolicy(base_delay=0.5, max_delay=4.0, random=lambda: 0.0)
    assert low.delay(3) == 1.0  # jitter keeps at least half of the step


def test_write_is_not_retried_after_5xx(router: Router, sleeps: Sleeps) -> None:
    router.add(
        "POST", "/api/v3/shipments/announce", httpx.Response(500), httpx.Response(201, json={})
    )
    with pytest.raises(ServerError):
        make_client(router, sleep=sleeps).v3.shipment_announce({"parcels": []})
    assert len(router.requests) == 1 and sleeps == []


def test_write_is_not_retried_after_a_read_timeout(router: Router, sleeps: Sleeps) -> None:
    router.add("PATCH", "/api/v3/integrations/1", fail(httpx.ReadTimeout))
    with pytest.raises(Timeout):
        make_client(router, sleep=sleeps).integration_update(1, shop_name="x")
    assert len(router.requests) == 1


def test_write_is_retried_on_429_and_when_the_connection_never_opened(
    router: Router, sleeps: Sleeps
) -> None:
    router.add(
        "PATCH",
        "/api/v3/integrations/1",
        httpx.Response(429),
        fail(httpx.ConnectError),
        httpx.Response(204),
    )
    make_client(router, sleep=sleeps).integration_update(1, shop_name="x")
    assert len(router.requests) == 3


def test_read_only_post_shipping_options_is_retried_like_a_read(router: Router) -> None:
    router.add(
        "POST",
        "/api/v3/shipping-options",
        httpx.Response(503),
        httpx.Response(200, json={"data": [], "message": None}),
    )
    assert make_client(router).shipping_options().options == ()
    assert len(router.requests) == 2


def test_connection_errors_on_reads_give_up_as_connection_error(router: Router) -> None:
    router.add("GET", "/api/v2/user", fail(httpx.ConnectError))
    with pytest.raises(ConnectionError):
        make_client(router, max_retries=1).user()
    assert len(router.requests) == 2


def test_retry_after_header_is_honoured(router: Router, sleeps: Sleeps) -> None:
    router.add(
        "GET",
        "/api/v2/user",
        httpx.Response(429, headers={"retry-after": "7"}),
        httpx.Response(200, json=USER),
    )
    make_client(router, sleep=sleeps).user()
    assert sleeps == [7.0]

"""Published rate limits (fake clock) and every fault kind, in process and over HTTP."""

import httpx
import pytest

from sandbox.ratelimit import RateLimiter
from sandbox.testing import SANDBOX_BASE_URL


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_get_budget_is_1000_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(clock)
    assert all(limiter.allow(1, "GET") for _ in range(1000))
    assert not limiter.allow(1, "GET")
    assert limiter.allow(2, "GET")  # per account
    clock.now += 60.01
    assert limiter.allow(1, "GET")


def test_unsafe_requests_have_a_15_per_second_burst_and_100_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(clock)
    assert all(limiter.allow(1, "POST") for _ in range(15))
    assert not limiter.allow(1, "PATCH")
    assert limiter.allow(1, "GET")  # reads have their own budget
    for _ in range(5):
        clock.now += 1.01
        assert all(limiter.allow(1, "POST") for _ in range(15))
    clock.now += 1.01
    assert all(limiter.allow(1, "DELETE") for _ in range(10))  # 100 in this minute
    clock.now += 1.01
    assert not limiter.allow(1, "POST")
    clock.now += 60
    assert limiter.allow(1, "POST")


def test_app_answers_429_with_empty_body_and_no_retry_after(sandbox_client, sandbox_control, state):
    clock = FakeClock()
    state.limiter.now = clock
    assert sandbox_control.post("/_sandbox/rate-limits", json={"enabled": True}).status_code == 200
    state.limiter.safe_per_minute = 3  # same code path as 1000, fewer requests to make
    assert [sandbox_client.get("/api/v3/parcels/statuses").status_code for _ in range(4)] == [
        200, 200, 200, 429,
    ]  # fmt: skip
    limited = sandbox_client.get("/api/v2/user")
    assert limited.status_code == 429 and limited.content == b""
    assert "Retry-After" not in limited.headers
    clock.now += 61
    assert sandbox_client.get("/api/v2/user").status_code == 200
    sandbox_control.post("/_sandbox/rate-limits", json={"enabled": False})
    assert all(sandbox_client.get("/api/v2/user").status_code == 200 for _ in range(5))


def _fault(control, **rule):
    control.delete("/_sandbox/faults")
    response = control.post("/_sandbox/faults", json=rule)
    assert response.status_code == 200, response.get_json()


def test_server_error_and_rate_limit_faults(sandbox_client, sandbox_control):
    _fault(sandbox_control, kind="server_error", count=1, status=503)
    failed = sandbox_client.get("/api/v2/user")
    assert failed.status_code == 503 and failed.headers["content-type"].startswith("text/html")
    assert sandbox_client.get("/api/v2/user").status_code == 200
    _fault(sandbox_control, kind="rate_limit", count=2)
    assert [sandbox_client.get("/api/v2/user").status_code for _ in range(3)] == [429, 429, 200]


def test_malformed_json_fault_breaks_the_body_only(sandbox_client, sandbox_control):
    _fault(sandbox_control, kind="malformed_json", count=1)
    response = sandbox_client.get("/api/v2/user")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_slow_and_timeout_faults_sleep_over_http_only(sandbox_app, sandbox_client, sandbox_control):
    slept = []
    sandbox_app.wsgi_app.sleep = slept.append
    _fault(sandbox_control, kind="slow", count=1, delay=1.5)
    assert sandbox_client.get("/api/v2/user").status_code == 200
    assert slept == [1.5]
    _fault(sandbox_control, kind="timeout", count=1)
    with pytest.raises(httpx.ReadTimeout):
        sandbox_client.get("/api/v2/user")
    assert slept == [1.5]


@pytest.mark.parametrize("kind", ["connection_reset", "truncated"])
def test_connection_faults_in_process_raise_what_httpx_raises(
    sandbox_client, sandbox_control, kind
):
    _fault(sandbox_control, kind=kind, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        sandbox_client.get("/api/v2/user")
    assert sandbox_client.get("/api/v2/user").status_code == 200


def test_faults_by_rate_repeat_with_the_same_seed(sandbox_client, sandbox_control):
    def run():
        sandbox_control.put(
            "/_sandbox/faults", json={"seed": 7, "faults": [{"kind": "server_error", "rate": 0.2}]}
        )
        return [sandbox_client.get("/api/v3/parcels/statuses").status_code for _ in range(60)]

    first, second = run(), run()
    assert first == second
    assert 3 <= first.count(500) <= 25
    sandbox_control.delete("/_sandbox/faults")


def test_faults_can_target_methods_and_paths(sandbox_client, sandbox_control):
    _fault(sandbox_control, kind="server_error", count=5, methods=["POST"], path="/api/v3/")
    assert sandbox_client.get("/api/v3/parcels/statuses").status_code == 200
    assert sandbox_client.get("/api/v2/user").status_code == 200
    assert sandbox_client.post("/api/v3/shipping-options", json={}).status_code == 500
    state = sandbox_control.get("/_sandbox/faults").get_json()
    assert state["faults"][0]["fired"] == 1


def test_bad_fault_rules_are_refused(sandbox_control):
    assert (
        sandbox_control.post("/_sandbox/faults", json={"kind": "gremlins", "count": 1}).status_code
        == 400
    )
    assert sandbox_control.post("/_sandbox/faults", json={"kind": "slow"}).status_code == 400


@pytest.fixture
def http_client(sandbox_server, sandbox_account):
    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    with httpx.Client(base_url=sandbox_server, auth=auth, timeout=2.0) as client:
        yield client


@pytest.mark.http
def test_connection_faults_over_real_http(http_client, sandbox_control):
    _fault(sandbox_control, kind="connection_reset", count=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http_client.get("/api/v2/user")
    _fault(sandbox_control, kind="truncated", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        http_client.get("/api/v2/user")
    _fault(sandbox_control, kind="timeout", count=1, delay=0.6)
    with pytest.raises(httpx.ReadTimeout):
        http_client.get("/api/v2/user", timeout=0.1)
    _fault(sandbox_control, kind="malformed_json", count=1)
    with pytest.raises(ValueError):
        http_client.get("/api/v2/user").json()
    assert http_client.get("/api/v2/user").json()["user"]["username"]


@pytest.mark.http
def test_server_fixture_serves_the_same_app(sandbox_server, sandbox_account):
    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    response = httpx.get(f"{sandbox_server}/api/v2/parcels", auth=auth)
    assert response.status_code == 200
    assert response.json()["parcels"][0]["documents"][0]["link"].startswith(sandbox_server)
    assert SANDBOX_BASE_URL not in response.text

"""Every attempt is reported to `on_call`, redacted: no secret ever reaches a record."""

from __future__ import annotations

import json

import httpx

from sendcloud.client import CallRecord
from tests.client.helpers import PUBLIC_KEY, SECRET_KEY, Router, make_client, payload


def test_each_attempt_is_recorded_with_path_status_and_attempt(router: Router) -> None:
    records: list[CallRecord] = []
    router.add("GET", "/api/v2/user", httpx.Response(503), httpx.Response(200, json={"user": {}}))
    make_client(router, on_call=records.append).user()
    assert [(r.method, r.path, r.status, r.attempt, r.error) for r in records] == [
        ("GET", "/api/v2/user", 503, 1, "ServerError"),
        ("GET", "/api/v2/user", 200, 2, None),
    ]
    assert records[0].will_retry and not records[1].will_retry
    assert all(r.duration_ms >= 0 for r in records)


def test_request_bodies_queries_and_responses_are_redacted(router: Router) -> None:
    records: list[CallRecord] = []
    leak = {"secret_key": SECRET_KEY, "public_key": PUBLIC_KEY, "password": "hunter2"}
    router.json("POST", "/api/v3/shipping-options", {"data": [], "message": None, **leak})
    client = make_client(router, on_call=records.append)
    body = payload("v3_event_connection_create.request.json")  # carries a bearer token
    client.shipping_options({**body, "nested": [{"api_key": "k-123"}], "note": f"x {SECRET_KEY}"})
    [record] = records
    dumped = json.dumps(record.request_body) + json.dumps(record.query) + record.response_excerpt
    for secret in (SECRET_KEY, "hunter2", "my-secret-token", "k-123"):
        assert secret not in dumped
    assert record.request_body["configuration"]["auth_config"]["token"] == "***"
    assert record.request_body["configuration"]["url"] == "https://example.com/webhooks/sendcloud"
    sent = router.requests[0]
    assert "my-secret-token" in sent.content.decode()  # redaction never touches what is sent


def test_records_never_contain_the_authorization_header(router: Router) -> None:
    records: list[CallRecord] = []
    router.json("GET", "/api/v2/user", {"user": {}})
    make_client(router, on_call=records.append).user()
    assert "authorization" not in repr(records).lower()
    assert router.requests[0].headers["authorization"].startswith("Basic ")


def test_sensitive_query_parameters_are_masked(router: Router) -> None:
    records: list[CallRecord] = []
    router.json("GET", "/api/v2/service-points/", [])
    make_client(router, on_call=records.append).v2.service_points("NL", access_token="jwt-abc")
    assert records[0].query == {"country": "NL", "access_token": "***"}


def test_response_excerpt_is_truncated(router: Router) -> None:
    records: list[CallRecord] = []
    router.file("GET", "/api/v2/shipping_methods", "shipping_methods.json")
    list(make_client(router, on_call=records.append).shipping_methods())
    assert len(records[0].response_excerpt) < 2100
    assert records[0].response_excerpt.endswith("[truncated]")


def test_listeners_hear_every_call_after_on_call_until_they_stop(router: Router) -> None:
    heard: list[str] = []
    router.json("GET", "/api/v2/user", {"user": {}})
    client = make_client(router, on_call=lambda r: heard.append("on_call"))
    stop = client.transport.listen(lambda r: heard.append("listener"))
    client.user()
    stop()
    client.user()
    assert heard == ["on_call", "listener", "on_call"]


def test_a_pdf_answer_is_recorded_by_kind_and_size_not_as_text(router: Router) -> None:
    records: list[CallRecord] = []
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 12_000
    router.add(
        "GET",
        "/api/v2/user",
        httpx.Response(200, content=pdf, headers={"content-type": "application/pdf"}),
    )
    try:
        make_client(router, on_call=records.append).user()
    except Exception:  # noqa: BLE001 - the body is no JSON; only the record matters here
        pass
    assert records[0].response_excerpt == f"[binary body: application/pdf, {len(pdf)} bytes]"


def test_a_json_answer_is_still_recorded_as_text(router: Router) -> None:
    records: list[CallRecord] = []
    router.json("GET", "/api/v2/user", {"user": {"username": "muster"}})
    make_client(router, on_call=records.append).user()
    assert "muster" in records[0].response_excerpt

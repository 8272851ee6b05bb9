"""Signed webhooks from the outbox, Sendcloud's retry schedule on a compressed clock."""

import hashlib
import hmac
import json

import pytest
from sandbox_receiver import Receiver
from sandbox_shapes import assert_shape, sample

from sandbox.webhooks import MAX_RETRIES, encode_body, retry_delay, sign


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_signature_matches_the_official_and_reference_vectors():
    assert sign(b'{"key": "value"}', "secretkey") == (
        "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"
    )
    payload = {"action": "parcel_status_changed", "timestamp": 1712163088943,
               "parcel": {"id": 1, "status": {"id": 11, "message": "Delivered"}}}  # fmt: skip
    body = encode_body(payload)
    assert body == json.dumps(payload).encode()  # Python json.dumps default spacing
    assert sign(body, "fake-secret-key-for-tests") == (
        "d7e5cc436ca84bdec4ce583012664364865a16e2db2447f591589fe3889365d5"
    )
    credentials = {
        "action": "integration_credentials",
        "public_key": "11111111-2222-3333-4444-555555555555",
        "secret_key": "0123456789abcdef0123456789abcdef",
        "integration_id": 123456,
    }
    assert sign(encode_body(credentials), credentials["secret_key"]) == (
        "e27f8d87f51680ca0924c5f49e4a5892b0841711caefc939399de4be1f841814"
    )


def test_retry_schedule_is_exponential_from_5_minutes_capped_at_an_hour():
    assert [retry_delay(n) / 60 for n in range(1, MAX_RETRIES + 1)] == [
        5, 10, 20, 40, 60, 60, 60, 60, 60, 60,
    ]  # fmt: skip


def _hook_up(client, account, url):
    response = client.patch(
        f"/api/v3/integrations/{account['integration_id']}",
        json={"webhook_active": True, "webhook_url": url},
    )
    assert response.status_code == 204


def _a_parcel(client):
    return client.get("/api/v2/parcels").json()["parcels"][0]


def test_status_change_is_delivered_signed_with_the_integration_secret(
    sandbox_client, sandbox_control, sandbox_account, receiver
):
    _hook_up(sandbox_client, sandbox_account, receiver.url + "/hook")
    parcel = _a_parcel(sandbox_client)
    changed = sandbox_control.post(
        f"/_sandbox/parcels/{parcel['id']}/status", json={"status": 92}
    ).get_json()["parcel"]
    assert changed["status"] == {"id": 92, "message": "Driver en route"}
    results = sandbox_control.post("/_sandbox/webhooks/run").get_json()["results"]
    assert [r["status"] for r in results] == ["delivered", "delivered"]  # + integration_updated
    hooks = [r for r in receiver.requests if b"parcel_status_changed" in r["body"]]
    assert len(hooks) == 1
    request = hooks[0]
    expected = hmac.new(
        sandbox_account["secret_key"].encode(), request["body"], hashlib.sha256
    ).hexdigest()
    assert request["headers"]["Sendcloud-Signature"] == expected
    assert request["headers"]["Content-Type"] == "application/json"
    assert b'{"action": "parcel_status_changed", "parcel": {"id": ' in request["body"]
    payload = json.loads(request["body"])
    assert_shape(payload, sample("webhook_parcel_status_changed.json"))
    assert payload["parcel"]["status"]["id"] == 92 and isinstance(payload["timestamp"], int)


def test_failed_delivery_is_retried_ten_times_on_the_schedule(
    sandbox_client, sandbox_control, sandbox_account, state
):
    _hook_up(sandbox_client, sandbox_account, "http://receiver.invalid/hook")
    state.outbox.sender = lambda url, body, headers: 500
    sandbox_control.post("/_sandbox/webhooks/run")  # the integration_updated event fails too
    parcel = _a_parcel(sandbox_client)
    sandbox_control.post(f"/_sandbox/parcels/{parcel['id']}/status", json={"status": "DELIVERED"})

    def attempts():
        hooks = state.outbox.deliveries(action="parcel_status_changed")
        return hooks[0]["status"], [a["at"] for a in hooks[0]["attempts"]]

    sandbox_control.post("/_sandbox/webhooks/run")
    gaps = []
    for n in range(1, MAX_RETRIES + 1):
        sandbox_control.post("/_sandbox/clock", json={"advance": retry_delay(n) - 1})
        before = len(attempts()[1])
        sandbox_control.post("/_sandbox/webhooks/run")
        assert len(attempts()[1]) == before  # not due yet
        sandbox_control.post("/_sandbox/clock", json={"advance": 1.5})
        sandbox_control.post("/_sandbox/webhooks/run")
        status, stamps = attempts()
        gaps.append(round((stamps[-1] - stamps[-2]) / 60))
    assert status == "failed" and len(stamps) == 1 + MAX_RETRIES
    assert gaps == [5, 10, 20, 40, 60, 60, 60, 60, 60, 60]
    sandbox_control.post("/_sandbox/clock", json={"advance": 7200})
    sandbox_control.post("/_sandbox/webhooks/run")
    assert len(attempts()[1]) == 1 + MAX_RETRIES  # given up
    listed = sandbox_control.get("/_sandbox/webhooks?status=failed").get_json()["deliveries"]
    assert {d["action"] for d in listed} >= {"parcel_status_changed"}


def test_a_retry_that_succeeds_stops_the_schedule(
    sandbox_client, sandbox_control, sandbox_account, state
):
    _hook_up(sandbox_client, sandbox_account, "http://receiver.invalid/hook")
    answers = iter([500, 502, 200])
    state.outbox.sender = lambda url, body, headers: next(answers, 200)
    sandbox_control.post("/_sandbox/webhooks/run")  # integration_updated: 500
    sandbox_control.post("/_sandbox/clock", json={"advance": 301})
    sandbox_control.post("/_sandbox/webhooks/run")  # 502
    sandbox_control.post("/_sandbox/clock", json={"advance": 601})
    results = sandbox_control.post("/_sandbox/webhooks/run").get_json()["results"]
    assert [r["status"] for r in results] == ["delivered"]


def test_integration_events_fire_on_update_and_delete(sandbox_client, sandbox_account, state):
    _hook_up(sandbox_client, sandbox_account, "http://receiver.invalid/hook")
    url = f"/api/v2/integrations/{sandbox_account['integration_id']}"
    sandbox_client.patch(url, json={"shop_name": "Neu"})
    sandbox_client.delete(url)
    actions = [d["action"] for d in state.outbox.deliveries()]
    assert actions == ["integration_deleted", "integration_updated", "integration_updated"]
    payload = json.loads(state.outbox.deliveries()[0]["body"])
    assert list(payload) == ["action", "timestamp", "integration"]
    assert_shape([payload["integration"]], sample("integrations.json"))


def test_no_webhook_without_an_active_url(sandbox_client, sandbox_control, state):
    parcel = _a_parcel(sandbox_client)
    sandbox_control.post(f"/_sandbox/parcels/{parcel['id']}/status", json={"status": 11})
    assert state.outbox.deliveries() == []
    bad = sandbox_control.post(f"/_sandbox/parcels/{parcel['id']}/status", json={"status": 4242})
    assert bad.status_code == 400
    missing = sandbox_control.post("/_sandbox/parcels/1/status", json={"status": 11})
    assert missing.status_code == 404

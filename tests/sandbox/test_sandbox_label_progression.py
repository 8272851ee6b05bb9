"""Created parcels move through their statuses on the sandbox clock and tell the integration
that created them with signed webhooks; responses can be lost after the shipment exists."""

import hashlib
import hmac
import json

import httpx
import pytest
from sandbox_labels import announce_body
from sandbox_receiver import Receiver
from sandbox_shapes import assert_shape, sample

from sandbox.cli import build_parser
from sandbox.testing import SANDBOX_BASE_URL


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hooked(sandbox_client, sandbox_control, sandbox_account, receiver):
    response = sandbox_client.patch(
        f"/api/v3/integrations/{sandbox_account['integration_id']}",
        json={"webhook_active": True, "webhook_url": receiver.url + "/hook"},
    )
    assert response.status_code == 204
    sandbox_control.post("/_sandbox/webhooks/run")  # integration_updated
    receiver.requests.clear()
    return receiver


def _status_hooks(receiver, secret):
    out = []
    for request in receiver.requests:
        payload = json.loads(request["body"])
        if payload["action"] != "parcel_status_changed":
            continue
        expected = hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
        assert request["headers"]["Sendcloud-Signature"] == expected
        out.append(payload)
    return out


def test_parcel_travels_to_delivered_with_a_signed_webhook_per_step(
    sandbox_client, sandbox_control, sandbox_account, hooked
):
    sandbox_control.post("/_sandbox/progression", json={"exception_rate": 0})
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    parcel_id = created["data"]["parcels"][0]["id"]
    sandbox_control.post("/_sandbox/clock", json={"advance": 3 * 86400})
    changed = sandbox_control.post("/_sandbox/progression/run").get_json()["changed"]
    assert [c["status"] for c in changed] == [1, 3, 91, 92, 11]
    sandbox_control.post("/_sandbox/webhooks/run")
    hooks = _status_hooks(hooked, sandbox_account["secret_key"])
    # Delivery order is shuffled on purpose (as Sendcloud's); the carrier timestamps order them.
    hooks.sort(key=lambda h: h["carrier_status_change_timestamp"])
    assert [h["parcel"]["status"]["id"] for h in hooks] == [1000, 1, 3, 91, 92, 11]
    assert {h["parcel"]["id"] for h in hooks} == {parcel_id}
    assert_shape(hooks[-1], sample("webhook_parcel_status_changed.json"))
    got = sandbox_client.get(f"/api/v3/shipments/{created['data']['id']}").json()["data"]
    assert got["parcels"][0]["status"]["code"] == "DELIVERED"


def test_time_scale_compresses_the_journey_and_exceptions_happen_at_the_set_rate(
    sandbox_client, sandbox_control
):
    sandbox_control.post("/_sandbox/progression", json={"exception_rate": 1, "time_scale": 0.001})
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    sandbox_control.post("/_sandbox/clock", json={"advance": 600})
    changed = sandbox_control.post("/_sandbox/progression/run").get_json()["changed"]
    assert changed[-1]["status"] in {11, 62992, 62996}
    assert {c["status"] for c in changed} & {8, 62997, 62996}
    got = sandbox_client.get(f"/api/v3/shipments/{created['data']['id']}").json()["data"]
    assert got["parcels"][0]["status"]["code"] != "READY_TO_SEND"


def test_control_moves_a_parcel_at_once_and_its_journey_stops(
    sandbox_client, sandbox_control, sandbox_account, hooked
):
    created = sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()
    parcel_id = created["data"]["parcels"][0]["id"]
    moved = sandbox_control.post(
        f"/_sandbox/parcels/{parcel_id}/status", json={"status": "DELIVERED"}
    )
    assert moved.get_json()["parcel"]["status"] == {"id": 11, "message": "Delivered"}
    sandbox_control.post("/_sandbox/clock", json={"advance": 5 * 86400})
    assert sandbox_control.post("/_sandbox/progression/run").get_json()["changed"] == []
    sandbox_control.post("/_sandbox/webhooks/run")
    hooks = _status_hooks(hooked, sandbox_account["secret_key"])
    assert sorted(h["parcel"]["status"]["id"] for h in hooks) == [11, 1000]


def test_webhooks_go_only_to_the_integration_that_created_the_parcel(
    sandbox_client, sandbox_control, sandbox_account, sandbox_transport, hooked, state
):
    other = sandbox_control.post(
        f"/_sandbox/accounts/{sandbox_account['id']}/integrations",
        json={"shop_name": "Zwei", "webhook_active": True, "webhook_url": "http://other.invalid/"},
    ).get_json()
    auth = (other["public_key"], other["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL, auth=auth) as c:
        c.post("/api/v3/shipments/announce", json=announce_body())
    sandbox_client.post("/api/v3/shipments/announce", json=announce_body())
    urls = [d["url"] for d in state.outbox.deliveries(action="parcel_status_changed")]
    assert sorted(urls) == sorted(["http://other.invalid/", hooked.url + "/hook"])


def test_the_cli_can_move_a_parcel_and_tune_the_progression():
    args = build_parser().parse_args(["parcel-status", "380000001", "DELIVERED", "--keep-plan"])
    assert (args.parcel, args.status, args.keep_plan) == (380000001, "DELIVERED", True)
    args = build_parser().parse_args(["progression", "off", "--time-scale", "0.01"])
    assert (args.switch, args.time_scale) == ("off", 0.01)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("reset_after_commit", httpx.RemoteProtocolError),
        ("timeout_after_commit", httpx.ReadTimeout),
    ],
)
def test_a_response_lost_after_the_shipment_was_created(
    sandbox_client, sandbox_control, kind, error
):
    sandbox_control.post(
        "/_sandbox/faults", json={"kind": kind, "count": 1, "path": "/api/v3/shipments"}
    )
    body = announce_body(external_reference_id="LA-42#1")
    with pytest.raises(error):
        sandbox_client.post("/api/v3/shipments/announce", json=body)
    found = sandbox_client.get("/api/v3/shipments", params={"external_reference_id": "LA-42#1"})
    assert len(found.json()["data"]) == 1  # it exists: look it up before creating again
    again = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert again.status_code == 409


def test_a_server_error_after_commit_still_created_the_parcel(sandbox_client, sandbox_control):
    sandbox_control.post(
        "/_sandbox/faults",
        json={"kind": "server_error_after_commit", "count": 1, "path": "/api/v2/parcels"},
    )
    body = sample("parcel_created.request.json")
    body["parcel"]["external_reference"] = "LA-43#1"
    response = sandbox_client.post("/api/v2/parcels", json=body)
    assert response.status_code == 500
    found = sandbox_client.get("/api/v2/parcels", params={"external_reference": "LA-43#1"})
    assert len(found.json()["parcels"]) == 1


@pytest.mark.http
def test_reset_after_commit_over_real_http(sandbox_server, sandbox_account, sandbox_app):
    state = sandbox_app.extensions["sandbox"]
    state.faults.add({"kind": "reset_after_commit", "count": 1, "path": "/api/v3/shipments"})
    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    with httpx.Client(base_url=sandbox_server, auth=auth, timeout=10) as client:
        with pytest.raises(httpx.TransportError):
            client.post("/api/v3/shipments/announce", json=announce_body(external_reference_id="X"))
        found = client.get("/api/v3/shipments", params={"external_reference_id": "X"})
    assert len(found.json()["data"]) == 1

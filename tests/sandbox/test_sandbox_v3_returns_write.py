"""v3 returns written through the sandbox: validate, create (async and synchronous), cancel,
the return label, and the status journey with signed webhooks (reference v3 §10)."""

import copy
import hashlib
import hmac
import json

import pytest
from sandbox_receiver import Receiver
from sandbox_shapes import sample


def body(**changes):
    """A return from a German customer to a German warehouse with DHL Retoure."""
    out = {
        "from_address": {
            "name": "Erika Muster", "address_line_1": "Hauptstraße", "house_number": "5",
            "postal_code": "50667", "city": "Köln", "country_code": "DE",
            "email": "erika@example.com",
        },
        "to_address": {
            "name": "Lager Berlin", "company_name": "Muster Handel GmbH",
            "address_line_1": "Lagerstraße", "house_number": "1", "postal_code": "10115",
            "city": "Berlin", "country_code": "DE",
        },
        "ship_with": {"type": "shipping_option_code", "shipping_option_code": "dhl:retoure/return"},
        "weight": {"value": 0.8, "unit": "kg"},
        "parcel_items": [
            {"description": "T-Shirt", "quantity": 2, "weight": {"value": 0.4, "unit": "kg"},
             "value": {"value": 19.9, "currency": "EUR"}, "sku": "TS-1", "item_id": "77",
             "return_reason_id": "22"},
        ],
        "order_number": "LA-1001",
        "external_reference": "LA-1001-R-abc",
        "delivery_option": "drop_off_point",
    }  # fmt: skip
    for key, value in changes.items():
        out[key] = value
    return out


def test_create_answers_the_documented_unwrapped_body_and_the_return_reads_back(sandbox_client):
    response = sandbox_client.post("/api/v3/returns", json=body())
    assert response.status_code == 201
    created = response.json()
    assert set(created) == set(sample("v3_returns_create_201.json"))
    detail = sandbox_client.get(f"/api/v3/returns/{created['return_id']}").json()
    assert detail["tracking_number"]
    assert detail["is_cancellable"] is True
    assert detail["order_number"] == "LA-1001"
    assert detail["shipping_option"] == {"code": "dhl:retoure/return"}
    assert detail["parcel_items"][0]["return_reason"]["id"] == 22
    assert detail["label"]["label_printer"].endswith(
        f"/api/v3/parcels/{created['parcel_id']}/documents/label"
    )


def test_the_return_label_is_a_pdf_at_the_documented_link(sandbox_client):
    created = sandbox_client.post("/api/v3/returns", json=body()).json()
    label = sandbox_client.get(f"/api/v3/parcels/{created['parcel_id']}/documents/label")
    assert label.status_code == 200
    assert label.content.startswith(b"%PDF")


def test_a_reused_external_reference_is_refused_with_the_documented_message(sandbox_client):
    assert sandbox_client.post("/api/v3/returns", json=body()).status_code == 201
    again = sandbox_client.post("/api/v3/returns", json=body())
    assert again.status_code == 400
    assert again.json() == {
        "errors": [
            {
                "field": "external_reference",
                "message": "External reference has already been used in another return.",
                "code": "invalid",
            }
        ]
    }


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"from_address": None}, "from_address", "required"),
        ({"weight": {"value": 0, "unit": "kg"}}, "weight.value", "min_value"),
        (
            {"ship_with": {"type": "shipping_option_code", "shipping_option_code": "dhl:paket"}},
            "ship_with.shipping_option_code",
            "invalid_choice",
        ),  # fmt: skip
        ({"delivery_option": "by_pigeon"}, "delivery_option", "invalid_choice"),
    ],
)
def test_create_and_validate_refuse_field_by_field(sandbox_client, change, field, code):
    for path in ("/api/v3/returns", "/api/v3/returns/validate"):
        response = sandbox_client.post(path, json=body(**change))
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert (error["field"], error["code"]) == (field, code)
        assert error["message"]


def test_an_unknown_return_reason_is_refused(sandbox_client):
    items = copy.deepcopy(body()["parcel_items"])
    items[0]["return_reason_id"] = "2"
    response = sandbox_client.post("/api/v3/returns", json=body(parcel_items=items))
    assert response.json()["errors"][0]["field"] == "parcel_items.0.return_reason_id"


def test_validate_echoes_weight_in_kg_and_creates_nothing(sandbox_client):
    before = sandbox_client.get(
        "/api/v3/returns",
        params={"from_date": "2000-01-01 00:00:00", "to_date": "2100-01-01 00:00:00"},
    ).json()["data"]
    response = sandbox_client.post("/api/v3/returns/validate", json=body())
    assert response.status_code == 200
    assert response.json()["weight"] == 0.8
    after = sandbox_client.get(
        "/api/v3/returns",
        params={"from_date": "2000-01-01 00:00:00", "to_date": "2100-01-01 00:00:00"},
    ).json()["data"]
    assert len(after) == len(before)


def test_synchronous_create_reports_a_bad_postal_code_v2_style(sandbox_client):
    bad = body()
    bad["from_address"]["postal_code"] = "1234"
    response = sandbox_client.post("/api/v3/returns/announce-synchronously", json=bad)
    assert response.status_code == 400
    assert set(response.json()["error"]) == set(
        sample("v3_returns_announce_sync_400.json")["error"]
    )
    assert response.json()["error"]["code"] == "invalid_postal_code"
    assert sandbox_client.post("/api/v3/returns", json=bad).json()["errors"][0]["field"] == (
        "from_address.postal_code"
    )


def test_cancel_is_a_request_then_cancelled_and_a_second_cancel_conflicts(
    sandbox_client, sandbox_control
):
    created = sandbox_client.post("/api/v3/returns", json=body()).json()
    path = f"/api/v3/returns/{created['return_id']}/cancel"
    first = sandbox_client.patch(path)
    assert (first.status_code, first.json()) == (
        202,
        sample("v3_return_cancel_202.json"),
    )
    second = sandbox_client.patch(path)
    assert (second.status_code, second.json()) == (
        409,
        sample("v3_return_cancel_409.json"),
    )
    sandbox_control.post("/_sandbox/clock", json={"advance": 3600})
    sandbox_control.post("/_sandbox/progression/run")
    detail = sandbox_client.get(f"/api/v3/returns/{created['return_id']}").json()
    assert detail["status_history"][-1]["parent_status"] == "cancelled"
    assert sandbox_client.patch("/api/v3/returns/999999999/cancel").status_code == 404


def test_a_return_travels_to_delivered_with_signed_webhooks(
    sandbox_client, sandbox_control, sandbox_account
):
    receiver = Receiver()
    try:
        sandbox_client.patch(
            f"/api/v3/integrations/{sandbox_account['integration_id']}",
            json={"webhook_active": True, "webhook_url": receiver.url + "/hook"},
        )
        sandbox_control.post("/_sandbox/webhooks/run")
        receiver.requests.clear()
        created = sandbox_client.post("/api/v3/returns", json=body()).json()
        sandbox_control.post("/_sandbox/clock", json={"advance": 2 * 86400})
        sandbox_control.post("/_sandbox/progression/run")
        sandbox_control.post("/_sandbox/webhooks/run")
        payloads = []
        for request in receiver.requests:
            secret = sandbox_account["secret_key"].encode()
            expected = hmac.new(secret, request["body"], hashlib.sha256).hexdigest()
            assert request["headers"]["Sendcloud-Signature"] == expected
            payloads.append(json.loads(request["body"]))
    finally:
        receiver.close()
    assert {p["action"] for p in payloads} == {"return_created", "parcel_status_changed"}
    statuses = sorted(
        (p["carrier_status_change_timestamp"], p["parcel"]["status"]["id"])
        for p in payloads
        if p["action"] == "parcel_status_changed"
    )
    assert [s for _, s in statuses] == [1000, 1, 3, 91, 92, 11]
    parcels = [p["parcel"] for p in payloads if p["action"] == "parcel_status_changed"]
    assert all(p["is_return"] and p["id"] == created["parcel_id"] for p in parcels)
    detail = sandbox_client.get(f"/api/v3/returns/{created['return_id']}").json()
    assert detail["delivered_at_iso"] and detail["is_cancellable"] is False

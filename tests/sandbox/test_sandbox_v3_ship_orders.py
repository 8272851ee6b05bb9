"""Ship-an-order: labels for orders pushed through the v3 Orders API."""

import base64
import copy

import pytest
from sandbox_labels import pdf_text
from sandbox_shapes import assert_shape, sample


def order(integration_id, number="SO-1", **changes) -> dict:
    doc = copy.deepcopy(sample("v3_orders_create.request.json")[0])
    doc["order_id"] = f"id-{number}"
    doc["order_number"] = number
    doc["order_details"]["integration"]["id"] = integration_id
    doc["order_details"]["order_items"][0].update(item_id="5552", quantity=2)
    doc["order_details"]["order_items"].append(
        {"name": "Kerze", "item_id": "763", "quantity": 1,
         "total_price": {"value": 2.0, "currency": "EUR"}}
    )  # fmt: skip
    doc["shipping_address"].update(postal_code="80331", city="München", country_code="DE")
    doc["shipping_details"]["ship_with"]["properties"]["shipping_option_code"] = "dhl:paket"
    doc.update(changes)
    return doc


@pytest.fixture
def pushed(sandbox_client, sandbox_control, sandbox_account):
    sandbox_control.post("/_sandbox/orders/settings", json={"processing_seconds": 0})
    integration = sandbox_account["integration_id"]
    orders = [order(integration, "SO-1"), order(integration, "SO-2")]
    response = sandbox_client.post("/api/v3/orders", json=orders)
    assert response.status_code == 201, response.text
    return integration


def test_sync_label_for_a_pushed_order_answers_like_the_example(sandbox_client, pushed):
    body = {"integration_id": pushed, "order": {"order_number": "SO-1"},
            "label_details": {"mime_type": "application/pdf", "dpi": 72}}  # fmt: skip
    response = sandbox_client.post("/api/v3/orders/create-label-sync", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    assert_shape(data, sample("v3_orders_create_label_sync_201.json"))
    [label] = data["data"]
    assert label["order_number"] == "SO-1" and label["shipment_id"].isdigit()
    file = base64.b64decode(label["label"]["file"])
    assert label["tracking_number"] in pdf_text(file)
    got = sandbox_client.get(f"/api/v3/shipments/{label['shipment_id']}").json()["data"]
    assert got["order_number"] == "SO-1"
    assert got["parcels"][0]["status"]["code"] == "READY_TO_SEND"


def test_async_labels_with_a_multicollo_split_and_a_failing_order(
    sandbox_client, sandbox_control, pushed
):
    body = copy.deepcopy(sample("v3_orders_create_labels_async.request.json"))
    body["integration_id"] = pushed
    body["orders"][0]["order_number"] = "SO-1"
    body["orders"][0]["parcels"][0]["parcel_items"] = [{"item_id": "5552", "quantity": 2}]
    body["orders"][0]["parcels"][1]["parcel_items"] = [{"item_id": "763", "quantity": 1}]
    body["orders"].append({"order_number": "NOPE"})
    response = sandbox_client.post("/api/v3/orders/create-labels-async", json=body)
    assert response.status_code == 202
    data = response.json()
    assert_shape(data, sample("v3_orders_create_labels_async_202_partial.json"))
    [created] = data["data"]
    assert len(created["parcels_ids"]) == 2 and created["parcel_id"] == created["parcels_ids"][0]
    [error] = data["errors"]
    assert error["source"] == {"pointer": "/data/attributes/orders/[1]"}
    assert error["code"] == "validation_error"
    sandbox_control.post("/_sandbox/clock", json={"advance": 6})
    sandbox_control.post("/_sandbox/progression/run")
    got = sandbox_client.get(f"/api/v3/shipments/{created['shipment_id']}").json()["data"]
    assert {p["status"]["code"] for p in got["parcels"]} == {"READY_TO_SEND"}
    assert [p["weight"]["value"] for p in got["parcels"]] == ["1.320", "2.200"]


def test_order_without_a_shipping_address_is_the_documented_error(
    sandbox_client, sandbox_account, sandbox_control
):
    sandbox_control.post("/_sandbox/orders/settings", json={"processing_seconds": 0})
    doc = order(sandbox_account["integration_id"], "SO-9")
    del doc["shipping_address"]
    sandbox_client.post("/api/v3/orders", json=[doc])
    body = {"integration_id": sandbox_account["integration_id"],
            "orders": [{"order_number": "SO-9"}]}  # fmt: skip
    response = sandbox_client.post("/api/v3/orders/create-labels-async", json=body)
    assert response.json()["data"] == []
    assert response.json()["errors"][0]["detail"] == "The order has no valid shipping address."
    sync = sandbox_client.post(
        "/api/v3/orders/create-label-sync",
        json={"integration_id": sandbox_account["integration_id"],
              "order": {"order_number": "SO-9"}},
    )  # fmt: skip
    assert sync.status_code == 400


def test_unknown_sender_address_and_integration(sandbox_client, pushed):
    body = {"integration_id": pushed, "sender_address_id": 1, "orders": [{"order_number": "SO-1"}]}
    response = sandbox_client.post("/api/v3/orders/create-labels-async", json=body)
    assert response.json() == {"errors": [{
        "status": "404", "code": "invalid", "detail": "Does not exist.",
        "source": {"pointer": "/data/attributes/sender_address_id"}}]}  # fmt: skip
    wrong = sandbox_client.post(
        "/api/v3/orders/create-labels-async", json={"integration_id": 1, "orders": []}
    )
    assert wrong.status_code == 400


def test_ship_an_order_needs_the_fields_its_option_requires(
    sandbox_client, sandbox_control, sandbox_account
):
    sandbox_control.post("/_sandbox/orders/settings", json={"processing_seconds": 0})
    integration = sandbox_account["integration_id"]
    doc = order(integration, "SO-AT")
    doc["shipping_address"].update(postal_code="1010", city="Wien", country_code="AT")
    doc["shipping_details"]["ship_with"]["properties"]["shipping_option_code"] = (
        "dhl_express:worldwide/incoterm=dap"
    )
    assert sandbox_client.post("/api/v3/orders", json=[doc]).status_code == 201
    body = {"integration_id": integration, "order": {"order_number": "SO-AT"}}
    response = sandbox_client.post("/api/v3/orders/create-label-sync", json=body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["detail"] == (
        "Shipping option dhl_express:worldwide/incoterm=dap needs the recipient's to_email "
        "and to_telephone."
    )
    assert error["source"] == {"pointer": "/data/attributes/order"}

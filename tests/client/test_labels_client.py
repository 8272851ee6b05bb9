"""Label calls of the client (v3 shipments, v2 parcels) on the recorded and official payloads."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from sendcloud.client import (
    AnnouncementFailed,
    ParcelRequest,
    ServerError,
    ShipmentExists,
    ShipmentRequest,
    Timeout,
)
from sendcloud.client.bodies import parcel_body_v2, shipment_body
from sendcloud.client.types import Address
from sendcloud.client.types.shipments import CustomsRequest, ItemRequest
from tests.client.helpers import Router, make_client, payload


def request(**overrides) -> ShipmentRequest:
    values = {
        "to_address": Address(
            name="Eva Test",
            address_line_1="Teststraat",
            house_number="115",
            postal_code="1037 XX",
            city="Voorbeeldstad",
            country_code="NL",
        ),
        "parcels": (ParcelRequest(Decimal("1.32"), Decimal(5), Decimal(15), Decimal(20)),),
        "external_reference_id": "LA-1-a1",
        "shipping_option_code": "postnl:standard",
        "sender_address_id": 11,
        "order_number": "LA-1",
    }
    values.update(overrides)
    return ShipmentRequest(**values)


def test_shipment_body_uses_v3_strings_and_the_attempt_reference():
    body = shipment_body(request())
    assert body["external_reference_id"] == "LA-1-a1"
    assert body["parcels"][0]["weight"] == {"value": "1.320", "unit": "kg"}
    assert body["parcels"][0]["dimensions"]["length"] == "5.00"
    assert body["from_address"] == {"sender_address_id": 11}
    assert body["ship_with"]["properties"] == {"shipping_option_code": "postnl:standard"}


def test_customs_and_items_reach_both_generations():
    item = ItemRequest("Shirt", 2, Decimal("0.3"), Decimal("12.5"), "620520", "DE", "SKU1")
    req = request(
        parcels=(ParcelRequest(Decimal("0.6"), items=(item,)),),
        customs=CustomsRequest("LA-1"),
        shipping_method_id=8,
    )
    v3 = shipment_body(req)
    assert v3["customs_information"]["invoice_number"] == "LA-1"
    assert v3["parcels"][0]["parcel_items"][0]["price"] == {"value": "12.50", "currency": "EUR"}
    v2 = parcel_body_v2(req)["parcel"]
    assert v2["customs_information"]["customs_shipment_type"] == 2
    assert v2["parcel_items"][0]["value"] == 12.5 and v2["request_label"] is True
    assert v2["shipment"] == {"id": 8} and v2["external_reference"] == "LA-1-a1"


def test_v2_multicollo_goes_as_quantity_in_the_batch_form():
    parcels = (ParcelRequest(Decimal("1")), ParcelRequest(Decimal("3")), ParcelRequest(Decimal(2)))
    body = parcel_body_v2(request(parcels=parcels))
    assert body["parcels"][0]["quantity"] == 3 and body["parcels"][0]["weight"] == "3.000"


def test_announce_returns_the_announced_shipment():
    router = Router().file(
        "POST", "/api/v3/shipments/announce", "v3_shipment_announce_201.json", status=201
    )
    shipment = make_client(router).labels_v3.announce(request())
    sent = json.loads(router.requests[0].content)
    assert sent["external_reference_id"] == "LA-1-a1"
    assert shipment.parcels[0].tracking_number


def test_a_201_the_carrier_refused_is_a_failure_with_the_carriers_message():
    router = Router().file(
        "POST", "/api/v3/shipments/announce", "v3_shipment_announce_201_failed.json", status=201
    )
    with pytest.raises(AnnouncementFailed) as caught:
        make_client(router).labels_v3.announce(request())
    assert "carrier" in caught.value.message.lower()
    assert caught.value.shipment.parcels[0].id == 383707309


def test_a_reused_reference_gives_the_existing_shipment_back():
    existing = payload("v3_shipment_get.json")
    router = Router().json("POST", "/api/v3/shipments/announce", existing, status=409)
    with pytest.raises(ShipmentExists) as caught:
        make_client(router).labels_v3.announce(request())
    assert caught.value.shipment.id == existing["data"]["id"]


@pytest.mark.parametrize(
    "failure", [httpx.Response(502, text="bad gateway"), httpx.ReadTimeout("lost")]
)
def test_a_create_is_never_sent_twice_on_a_lost_answer(failure):
    def answer(req):
        if isinstance(failure, Exception):
            raise failure
        return failure

    router = Router().add("POST", "/api/v3/shipments/announce", answer)
    with pytest.raises((ServerError, Timeout)):
        make_client(router, max_retries=3).labels_v3.announce(request())
    assert len(router.requests) == 1


def test_find_by_reference_asks_once_and_returns_none_when_nothing_exists():
    router = Router().json("GET", "/api/v3/shipments", {"data": []})
    assert make_client(router).labels_v3.find_by_reference("LA-1-a1") is None
    assert router.requests[0].url.params["external_reference_id"] == "LA-1-a1"


@pytest.mark.parametrize(
    "name,status,outcome",
    [
        ("v3_shipment_cancel_200.json", 200, "cancelled"),
        ("v3_shipment_cancel_202.json", 202, "queued"),
        ("v3_shipment_cancel_404.json", 404, "not_found"),
        ("v3_shipment_cancel_409.json", 409, "rejected"),
    ],
)
def test_v3_cancel_outcomes(name, status, outcome):
    router = Router().file("POST", "/api/v3/shipments/s1/cancel", name, status=status)
    result = make_client(router).labels_v3.cancel("s1")
    assert (result.status, result.generation) == (outcome, "v3")
    if outcome == "rejected":
        assert "already being cancelled" in result.message


@pytest.mark.parametrize(
    "name,status,outcome",
    [
        ("parcel_cancel_202_queued.json", 202, "queued"),
        ("parcel_cancel_410_deleted.json", 410, "deleted"),
        ("parcel_cancel_404_not_found.json", 404, "not_found"),
    ],
)
def test_v2_cancel_outcomes(name, status, outcome):
    router = Router().file("POST", "/api/v2/parcels/7/cancel", name, status=status)
    assert make_client(router).labels_v2.cancel(7).status == outcome


def test_v2_cancel_too_late_is_rejected_with_the_reason():
    body = {"status": "failed", "message": "This shipment is already being cancelled."}
    router = Router().json("POST", "/api/v2/parcels/7/cancel", body, status=400)
    result = make_client(router).labels_v2.cancel(7)
    assert (result.status, result.message) == ("rejected", body["message"])


def test_v2_create_returns_the_announced_parcel():
    router = Router().file("POST", "/api/v2/parcels", "parcel_created.json")
    [parcel] = make_client(router).labels_v2.create(request(shipping_method_id=8))
    assert parcel.tracking_number == "SCCWF3HMRH7Y"
    assert router.requests[0].url.params["errors"] == "verbose-carrier"


def test_v2_create_a_carrier_refusal_is_a_failure():
    body = {"error": {"code": 400, "message": "Service error: weight above the maximum"}}
    router = Router().json("POST", "/api/v2/parcels", body, status=400)
    with pytest.raises(AnnouncementFailed):
        make_client(router).labels_v2.create(request(shipping_method_id=8))


def test_bulk_documents_repeat_the_parcels_key():
    router = Router().add(
        "GET", "/api/v3/parcel-documents/label", httpx.Response(200, content=b"%PDF-1.4")
    )
    pdf = make_client(router).labels_v3.documents([1, 2, 3], paper_size="A4")
    assert pdf == b"%PDF-1.4"
    query = router.requests[0].url.query.decode()
    assert query.count("parcels=") == 3 and "paper_size=A4" in query


def test_v2_label_pdf_for_a_label_printer_and_an_a4_sheet():
    router = Router()
    router.add("GET", "/api/v2/labels/label_printer/5", httpx.Response(200, content=b"%PDF-a6"))
    router.add("GET", "/api/v2/labels/normal_printer", httpx.Response(200, content=b"%PDF-a4"))
    client = make_client(router)
    assert client.labels_v2.label_pdf([5]) == b"%PDF-a6"
    assert client.labels_v2.label_pdf([5, 6], a4=True) == b"%PDF-a4"
    assert router.requests[1].url.params["ids"] == "5,6"

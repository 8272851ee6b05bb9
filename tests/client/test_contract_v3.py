"""Every v3 sample (official examples, fixtures, one observed body) through its request."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from sendcloud.client import (
    AuthenticationError,
    Conflict,
    NotFound,
    RateLimited,
    ValidationError,
)
from sendcloud.client.parsers import parse_shipping_options
from sendcloud.client.types import Money, ParcelSpec, ShippingOptionsQuery
from tests.client.helpers import Router, make_client, payload

CASES: dict[str, tuple[tuple[str, ...], Callable[[Router], None]]] = {}
# Beta Event Subscriptions: §18 keeps classic webhooks for status push, so the client has no
# calls for them. Their one secret-bearing request body is used by the redaction test instead.
NOT_CALLED = {
    "v3_event_parcel_event_created.json": "event subscriptions are beta (v3 §13.2, §18)",
    "v3_event_parcel_event_created_delivered.json": "event subscriptions are beta",
    "v3_event_connection_create.request.json": "beta; used in test_call_hook redaction",
    "v3_event_connection_201.json": "event subscriptions are beta",
    "v3_event_subscription_201.json": "event subscriptions are beta",
}


def case(*files: str):
    def register(fn: Callable[[Router], None]) -> Callable[[Router], None]:
        CASES[fn.__name__] = (files, fn)
        return fn

    return register


def wrapped(name: str) -> httpx.Response:
    return httpx.Response(200, json={"data": payload(name)})


@case("v3_user_auth_metadata.json")
def auth_metadata_names_user_and_integration(router: Router) -> None:
    router.file("GET", "/api/v3/user/auth/metadata", "v3_user_auth_metadata.json")
    meta = make_client(router).auth_metadata()
    assert (meta.user_id, meta.integration_id) == (1, 1)


@case("v3_error_401.json")
def v3_wrong_keys_raise_authentication_error(router: Router) -> None:
    router.file("GET", "/api/v3/user/auth/metadata", "v3_error_401.json", status=401)
    with pytest.raises(AuthenticationError) as caught:
        make_client(router).auth_metadata()
    assert caught.value.code == "authentication_failed"
    assert "Invalid username/password." in caught.value.message


@case("v3_sender_addresses.json")
def sender_addresses_v3_with_tax_numbers(router: Router) -> None:
    router.file("GET", "/api/v3/addresses/sender-addresses", "v3_sender_addresses.json")
    first, second = list(make_client(router).sender_addresses())
    assert (first.id, first.name, first.address_line_1, first.house_number) == (
        1,
        "Jan Voorbeeld",
        "Voorbeeldstraat",
        "10",
    )
    assert first.state_province_code is None  # the example's string "null"
    assert [(t.name, t.country_code) for t in first.tax_numbers][:2] == [
        ("VAT", "NL"),
        ("EORI", "NL"),
    ]
    assert first.signature_initials == "JD" and second.country_code == "BE"
    assert router.requests[0].url.params["page_size"] == "100"


@case("v3_sender_address_404.json")
def unknown_sender_address_raises_not_found(router: Router) -> None:
    router.file(
        "GET", "/api/v3/addresses/sender-addresses/9", "v3_sender_address_404.json", status=404
    )
    with pytest.raises(NotFound, match="No sender address found"):
        make_client(router).sender_address(9)


@case("v3_shipping_options.request.json", "v3_shipping_options_200.json")
def shipping_options_query_builds_the_documented_body(router: Router) -> None:
    router.file("POST", "/api/v3/shipping-options", "v3_shipping_options_200.json")
    query = ShippingOptionsQuery(
        from_country_code="NL",
        to_country_code="NL",
        from_postal_code="1012AB",
        to_postal_code="2000AB",
        parcels=(
            ParcelSpec("2", length="30", width="20", height="15",
                       additional_insured_price=Money(Decimal("50.00"), "EUR")),
            ParcelSpec("1.5", length="25", width="18", height="12",
                       total_insured_price=Money(Decimal("100.00"), "EUR")),
        ),
        carrier_code="postnl",
        functionalities={"signature": True},
        calculate_quotes=True,
    )  # fmt: skip
    result = make_client(router).shipping_options(query)
    assert json.loads(router.requests[0].content) == payload("v3_shipping_options.request.json")
    [option] = result.options
    assert (option.code, option.carrier.code, option.product_code) == (
        "postnl:standard/signature",
        "postnl",
        "postnl:standard",
    )
    assert option.contract_id == 60 and option.max_weight.value == Decimal("23.001")
    assert option.functionalities["multicollo"] is True and not option.is_service_point_required
    assert option.quotes[0].total == Money(Decimal("17.50"), "EUR")
    assert option.quotes[0].lead_time_hours == 24


@case("v3_shipping_options_200_empty.json")
def shipping_options_empty_answer_keeps_the_message(router: Router) -> None:
    router.file("POST", "/api/v3/shipping-options", "v3_shipping_options_200_empty.json")
    result = make_client(router).shipping_options({"to_country_code": "XX"})
    assert result.options == () and result.message.startswith("We couldn't find")


@case("v3_fetch_shipping_options_200.json")
def deprecated_fetch_shipping_options_answer_parses(router: Router) -> None:
    result = parse_shipping_options(payload("v3_fetch_shipping_options_200.json"))
    assert result.options and all(o.code and o.carrier for o in result.options)


@case("v3_compat_shipping_options.json")
def compat_mapping_treats_string_null_as_none(router: Router) -> None:
    router.file("POST", "/api/v3/compat/shipping-options", "v3_compat_shipping_options.json")
    mapping = make_client(router).v3.compat_shipping_options([1, 2, 3])
    assert mapping == {1: "shipping_option:1", 2: "shipping_option:2", 3: None}


@case("v3_parcel_statuses_doc_example.json")
def status_catalogues_join_on_messages(router: Router) -> None:
    router.file("GET", "/api/v3/parcels/statuses", "v3_parcel_statuses_doc_example.json")
    router.file("GET", "/api/v2/parcels/statuses", "parcel_statuses.json")
    rows = make_client(router).parcel_statuses()
    by_code = {r.code: r for r in rows}
    assert (by_code["READY_TO_SEND"].v2_id, by_code["READY_TO_SEND"].source) == (1000, "message")
    assert by_code["CANCELLING"].v2_id == 1999 and by_code["CANCELLING"].source == "table"
    assert len(rows) == 35 and {r.v2_id for r in rows} >= {1, 11, 1000, 2000}


@case("v3_shipments_list.json")
def shipments_list_parses_parcels(router: Router) -> None:
    router.file("GET", "/api/v3/shipments", "v3_shipments_list.json")
    [shipment] = list(make_client(router).shipments(updated_after=datetime(2024, 6, 1, tzinfo=UTC)))
    params = router.requests[0].url.params
    assert params["updated_after"] == "2024-06-01T00:00:00+00:00" and params["page_size"] == "100"
    assert (shipment.id, shipment.shipping_option_code, shipment.contract_id) == (
        "XXX-Shipment-id",
        "postnl:standard",
        517,
    )
    [parcel] = shipment.parcels
    assert (parcel.id, parcel.status.code, parcel.status.id) == (383707309, "CANCELLED", 2000)
    assert parcel.tracking_number == "3SYZXG5051720" and parcel.weight.value == Decimal("1.320")
    assert parcel.announced_at == datetime(2024, 6, 7, 9, 2, 19, 480225, tzinfo=UTC)
    assert parcel.documents[0].link.endswith("/383707309/documents/label")
    assert shipment.to_address.postal_code == "5642 CV"
    assert parcel.items[1].properties == {"size": 42, "color": "black"}
    assert parcel.label_notes == ("I live at the blue door", "The doorbell isn’t working")
    assert parcel.package_type == "package" and parcel.additional_insured_price is None


@case("v3_shipment_get.json")
def shipment_detail_parses(router: Router) -> None:
    router.file("GET", "/api/v3/shipments/XXX-Shipment-id", "v3_shipment_get.json")
    shipment = make_client(router).shipment("XXX-Shipment-id")
    assert shipment.shipping_option_code == "dhl_express:worldwide/incoterm=dap"
    assert shipment.parcels[0].status.code == "CANCELLED" and shipment.errors == ()


@case("v3_shipment_announce.request.json", "v3_shipment_announce_201.json")
def shipment_announce_sends_body_and_parses(router: Router) -> None:
    router.file("POST", "/api/v3/shipments/announce", "v3_shipment_announce_201.json", status=201)
    body = payload("v3_shipment_announce.request.json")
    shipment = make_client(router).v3.shipment_announce(body)
    assert json.loads(router.requests[0].content) == body
    expected = payload("v3_shipment_announce_201.json")["data"]
    assert shipment.id == expected["id"] and not shipment.announcement_failed
    assert shipment.parcels[0].tracking_number == expected["parcels"][0]["tracking_number"]
    assert shipment.carrier.code == expected["carrier"]["code"]


@case("v3_shipment_announce_201_failed.json")
def announce_201_with_carrier_refusal_is_detectable(router: Router) -> None:
    router.file(
        "POST", "/api/v3/shipments/announce", "v3_shipment_announce_201_failed.json", status=201
    )
    shipment = make_client(router).v3.shipment_announce({})
    assert shipment.announcement_failed
    assert shipment.errors[0]["code"] == "parcel_announcement_error"


@case("v3_shipment_announce_400.json", "v3_shipment_announce_400_observed.json")
def announce_validation_errors_carry_fields(router: Router) -> None:
    path = "/api/v3/shipments/announce"
    router.file("POST", path, "v3_shipment_announce_400.json", status=400)
    router.file("POST", path, "v3_shipment_announce_400_observed.json", status=400)
    client = make_client(router)
    with pytest.raises(ValidationError) as documented:
        client.v3.shipment_announce({})
    [error] = documented.value.field_errors
    assert (error.field, error.pointer, error.code) == (
        "to_address.name",
        "/to_address/name",
        "required",
    )
    with pytest.raises(ValidationError) as observed:
        client.v3.shipment_announce({})
    [error] = observed.value.field_errors
    assert (error.field, error.message, error.code) == ("from_address", "Field required", None)
    assert len(router.requests) == 2  # a 400 is never retried


@case("v3_shipment_create_async.request.json", "v3_shipment_create_async_201.json")
def shipment_create_async_parcels_are_announcing(router: Router) -> None:
    router.file("POST", "/api/v3/shipments", "v3_shipment_create_async_201.json", status=201)
    body = payload("v3_shipment_create_async.request.json")
    shipment = make_client(router).v3.shipment_create(body)
    assert json.loads(router.requests[0].content) == body
    assert len(shipment.parcels) == 2
    assert {p.status.code for p in shipment.parcels} == {"ANNOUNCING"}
    assert all(p.tracking_number is None and p.label_file is None for p in shipment.parcels)


@case(
    "v3_shipment_cancel_200.json",
    "v3_shipment_cancel_202.json",
    "v3_shipment_cancel_404.json",
    "v3_shipment_cancel_409.json",
)
def shipment_cancel_outcomes(router: Router) -> None:
    path = "/api/v3/shipments/s1/cancel"
    router.file("POST", path, "v3_shipment_cancel_200.json")
    router.file("POST", path, "v3_shipment_cancel_202.json", status=202)
    router.file("POST", path, "v3_shipment_cancel_404.json", status=404)
    router.file("POST", path, "v3_shipment_cancel_409.json", status=409)
    client = make_client(router)
    assert client.v3.shipment_cancel("s1").status == "cancelled"
    assert (client.v3.shipment_cancel("s1").status, router.requests[-1].method) == (
        "queued",
        "POST",
    )
    with pytest.raises(NotFound):
        client.v3.shipment_cancel("s1")
    with pytest.raises(Conflict, match="already being cancelled"):
        client.v3.shipment_cancel("s1")


@case("v3_returns_list.json")
def returns_follow_body_links_against_the_configured_base(router: Router) -> None:
    router.file("GET", "/api/v3/returns", "v3_returns_list.json")
    router.json("GET", "/api/v3/returns", {"next": None, "previous": None, "data": []})
    returns = list(make_client(router).returns(from_date=datetime(2022, 1, 1, tzinfo=UTC)))
    first, second = router.requests
    assert first.url.params["from_date"] == "2022-01-01 00:00:00" and "to_date" in first.url.params
    assert second.url.host == "panel.test" and second.url.scheme == "https"
    assert (second.url.params["cursor"], second.url.params["from_date"]) == (
        "cD0z",
        "2022-01-01 00:00:00",
    )
    [ret] = returns
    assert ret.id is None  # the schema has no id in list items
    assert (ret.tracking_number, ret.shipping_product_code, ret.reason_id) == (
        "JVGL1234567800001339",
        "postnl:standard/return",
        1,
    )
    assert ret.label_cost == Money(Decimal("6.15"), "EUR") and ret.refund_type == "exchange"
    assert ret.delivered_at == datetime(2022, 7, 18, 13, 34, 21, 869312, tzinfo=UTC)
    assert ret.label_printer_url.endswith("/parcels/7/documents/label")


def test_return_items_keep_their_return_reason_and_the_delivery_option(router: Router) -> None:
    # The list sample has no items; these are the §10.4 item fields (read-only `return_reason`
    # {id, description}) and the deprecated §10.1 `return_reason_id` string.
    item = payload("v3_returns_list.json")["data"][0]
    item = {
        **item,
        "delivery_option": "drop_off_point",
        "parcel_items": [
            {"description": "Jeans", "quantity": 1, "return_reason": {"id": 26,
             "description": "Wrong size ordered"}, "return_message": "zu klein"},
            {"description": "Schal", "quantity": 1, "return_reason_id": "11"},
        ],
    }  # fmt: skip
    router.json("GET", "/api/v3/returns/12", item)
    ret = make_client(router).return_(12)
    assert ret.delivery_option == "drop_off_point"
    first, second = ret.items
    assert (first.return_reason_id, first.return_reason, first.return_message) == (
        26,
        "Wrong size ordered",
        "zu klein",
    )
    assert (second.return_reason_id, second.return_reason) == (11, None)


def test_return_detail_is_bare_or_wrapped(router: Router) -> None:
    item = payload("v3_returns_list.json")["data"][0]
    router.json("GET", "/api/v3/returns/12", item)
    router.json("GET", "/api/v3/returns/13", {"data": {**item, "id": 13}})
    client = make_client(router)
    assert client.return_(12).id == 12 and client.return_(13).id == 13
    assert client.return_(12).tracking_number == "JVGL1234567800001339"


@case("v3_returns_create.request.json", "v3_returns_create_201.json")
def return_create_sends_body(router: Router) -> None:
    router.file("POST", "/api/v3/returns", "v3_returns_create_201.json", status=201)
    body = payload("v3_returns_create.request.json")
    created = make_client(router).v3.return_create(body)
    assert json.loads(router.requests[0].content) == body
    assert (created.return_id, created.parcel_id, created.multi_collo_ids) == (12345, 67880, ())


@case("v3_returns_announce_sync_400.json")
def sync_return_v2_style_error_keeps_its_code(router: Router) -> None:
    path = "/api/v3/returns/announce-synchronously"
    router.file("POST", path, "v3_returns_announce_sync_400.json", status=400)
    with pytest.raises(ValidationError) as caught:
        make_client(router).v3.return_create({}, synchronous=True)
    assert caught.value.code == "invalid_postal_code"
    assert "postal code you provided is invalid" in str(caught.value)


@case("v3_return_cancel_202.json", "v3_return_cancel_409.json")
def return_cancel_request_and_conflict(router: Router) -> None:
    path = "/api/v3/returns/4/cancel"
    router.file("PATCH", path, "v3_return_cancel_202.json", status=202)
    router.file("PATCH", path, "v3_return_cancel_409.json", status=409)
    client = make_client(router)
    assert client.v3.return_cancel(4).message == "Cancellation requested successfully"
    with pytest.raises(Conflict) as caught:
        client.v3.return_cancel(4)
    [error] = caught.value.field_errors
    assert (error.field, error.code, error.message) == (
        "returns",
        "409",
        "Return is not cancellable.",
    )


@case("v3_integration.json")
def integration_v3_detail_and_list(router: Router) -> None:
    router.file("GET", "/api/v3/integrations/23452345", "v3_integration.json")
    router.json("GET", "/api/v3/integrations", {"data": [payload("v3_integration.json")["data"]]})
    client = make_client(router)
    integration = client.integration(23452345)
    assert (integration.type, integration.feedback_type) == ("api", "eager")
    assert integration.started_failing_at == datetime(2023, 11, 10, 16, 16, 42, tzinfo=UTC)
    assert integration.service_point_carriers == ("ups", "dhl")
    assert client.integrations() == [integration]


@case("v3_integration_404.json")
def integration_404_with_integer_status(router: Router) -> None:
    router.file("GET", "/api/v3/integrations/1", "v3_integration_404.json", status=404)
    with pytest.raises(NotFound, match="could not be found"):
        make_client(router).integration(1)


@case("v3_integration_patch_400.json")
def integration_patch_rejected_without_webhook_url(router: Router) -> None:
    router.file("PATCH", "/api/v3/integrations/1", "v3_integration_patch_400.json", status=400)
    with pytest.raises(ValidationError, match="Webhook URL required"):
        make_client(router).integration_update(1, webhook_active=True)
    assert json.loads(router.requests[0].content) == {"webhook_active": True}


@case("v3_order.json", "v3_order_404.json")
def order_detail_and_not_found(router: Router) -> None:
    router.add("GET", "/api/v3/orders/669", wrapped("v3_order.json"))
    router.file("GET", "/api/v3/orders/1", "v3_order_404.json", status=404)
    client = make_client(router)
    order = client.v3.order(669)
    expected = payload("v3_order.json")
    assert (order.id, order.order_id) == (str(expected["id"]), expected["order_id"])
    assert order.integration_id == expected["order_details"]["integration"]["id"]
    with pytest.raises(NotFound):
        client.v3.order(1)


@case("v3_orders_list.json", "v3_orders_list_404_cursor.json")
def orders_list_and_bad_cursor(router: Router) -> None:
    router.file("GET", "/api/v3/orders", "v3_orders_list.json")
    router.file("GET", "/api/v3/orders", "v3_orders_list_404_cursor.json", status=404)
    client = make_client(router)
    first_page = next(client.v3.orders_pages(integration=41))
    assert len(first_page) == len(payload("v3_orders_list.json")["data"])
    assert first_page.items[0].order_id and first_page.next_token is None
    assert router.requests[0].url.params["integration"] == "41"
    with pytest.raises(NotFound, match="Invalid cursor"):
        list(client.v3.orders_pages(resume=first_page.token))


@case(
    "v3_orders_create.request.json",
    "v3_orders_create_201.json",
    "v3_error_400.json",
    "v3_orders_create_400_batch_size.json",
    "v3_orders_create_400_processing.json",
    "v3_orders_create_400_wrong_format.json",
)
def orders_upsert_and_its_rejections(router: Router) -> None:
    router.file("POST", "/api/v3/orders", "v3_orders_create_201.json", status=201)
    for name in (
        "v3_error_400.json",
        "v3_orders_create_400_batch_size.json",
        "v3_orders_create_400_processing.json",
        "v3_orders_create_400_wrong_format.json",
    ):
        router.file("POST", "/api/v3/orders", name, status=400)
    client = make_client(router)
    body = payload("v3_orders_create.request.json")
    refs = client.v3.orders_upsert(body)
    assert json.loads(router.requests[0].content) == body
    assert [(r.id, r.order_id) for r in refs] == [("669", "555413"), ("1337", "555414")]
    pointers = []
    for _ in range(4):
        with pytest.raises(ValidationError) as caught:
            client.v3.orders_upsert(body)
        pointers.append(caught.value.field_errors[0].pointer)
    assert pointers[0] == "/data/attributes/[0]/order_details/order_items/0/total_price/currency"
    assert pointers[3] is None and len(router.requests) == 5


@case("v3_order_patch.request.json", "v3_order_patch_200.json")
def order_patch(router: Router) -> None:
    router.file("PATCH", "/api/v3/orders/669", "v3_order_patch_200.json")
    ref = make_client(router).v3.order_update(669, payload("v3_order_patch.request.json"))
    assert (ref.id, ref.order_number) == ("669", "OXSDFGHTD-12")


@case("v3_orders_create_label_sync.request.json", "v3_orders_create_label_sync_201.json")
def label_sync_accepts_the_list_shaped_example(router: Router) -> None:
    path = "/api/v3/orders/create-label-sync"
    router.file("POST", path, "v3_orders_create_label_sync_201.json", status=201)
    results = make_client(router).v3.orders_create_label_sync(
        payload("v3_orders_create_label_sync.request.json")
    )
    assert [(r.shipment_id, r.parcel_ids) for r in results] == [("511", (420,)), ("512", (4428,))]
    assert results[0].label_mime_type == "application/pdf" and results[0].label_file


@case(
    "v3_orders_create_labels_async.request.json",
    "v3_orders_create_labels_async_202_partial.json",
)
def labels_async_partial_success(router: Router) -> None:
    path = "/api/v3/orders/create-labels-async"
    router.file("POST", path, "v3_orders_create_labels_async_202_partial.json", status=202)
    body = payload("v3_orders_create_labels_async.request.json")
    results, errors = make_client(router).v3.orders_create_labels_async(body)
    assert json.loads(router.requests[0].content) == body
    assert [(r.shipment_id, r.parcel_ids) for r in results] == [("511", (420,))]
    assert errors[0]["source"]["pointer"] == "/data/attributes/orders/[1]"


@case("v3_parcel_tracking.json", "v3_parcel_tracking_404.json")
def tracking_bare_object_and_fastapi_404(router: Router) -> None:
    router.file("GET", "/api/v3/parcels/tracking/T1", "v3_parcel_tracking.json")
    router.file("GET", "/api/v3/parcels/tracking/T2", "v3_parcel_tracking_404.json", status=404)
    client = make_client(router)
    tracking = client.v3.tracking("T1")
    expected = payload("v3_parcel_tracking.json")
    assert tracking.tracking_numbers[0] == expected["tracking_numbers"][0]["tracking_number"]
    assert len(tracking.events) == len(expected["events"])
    with pytest.raises(NotFound, match="Parcel does not exist"):
        client.v3.tracking("T2")


@case("v3_parcel_document_404.json")
def document_download_404(router: Router) -> None:
    path = "/api/v3/parcels/5/documents/label"
    router.file("GET", path, "v3_parcel_document_404.json", status=404)
    router.add("GET", path, httpx.Response(200, content=b"%PDF-1.4"))
    client = make_client(router)
    with pytest.raises(NotFound):
        client.labels_v3.document(5)
    assert client.labels_v3.document(5, paper_size="A4") == b"%PDF-1.4"
    assert router.requests[1].headers["accept"] == "application/pdf"


@case("v3_error_429_rate_limit.json")
def rate_limit_body_maps_to_rate_limited(router: Router) -> None:
    router.file("GET", "/api/v3/parcels/statuses", "v3_error_429_rate_limit.json", status=429)
    with pytest.raises(RateLimited) as caught:
        make_client(router, max_retries=0).v3.parcel_statuses()
    assert caught.value.code == "hit_rate_limit" and caught.value.retry_after is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_v3_payload(name: str, router: Router) -> None:
    CASES[name][1](router)

"""Every recorded v2 payload, served for its request, parses into the fields the sync uses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sendcloud.client import AuthenticationError, NotFound, ValidationError
from sendcloud.client.parsers import parse_parcel_v2
from sendcloud.client.types import Dimensions, Money
from tests.client.helpers import Router, make_client, payload

CASES: dict[str, tuple[tuple[str, ...], Callable[[Router], None]]] = {}


def case(*files: str):
    def register(fn: Callable[[Router], None]) -> Callable[[Router], None]:
        CASES[fn.__name__] = (files, fn)
        return fn

    return register


@case("brands.json")
def brands_list_parses_the_2020_brand(router: Router) -> None:
    router.file("GET", "/api/v2/brands", "brands.json")
    [brand] = list(make_client(router).brands())
    assert (brand.id, brand.name, brand.domain, brand.color) == (
        93965,
        "Standaard",
        None,
        "#112857",
    )


@case("integrations.json")
def integrations_v2_bare_array_maps_to_v3_names(router: Router) -> None:
    router.file("GET", "/api/v2/integrations", "integrations.json")
    first, second = make_client(router).v2.integrations()
    assert (first.id, first.type, first.shop_name) == (97801, "api", "example-api-shop")
    assert first.webhook_active is True and first.service_point_carriers == ("postnl",)
    assert first.updated_at == datetime(2020, 6, 3, 11, 27, 58, 636020, tzinfo=UTC)
    assert (second.id, second.type, second.service_point_enabled) == (100408, "oxid", False)


@case("sender_addresses.json")
def sender_addresses_v2_map_to_the_shared_type(router: Router) -> None:
    router.file("GET", "/api/v2/user/addresses/sender", "sender_addresses.json")
    first, _ = make_client(router).v2.sender_addresses()
    assert first.id == 106310 and first.generation == "v2"
    assert (first.address_line_1, first.house_number, first.postal_code) == (
        "AAAA",
        "222",
        "4011 VV",
    )
    assert (first.name, first.phone_number, first.country_code) == (
        "Contact Person One",
        "+31600000001",
        "NL",
    )
    assert first.tax_numbers == () and first.brand_id is None and first.po_box is None


@case("shipping_methods.json")
def shipping_methods_whole_list_in_one_page(router: Router) -> None:
    router.file("GET", "/api/v2/shipping_methods", "shipping_methods.json")
    client = make_client(router)
    methods = list(client.shipping_methods())
    assert len(methods) == 345
    first = methods[0]
    assert (first.id, first.carrier, first.min_weight, first.max_weight) == (
        117,
        "dhl",
        Decimal("0.001"),
        Decimal("20.000"),
    )
    assert first.countries[0].iso_2 == "BE" and first.countries[0].price == Decimal("8.15")
    assert router.requests[0].url.params["sender_address"] == "all"
    assert "dhl" in {c.code for c in client.carriers()}


@case("shipping_method_single.json")
def shipping_method_detail_keeps_lead_time(router: Router) -> None:
    router.file("GET", "/api/v2/shipping_methods/371", "shipping_method_single.json")
    method = make_client(router).v2.shipping_method(371, to_country="FR")
    assert (method.id, method.carrier, method.max_weight) == (371, "colissimo", Decimal("0.251"))
    assert method.countries[0].lead_time_hours == 48
    assert router.requests[0].url.params["to_country"] == "FR"


@case("parcel_statuses.json")
def parcel_statuses_v2_lists_35_ids(router: Router) -> None:
    router.file("GET", "/api/v2/parcels/statuses", "parcel_statuses.json")
    statuses = make_client(router).v2.parcel_statuses()
    assert len(statuses) == 35
    assert {s.id: s.message for s in statuses}[1000] == "Ready to send"


@case("error_401_invalid_credentials.json")
def wrong_keys_raise_authentication_error(router: Router) -> None:
    router.file(
        "GET",
        "/api/v2/parcels/statuses",
        "error_401_invalid_credentials.json",
        status=401,
        **{"www-authenticate": "Bearer"},
    )
    with pytest.raises(AuthenticationError) as caught:
        make_client(router).v2.parcel_statuses()
    assert caught.value.message == "Invalid username/password."
    assert caught.value.status_code == 401 and len(router.requests) == 1


@case("parcel_created.request.json", "parcel_created.json")
def parcel_create_sends_the_body_and_parses_the_label(router: Router) -> None:
    router.file("POST", "/api/v2/parcels", "parcel_created.json")
    body = payload("parcel_created.request.json")
    [parcel] = make_client(router).v2.parcels_create(body)
    sent = router.requests[0]
    assert json.loads(sent.content) == body and sent.url.params["errors"] == "verbose-carrier"
    expected = payload("parcel_created.json")["parcel"]
    assert parcel.id == expected["id"] and parcel.status.id == 1000
    assert parcel.status.code == "READY_TO_SEND"
    assert parcel.tracking_number == expected["tracking_number"]
    assert parcel.label_printer_url == expected["label"]["label_printer"]
    assert parcel.shipping_method_id == 8 and parcel.carrier_code == expected["carrier"]["code"]


@case("parcel_created_with_sender_fields.request.json", "parcel_created_with_sender_fields.json")
def parcel_create_with_sender_fields_parses(router: Router) -> None:
    router.file("POST", "/api/v2/parcels", "parcel_created_with_sender_fields.json")
    body = payload("parcel_created_with_sender_fields.request.json")
    [parcel] = make_client(router).v2.parcels_create(body)
    expected = payload("parcel_created_with_sender_fields.json")["parcel"]
    assert json.loads(router.requests[0].content) == body
    assert parcel.id == expected["id"] and parcel.recipient.country_code == "FR"
    assert parcel.date_created is not None and parcel.date_created.tzinfo is UTC


@case("parcel_create_error_400.request.json", "parcel_create_error_400.json")
def parcel_create_without_method_gives_field_error(router: Router) -> None:
    router.file("POST", "/api/v2/parcels", "parcel_create_error_400.json", status=400)
    with pytest.raises(ValidationError) as caught:
        make_client(router).v2.parcels_create(payload("parcel_create_error_400.request.json"))
    [error] = caught.value.field_errors
    assert (error.field, error.message) == ("shipping_method", "This field is required.")
    assert len(router.requests) == 1


@case("parcel_cancel_202_queued.json")
def parcel_cancel_queued(router: Router) -> None:
    router.file("POST", "/api/v2/parcels/7/cancel", "parcel_cancel_202_queued.json", status=202)
    result = make_client(router).v2.parcel_cancel(7)
    assert (result.status, result.http_status) == ("queued", 202)


@case("parcel_cancel_410_deleted.json")
def parcel_cancel_of_unannounced_parcel_is_a_deletion(router: Router) -> None:
    router.file("POST", "/api/v2/parcels/7/cancel", "parcel_cancel_410_deleted.json", status=410)
    result = make_client(router).v2.parcel_cancel(7)
    assert (result.status, result.message, result.http_status) == (
        "deleted",
        "Parcel has been deleted",
        410,
    )


@case("parcel_cancel_404_not_found.json", "parcel_get_404.json")
def unknown_parcel_raises_not_found(router: Router) -> None:
    router.file("POST", "/api/v2/parcels/0/cancel", "parcel_cancel_404_not_found.json", status=404)
    router.file("GET", "/api/v2/parcels/0", "parcel_get_404.json", status=404)
    client = make_client(router)
    with pytest.raises(NotFound, match="No Parcel matches the given query"):
        client.v2.parcel_cancel(0)
    with pytest.raises(NotFound, match="No Parcel matches the given query"):
        client.parcel_v2(0)


@case("label_printer_404.json")
def label_download_of_unknown_parcel_raises_not_found(router: Router) -> None:
    router.file("GET", "/api/v2/labels/label_printer/1", "label_printer_404.json", status=404)
    with pytest.raises(NotFound):
        make_client(router).download("https://panel.sendcloud.sc/api/v2/labels/label_printer/1")
    assert router.requests[0].url.host == "panel.test"
    assert router.requests[0].headers["accept"] == "application/pdf"


@case("parcels_list_page1.json")
def parcels_v2_first_page_and_cursor(router: Router) -> None:
    router.file("GET", "/api/v2/parcels", "parcels_list_page1.json")
    router.json("GET", "/api/v2/parcels", {"next": None, "previous": None, "parcels": []})
    pages = list(make_client(router).v2.parcels_pages(updated_after="2024-01-01T00:00:00+00:00"))
    assert [len(p) for p in pages] == [100, 0]
    first = pages[0].items[0]
    assert (first.id, first.status.id, first.status.code) == (
        343683472,
        1002,
        "ANNOUNCEMENT_FAILED",
    )
    assert first.tracking_number is None and first.tracking_url is None
    assert first.date_created == datetime(2024, 1, 23, 16, 39, 46, tzinfo=UTC)
    assert first.recipient.house_number == "115" and first.recipient.country_code == "NL"
    second = router.requests[1].url.params
    assert second["cursor"] == "cD0zMDI2NjcxNjI="
    assert second["updated_after"] == "2024-01-01T00:00:00+00:00"
    raw = payload("parcels_list_page1.json")["parcels"]
    assert [p.id for p in pages[0].items] == [p["id"] for p in raw]


@case("webhook_parcel_status_changed.json")
def webhook_parcel_parses_as_a_v2_parcel(router: Router) -> None:
    body = payload("webhook_parcel_status_changed.json")
    parcel = parse_parcel_v2(body["parcel"])
    assert parcel.id == body["parcel"]["id"]
    assert parcel.status.id == body["parcel"]["status"]["id"]
    assert parcel.carrier_code == body["parcel"]["carrier"]["code"]


@case("user.json")
def user_with_malformed_fixture_dates_still_parses(router: Router) -> None:
    router.file("GET", "/api/v2/user", "user.json")
    user = make_client(router).user()
    assert (user.username, user.company_name) == ("johndoe", "Sendcloud")
    assert user.registered == datetime(2018, 5, 29, 12, 52, 51, tzinfo=UTC)
    assert user.modules == ("sendcloud_client", "prestashop")
    invoice_date = payload("user.json")["user"]["invoices"][0]["date"]
    from sendcloud.client._values import parse_v2_datetime

    assert parse_v2_datetime(invoice_date) == datetime(2018, 6, 5, 11, 58, 52, tzinfo=UTC)


@case("return_portal_url.json", "return_portal_url_404.json")
def return_portal_url_or_none(router: Router) -> None:
    router.file("GET", "/api/v2/parcels/5/return_portal_url", "return_portal_url.json")
    router.file(
        "GET", "/api/v2/parcels/6/return_portal_url", "return_portal_url_404.json", status=404
    )
    client = make_client(router)
    assert client.v2.parcel_return_portal_url(5) == payload("return_portal_url.json")["url"]
    assert client.v2.parcel_return_portal_url(6) is None


@case("service_point.json")
def service_point_from_its_own_host(router: Router) -> None:
    router.file("GET", "/api/v2/service-points/26", "service_point.json")
    point = make_client(router).v2.service_point(26)
    assert router.requests[0].url.host == "servicepoints.sendcloud.sc"
    assert (point.id, point.carrier, point.distance_m) == (26, "postnl", 361)
    assert point.latitude == Decimal("51.440400") and point.opening_times["3"] == ()


def test_invoices_list_and_detail_parse_is_payed_and_dates(router: Router) -> None:
    # No recorded invoice exists (v2 §11); the shapes are the spec examples of v2 §5.11.
    item = {
        "id": 7,
        "ref": "EU-CENTRAL-1-0-22-NL0063503",
        "type": "periodic",
        "price_incl": 93.65,
        "price_excl": 77.4,
        "isPayed": True,
        "date": "08-06-2022 11:39:36",
        "items": "https://panel.sendcloud.sc/api/v2/user/invoices/7",
    }
    router.json("GET", "/api/v2/user/invoices", {"invoices": [item]})
    detail = {**item, "items": [{"id": 1, "name": "Insurance"}]}
    router.json("GET", "/api/v2/user/invoices/7", {"invoice": detail})
    client = make_client(router)
    [listed] = client.invoices()
    assert listed.is_paid is True and listed.price_incl == Decimal("93.65")
    assert listed.date == datetime(2022, 6, 8, 11, 39, 36, tzinfo=UTC)
    assert listed.items_url.endswith("/invoices/7") and listed.items == ()
    single = client.invoice(7)
    assert single.items[0].name == "Insurance" and single.items_url is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_v2_payload(name: str, router: Router) -> None:
    CASES[name][1](router)


def test_parcel_v2_keeps_dimensions_carrier_name_and_values() -> None:
    # What the parcel screen shows next to status and tracking (v2 §5.6.1 parcel object,
    # §7.2 webhook parcel with the carrier's name).
    hooked = parse_parcel_v2(payload("webhook_parcel_status_changed.json")["parcel"])
    assert hooked.dimensions == Dimensions(Decimal("50.00"), Decimal("50.00"), Decimal("50.00"))
    assert (hooked.carrier_code, hooked.carrier_name) == ("chronopost", "Chronopost")
    assert hooked.insured_value == Decimal("0") and hooked.total_order_value is None
    listed = parse_parcel_v2(payload("parcels_list_page1.json")["parcels"][0])
    assert listed.dimensions is None and listed.carrier_name is None
    valued = parse_parcel_v2(
        {"id": 1, "total_order_value": "24.95", "total_order_value_currency": "EUR"}
    )
    assert valued.total_order_value == Money(Decimal("24.95"), "EUR")

"""The mirrored lists speak the reader's language: names for codes, numbers as written there."""

from datetime import UTC, datetime
from decimal import Decimal

from django.urls import reverse

from sendcloud.models import Carrier, Invoice, Parcel, Return, ShippingOption


def _parcel(integration, **fields):
    values = {
        "sendcloud_id": 900001,
        "tracking_number": "3SABC123",
        "tracking_url": "https://tracking.example/forward?code=3SABC123&lang=en-us&type=parcel",
        "status_code": "DELIVERED",
        "status_message": "Delivered",
        "carrier_code": "gls_de",
        "order_number": "A-1001",
        "weight_kg": Decimal("16.229"),
        "sendcloud_created_at": datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
        **fields,
    }
    return Parcel.objects.create(integration=integration, **values)


def _page(client, integration, kind, **query):
    url = reverse("sendcloud:mirror", args=[integration.pk, kind])
    return client.get(url, query, follow=True).content.decode()  # reports answer at Berichte


def test_parcel_list_shows_german_status_carrier_name_weight_and_tracking_language(
    clerk_client, integration
):
    Carrier.objects.create(integration=integration, code="gls_de", name="GLS")
    _parcel(integration)

    page = _page(clerk_client, integration, "parcels")

    assert "Zugestellt" in page and ">Delivered<" not in page
    assert ">GLS<" in page
    assert "16,229 kg" in page
    assert "lang=de-de" in page and "lang=en-us" not in page


def test_parcel_status_filter_offers_german_names(clerk_client, integration):
    from sendcloud.models import ParcelStatus

    ParcelStatus.objects.create(
        integration=integration, key="CANCELLING", v3_code="CANCELLING", v2_id=1999,
        message="Cancellation requested",
    )  # fmt: skip

    page = _page(clerk_client, integration, "parcels")

    assert "Stornierung beantragt" in page and "Cancellation requested" not in page


def test_parcel_search_finds_sendcloud_id_tracking_and_order_number(clerk_client, integration):
    _parcel(integration)
    _parcel(integration, sendcloud_id=900002, tracking_number="OTHER", order_number="B-2")

    for query in ("900001", "3SABC123", "A-1001"):
        page = _page(clerk_client, integration, "parcels", q=query)
        assert "A-1001" in page and "B-2" not in page, query


def test_empty_search_says_nothing_matched_not_nothing_mirrored(clerk_client, integration):
    _parcel(integration)

    page = _page(clerk_client, integration, "parcels", q="does-not-exist")

    assert "Keine Treffer" in page
    assert "Noch nichts übernommen" not in page


def test_returns_and_invoices_show_german_names_and_money(clerk_client, integration):
    Return.objects.create(
        integration=integration, sendcloud_id=5, status="requested", reason="11",
        refund_status="money", refund_total=Decimal("12.50"),
    )  # fmt: skip
    Invoice.objects.create(
        integration=integration, sendcloud_id=700052, type="periodic",
        price_excl=Decimal("1800.01"), price_incl=Decimal("2142.01"),
    )  # fmt: skip

    returns = _page(clerk_client, integration, "returns")
    invoices = _page(clerk_client, integration, "invoices")

    assert "angefordert" in returns and "Meinung geändert" in returns and "12,50 €" in returns
    assert "Sammelrechnung" in invoices and "periodic" not in invoices
    assert "1.800,01 €" in invoices and "2.142,01 €" in invoices


def test_shipping_options_show_weight_range_in_german(clerk_client, integration):
    ShippingOption.objects.create(
        integration=integration, code="gls_de:small", name="GLS Small", carrier_code="gls_de",
        carrier_name="GLS", min_weight_kg=Decimal("0.001"), max_weight_kg=Decimal("31.500"),
    )  # fmt: skip

    page = _page(clerk_client, integration, "shipping-methods")

    assert "0,001–31,5 kg" in page


def test_api_call_log_shows_url_as_sent_german_purpose_and_short_bodies(clerk_client, company):
    from sendcloud.models import ApiCall

    call = ApiCall.objects.create(
        company_id_hint=company.pk, method="GET", path="/api/v3/parcels",
        query="{'page_size': 100, 'cursor': 'abc'}", status_code=200, duration_ms=812,
        attempt=1, response_excerpt="x" * 5000, reference="sync run 2",
    )  # fmt: skip

    page = clerk_client.get(reverse("sendcloud:report-api-calls")).content.decode()
    detail = clerk_client.get(reverse("sendcloud:api-call", args=[call.pk])).content.decode()

    assert "/api/v3/parcels?page_size=100&amp;cursor=abc" in page
    assert "{&#x27;page_size" not in page
    assert "Abgleich 2" in page and "sync run 2" not in page
    assert "812 ms" in page
    assert "x" * 5000 not in page and "x" * 5000 in detail


def test_webhook_inbox_names_actions_in_german(clerk_client, integration):
    from sendcloud.models import WebhookEvent

    WebhookEvent.objects.create(
        integration=integration, company_id_hint=integration.company_id, signature="valid",
        action="integration_connected", raw_body=b"{}", body_sha256="0" * 64,
        status_code=200, object_ref="integration 4711",
    )  # fmt: skip

    page = clerk_client.get(reverse("sendcloud:report-webhooks")).content.decode()

    assert "Integration verbunden" in page and "Integration 4711" in page
    assert ">integration_connected<" not in page


def test_route_list_shows_each_route_with_prices_and_delivery_days(clerk_client, integration):
    from sendcloud.models import ShippingOption
    from tests.sendcloud.factories import route_for

    option = ShippingOption.objects.create(
        integration=integration, code="ups:standard", name="UPS Standard", carrier_code="ups"
    )
    route_for(option, "CH", bands=[
        {"min_kg": "0.001", "max_kg": "5.001", "price": "11.45", "currency": "EUR",
         "lead_time_hours": 72},
        {"min_kg": "5.001", "max_kg": "10.001", "price": "12.80", "currency": "EUR",
         "lead_time_hours": 72},
    ])  # fmt: skip
    page = _page(clerk_client, integration, "routes")
    assert "Versandrouten" in page and "UPS Standard" in page
    assert "11,45 € / 12,80 €" in page and "3 Werktage" in page

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sendcloud.services.orders.mapping import (
    delivery_order_to_sendcloud,
    needs_customs,
    split_street,
)
from sendcloud.services.orders.preflight import delivery_order_preflight
from sendcloud.services.warehouse_addresses import warehouse_sender_addresses_save
from tests.factories import DeliveryOrderFactory, DeliveryOrderLineFactory, ProductFactory
from tests.sendcloud.factories import SenderAddressFactory

PAYLOADS = Path(__file__).resolve().parents[2].parent / "shared/reference/sendcloud-payloads"


@pytest.mark.parametrize(
    ("street", "number", "expected"),
    [
        ("Hauptstraße 5a", "", ("Hauptstraße", "5a")),
        ("Hauptstraße 5 a", "", ("Hauptstraße", "5a")),
        ("Karl-Marx-Allee 12-14", "", ("Karl-Marx-Allee", "12-14")),
        ("Oudegracht 231/2", "", ("Oudegracht", "231/2")),
        ("10 Downing Street", "", ("Downing Street", "10")),
        ("Via Roma", "", ("Via Roma", "")),
        ("Straße des 17. Juni 100", "", ("Straße des 17. Juni", "100")),
        ("Marienplatz", "8", ("Marienplatz", "8")),
    ],
)
def test_split_street_separates_the_house_number(street, number, expected):
    assert split_street(street, number) == expected


@pytest.mark.parametrize(
    ("country", "postal", "expected"),
    [
        ("DE", "10115", False),
        ("CH", "8001", True),
        ("GB", "SW1A 1AA", True),
        ("ES", "28013", False),
        ("ES", "35001", True),
        ("ES", "38001", True),
        ("FI", "22100", True),
        ("DE", "78266", True),
        ("NO", "0150", True),
    ],
)
def test_customs_needed_outside_the_eu_customs_territory(country, postal, expected):
    assert needs_customs(country, postal) is expected


@pytest.fixture
def delivery(integration):
    delivery = DeliveryOrderFactory(
        company=integration.company, street="Hauptstraße 5a", house_number=""
    )
    DeliveryOrderLineFactory(
        delivery_order=delivery, quantity=2, weight_kg=Decimal("0.5"), value=Decimal("19.90")
    )
    address = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {delivery.warehouse_id: address.pk})
    return delivery


@pytest.mark.django_db
def test_mapped_order_has_the_shape_of_sendclouds_example(delivery, integration):
    body = delivery_order_to_sendcloud(delivery, integration, external_id="LA-1")
    example = json.loads((PAYLOADS / "v3_orders_create.request.json").read_text())[0]
    assert set(body) >= {"order_id", "order_number", "order_details", "payment_details"}
    assert set(example["order_details"]) >= {"integration", "status", "order_created_at"}
    assert body["order_details"]["integration"] == {"id": integration.sendcloud_id}
    item = body["order_details"]["order_items"][0]
    assert item["quantity"] == 2
    assert item["total_price"] == {"value": 39.8, "currency": "EUR"}
    assert item["country_of_origin"] == "DE"
    assert body["shipping_address"]["address_line_1"] == "Hauptstraße"
    assert body["shipping_address"]["house_number"] == "5a"
    assert body["shipping_details"]["measurement"]["weight"] == {"value": 1.0, "unit": "kg"}
    assert "customs_details" not in body


@pytest.mark.django_db
def test_canary_islands_get_customs_data(delivery, integration):
    delivery.country, delivery.postal_code, delivery.city = "ES", "35001", "Las Palmas"
    body = delivery_order_to_sendcloud(delivery, integration, external_id="LA-1")
    assert body["customs_details"]["shipment_type"] == "commercial_goods"


@pytest.mark.django_db
def test_ready_order_passes_preflight(delivery, integration):
    assert delivery_order_preflight(delivery, integration) == []


@pytest.mark.django_db
def test_preflight_lists_every_fix(delivery, integration):
    delivery.contact_name = ""
    delivery.street = "Hauptstraße"
    delivery.city = "X" * 40
    delivery.country, delivery.postal_code = "CH", "8001"
    delivery.save()
    product = ProductFactory(company=integration.company, hs_code="", origin_country="")
    DeliveryOrderLineFactory(delivery_order=delivery, product=product)
    problems = " ".join(delivery_order_preflight(delivery, integration))
    assert "Namen oder eine Firma" in problems
    assert "Hausnummer" in problems
    assert "höchstens 30" in problems
    assert product.sku in problems and "Zolltarifnummer" in problems


@pytest.mark.django_db
def test_preflight_requires_a_sender_address_for_the_warehouse(integration):
    delivery = DeliveryOrderFactory(company=integration.company)
    DeliveryOrderLineFactory(delivery_order=delivery)
    problems = delivery_order_preflight(delivery, integration)
    assert any("Lager konfigurieren" in p for p in problems)

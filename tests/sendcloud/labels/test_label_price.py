"""A label's price comes from the synced route's band for each parcel's weight, stored when the
label is claimed: no quote request per label (one write per single-parcel label)."""

from decimal import Decimal

import pytest

from backoffice.sales.models import Package
from sendcloud.models import ApiCall
from sendcloud.services.labels import delivery_order_label_create
from sendcloud.services.labels.price import option_price_for
from tests.sendcloud.labels.conftest import make_delivery, option_for, route_for

pytestmark = pytest.mark.django_db

BANDS = [
    {"min_kg": "0.001", "max_kg": "2.001", "price": "4.49", "currency": "EUR",
     "lead_time_hours": 24},
    {"min_kg": "2.001", "max_kg": "31.501", "price": "5.84", "currency": "EUR",
     "lead_time_hours": 24},
]  # fmt: skip


def test_the_price_is_the_routes_band_for_the_weight_and_no_quote_is_asked(shop):
    option = option_for(shop["integration"])
    route_for(option, "DE", bands=BANDS)
    delivery = make_delivery(shop)  # 2 × 0.4 kg

    shipment = delivery_order_label_create(delivery, shop["integration"])

    shipment.refresh_from_db()
    assert (shipment.price, shipment.currency) == (Decimal("4.49"), "EUR")
    writes = ApiCall.objects.exclude(method="GET")
    assert list(writes.values_list("method", "path")) == [("POST", "/api/v3/shipments/announce")]


def test_a_multi_parcel_label_costs_the_sum_of_its_parcels_bands(shop):
    option = option_for(shop["integration"])
    route_for(option, "DE", bands=BANDS)
    delivery = make_delivery(shop)
    for weight in ("1.5", "3.0"):
        Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))

    shipment = delivery_order_label_create(delivery, shop["integration"])

    assert shipment.price == Decimal("10.33")
    assert not ApiCall.objects.filter(path__endswith="/shipping-options").exists()


def test_a_band_without_a_price_leaves_the_price_empty(shop):
    option = option_for(shop["integration"])
    route_for(option, "DE", bands=[{**BANDS[0], "max_kg": "31.501", "price": None}])
    delivery = make_delivery(shop)

    shipment = delivery_order_label_create(delivery, shop["integration"])

    assert shipment.price is None


def test_the_price_of_another_destination_is_never_taken():
    countries = [
        {"to": "NL", "price": "6.10", "currency": "EUR"},
        {"to": "DE", "price": "4.20", "currency": "EUR"},
    ]

    assert option_price_for(countries, "DE") == (Decimal("4.20"), "EUR")
    assert option_price_for(countries, "AT") == (None, "")
    assert option_price_for([{"price": "4.49", "currency": "EUR"}], "AT") == (
        Decimal("4.49"),
        "EUR",
    )

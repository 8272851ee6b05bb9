"""A label shows what it costs even when the mirrored option carries no price (the demo's UPS
label showed "–"): the label's own route and weight are quoted."""

from decimal import Decimal

import pytest

from sendcloud.models import ShipmentEvent, ShippingMethodOption
from sendcloud.services.labels import delivery_order_label_create
from sendcloud.services.labels.price import option_price_for
from tests.sendcloud.labels.conftest import make_delivery, option_for

pytestmark = pytest.mark.django_db


def priceless(shop, code, name):
    """The shop's shipping method sends with `code`, mirrored as the v3 sync does: no prices."""
    option = option_for(shop["integration"], code, name=name, carrier_code=code.split(":")[0],
                        countries=[])  # fmt: skip
    ShippingMethodOption.objects.filter(shipping_method=shop["method"]).update(
        shipping_option=option
    )
    return option


def test_a_ups_label_without_a_mirrored_price_gets_the_quoted_price(shop, sandbox_control):
    priceless(shop, "ups:express_saver", "UPS Express Saver")
    delivery = make_delivery(shop)

    shipment = delivery_order_label_create(delivery, shop["integration"])

    assert shipment.price is not None and shipment.price > 0
    assert shipment.currency == "EUR"
    shipment.refresh_from_db()
    assert shipment.price is not None


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


def test_a_route_sendcloud_does_not_quote_leaves_the_price_empty_and_says_why(shop, monkeypatch):
    priceless(shop, "ups:express_saver", "UPS Express Saver")
    monkeypatch.setattr("sendcloud.services.labels.price.quoted_total", lambda q, w: (None, ""))
    delivery = make_delivery(shop)

    shipment = delivery_order_label_create(delivery, shop["integration"])

    assert shipment.price is None
    step = ShipmentEvent.objects.get(shipment=shipment, kind="price")
    assert "UPS Express Saver" in step.message

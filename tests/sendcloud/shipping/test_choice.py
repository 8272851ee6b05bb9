"""The automatic choice: cheapest, fastest, cheapest of one carrier, among options that fit the
route, weight and delivery type; stored on the delivery order with its reason."""

from decimal import Decimal

import pytest

from sendcloud.errors import ApplicationError
from sendcloud.models import (
    ChoiceStrategy,
    DeliveryOrderShippingOption,
    ShippingMethodOption,
    ShippingOption,
    ShippingRoute,
)
from sendcloud.services.shipping.choice import (
    delivery_order_choose,
    delivery_order_service_point_pick,
    delivery_order_shipping_choice,
)
from sendcloud.services.warehouse_addresses import warehouse_sender_addresses_save
from tests.factories import DeliveryOrderFactory, DeliveryOrderLineFactory, ShippingMethodFactory
from tests.sendcloud.factories import SenderAddressFactory, route_for

pytestmark = pytest.mark.django_db


def offered(integration, code, name, *, price, hours=24, to=("DE", "CH"), **fields):
    option = ShippingOption.objects.create(
        integration=integration, code=code, name=name, carrier_code=code.split(":")[0],
        min_weight_kg=Decimal("0.001"), max_weight_kg=Decimal("31.5"), **fields,
    )  # fmt: skip
    bands = [{"min_kg": "0.001", "max_kg": "31.501", "price": price, "currency": "EUR",
              "lead_time_hours": hours}]  # fmt: skip
    for destination in to:
        route_for(option, destination, bands=bands,
                  service_point_required=option.service_point_required)  # fmt: skip
    return option


@pytest.fixture
def catalogue(integration):
    return {
        "dhl": offered(integration, "dhl:paket", "DHL Paket", price="4.49", to=("DE",)),
        "gls": offered(integration, "gls_de:business_parcel", "GLS", price="6.90", hours=72),
        "ups": offered(integration, "ups:express_saver", "UPS Express", price="14.90", hours=24),
        "point": offered(integration, "dhl:paket/service_point", "DHL Packstation",
                         price="3.99", to=("DE",), service_point_required=True),
    }  # fmt: skip


@pytest.fixture
def delivery(integration):
    delivery = DeliveryOrderFactory(company=integration.company)
    DeliveryOrderLineFactory(delivery_order=delivery, quantity=1, weight_kg=Decimal("1.2"))
    sender = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {delivery.warehouse_id: sender.pk})
    return delivery


def test_cheapest_picks_the_cheapest_home_delivery_and_stores_why(delivery, integration, catalogue):
    choice = delivery_order_choose(delivery, integration, ChoiceStrategy.CHEAPEST)
    assert choice.option == catalogue["dhl"]  # the Packstation option is cheaper, not home
    stored = DeliveryOrderShippingOption.objects.get(delivery_order=delivery)
    assert stored.shipping_option == catalogue["dhl"]
    assert stored.reason == (
        "automatisch: günstigste passende Option DHL Paket – 4,49 € · 1 Werktag (von 3 passenden)"
    )


def test_fastest_to_switzerland_skips_the_options_without_a_route(delivery, integration, catalogue):
    delivery.country, delivery.postal_code, delivery.city = "CH", "8001", "Zürich"
    delivery.save()
    choice = delivery_order_choose(delivery, integration, ChoiceStrategy.FASTEST)
    assert choice.option == catalogue["ups"]
    assert "schnellste" in choice.reason


def test_a_country_without_a_route_is_refused_with_the_reason(delivery, integration, catalogue):
    delivery.country, delivery.postal_code, delivery.city = "NO", "0150", "Oslo"
    delivery.save()
    with pytest.raises(ApplicationError) as caught:
        delivery_order_choose(delivery, integration, ChoiceStrategy.CHEAPEST)
    assert "keine Versandoption von DE nach NO" in caught.value.problems[0].message
    assert not DeliveryOrderShippingOption.objects.exists()


def test_an_explicit_choice_is_kept(delivery, integration, catalogue):
    DeliveryOrderShippingOption.objects.create(
        delivery_order=delivery, shipping_option=catalogue["gls"]
    )
    assert delivery_order_choose(delivery, integration, "cheapest").option == catalogue["gls"]


def test_a_service_point_method_only_picks_service_point_options(delivery, integration, catalogue):
    delivery.shipping_method = ShippingMethodFactory(
        company=delivery.company, uses_service_point=True
    )
    delivery.save()
    with pytest.raises(ApplicationError) as caught:
        delivery_order_choose(delivery, integration, ChoiceStrategy.CHEAPEST)
    # Chosen and stored; the point itself is what is missing (the one place it will be picked).
    stored = DeliveryOrderShippingOption.objects.get(delivery_order=delivery)
    assert stored.shipping_option == catalogue["point"]
    assert caught.value.problems[0].field == "service_point_id"


def test_service_point_pick_is_silent_when_the_order_has_a_point(delivery, integration, catalogue):
    route = ShippingRoute.objects.get(option_code="dhl:paket/service_point")
    delivery.service_point_id = "12345"
    assert delivery_order_service_point_pick(delivery, integration, route) is None


def test_a_method_mapped_to_cheapest_of_a_carrier_chooses_per_order(
    delivery, integration, catalogue
):
    ShippingMethodOption.objects.create(
        shipping_method=delivery.shipping_method, integration=integration,
        strategy=ChoiceStrategy.CHEAPEST_OF_CARRIER, strategy_carrier="ups",
    )  # fmt: skip
    choice = delivery_order_shipping_choice(delivery, integration)
    assert choice.option == catalogue["ups"]
    assert choice.reason.startswith("automatisch: günstigste passende Option von ups")
    assert not DeliveryOrderShippingOption.objects.exists()  # shown, not stored


def test_too_heavy_for_every_band_fits_nothing(delivery, integration, catalogue):
    delivery.lines.update(weight_kg=Decimal("40"))
    with pytest.raises(ApplicationError) as caught:
        delivery_order_choose(delivery, integration, ChoiceStrategy.CHEAPEST)
    assert "Gewicht" in caught.value.problems[0].message


def test_the_delivery_order_page_says_what_was_chosen_and_why(
    clerk_client, delivery, integration, catalogue
):
    from django.urls import reverse

    delivery_order_choose(delivery, integration, ChoiceStrategy.CHEAPEST)
    url = reverse("admin:sales_deliveryorder_change", args=[delivery.pk])
    page = clerk_client.get(url).content.decode()
    assert "Gewählt – automatisch: günstigste passende Option DHL Paket – 4,49 €" in page


def test_the_delivery_order_page_says_what_the_method_would_choose(
    clerk_client, delivery, integration, catalogue
):
    from django.urls import reverse

    ShippingMethodOption.objects.create(
        shipping_method=delivery.shipping_method, integration=integration,
        strategy=ChoiceStrategy.FASTEST,
    )  # fmt: skip
    url = reverse("admin:sales_deliveryorder_change", args=[delivery.pk])
    page = clerk_client.get(url).content.decode()
    assert "Leer – die Versandart wählt automatisch: schnellste passende Option" in page


def test_an_order_picked_up_at_the_warehouse_gets_no_option(delivery, integration, catalogue):
    from backoffice.sales.models import ShippingMethod

    delivery.shipping_method = ShippingMethod.objects.create(
        company=delivery.company, code="ABH", name="Abholung", provider="pickup"
    )
    delivery.save()
    with pytest.raises(ApplicationError) as caught:
        delivery_order_choose(delivery, integration, ChoiceStrategy.CHEAPEST)
    assert "„Abholung“ wird nicht mit Sendcloud verschickt" in caught.value.problems[0].message
    assert not DeliveryOrderShippingOption.objects.exists()

"""The Sendcloud shipping method chosen on sales and delivery orders."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from backoffice.sales.models import DeliveryOrder, SalesOrder, ShippingMethod
from sendcloud.models import DeliveryOrderShippingOption, ShippingMethodOption, ShippingOption
from sendcloud.selectors import options_fitting
from sendcloud.services.orders.mapping import delivery_order_to_sendcloud
from sendcloud.services.orders.preflight import delivery_order_preflight
from sendcloud.services.shipping_choice import (
    delivery_order_option_chosen,
    delivery_order_shipping_option,
    sales_order_option_save,
)
from sendcloud.services.warehouse_addresses import warehouse_sender_addresses_save
from tests.factories import (
    CustomerAddressFactory,
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    SalesOrderFactory,
)
from tests.sendcloud.factories import IntegrationFactory, SenderAddressFactory, route_for


def option(integration, code, routes=(), price="4.49", **fields):
    """A mirrored option and the routes from DE the Abgleich learned for it."""
    values = {
        "name": code,
        "carrier_code": code.split(":")[0],
        "carrier_name": code.split(":")[0].upper(),
        "min_weight_kg": Decimal("0.001"),
        "max_weight_kg": Decimal("31.5"),
        "functionalities": {"service_area": "international"},
        **fields,
    }
    created = ShippingOption.objects.create(integration=integration, code=code, **values)
    for destination in routes:
        route_for(created, destination, price=price)
    return created


@pytest.fixture
def options(integration):
    return {
        "domestic": option(integration, "dhl:paket", routes=["DE"], name="DHL Paket"),
        "world": option(
            integration, "ups:standard", routes=["DE", "AT", "CH"], price="7.90",
            name="UPS Standard",
        ),
        "light": option(
            integration, "dp:brief", routes=["DE"], name="Warenpost",
            max_weight_kg=Decimal("1.000"),
        ),
        "return": option(integration, "dhl:return", routes=["DE"], supports_returns=True),
        "gone": option(integration, "gls:old", archived_at="2026-01-01T00:00:00Z"),
    }  # fmt: skip


@pytest.fixture
def delivery(integration):
    delivery = DeliveryOrderFactory(company=integration.company, street="Hauptstraße 5")
    DeliveryOrderLineFactory(delivery_order=delivery, quantity=2, weight_kg=Decimal("1.5"))
    sender = SenderAddressFactory(integration=integration)
    warehouse_sender_addresses_save(integration, {delivery.warehouse_id: sender.pk})
    return delivery


def codes(rows):
    return {o.code for o in rows}


@pytest.mark.django_db
def test_only_options_fitting_country_and_weight_are_offered(integration, options, company):
    other = IntegrationFactory()
    option(other, "dpd:home")
    at_heavy = options_fitting(company, country="AT", origin="DE", weight=Decimal("3"))
    assert codes(at_heavy) == {"ups:standard"}
    de_light = options_fitting(company, country="DE", origin="DE", weight=Decimal("0.5"))
    assert codes(de_light) == {"dhl:paket", "ups:standard", "dp:brief"}


@pytest.mark.django_db
def test_a_country_without_routes_fits_nothing(integration, options, company):
    assert codes(options_fitting(company, country="NO", origin="DE")) == set()
    assert codes(options_fitting(company, country="CH", origin="DE")) == {"ups:standard"}
    assert codes(options_fitting(company, country="CH", origin="NL")) == set()


def admin_form(model, user, obj=None, data=None):
    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    return form_class(data=data, instance=obj)


def delivery_data(delivery, **changes):
    data = {
        "number": delivery.number,
        "sales_order": delivery.sales_order_id,
        "warehouse": delivery.warehouse_id,
        "delivery_date": delivery.delivery_date.isoformat(),
        "state": delivery.state,
        "shipping_method": delivery.shipping_method_id,
        "contact_name": delivery.contact_name,
        "street": delivery.street,
        "house_number": delivery.house_number,
        "postal_code": delivery.postal_code,
        "city": delivery.city,
        "country": str(delivery.country),
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_delivery_order_form_offers_only_fitting_options_with_carrier_and_price(
    delivery, options, clerk
):
    form = admin_form(DeliveryOrder, clerk, delivery)
    choices = dict(form.fields["sendcloud_option"].choices)
    labels = {str(label) for label in choices.values()}
    assert "DHL Paket – 4,49 € · 1 Werktag" in labels  # 3 kg to DE from a German warehouse
    assert "UPS Standard – 7,90 € · 1 Werktag" in labels
    assert not {"dp:brief", "dhl:return", "gls:old"} & {
        ShippingOption.objects.get(pk=pk).code for pk in choices if pk
    }


@pytest.mark.django_db
def test_unfitting_option_is_refused_with_a_german_message_naming_the_field(
    delivery, options, clerk
):
    data = delivery_data(
        delivery, country="AT", postal_code="1010", sendcloud_option=options["domestic"].pk
    )
    form = admin_form(DeliveryOrder, clerk, delivery, data)
    assert not form.is_valid()
    assert form.errors["sendcloud_option"] == [
        "Sendcloud-Versandmethode: „DHL Paket“ versendet nicht von DE nach AT."
    ]
    data = delivery_data(delivery, sendcloud_option=options["light"].pk)
    too_heavy = admin_form(DeliveryOrder, clerk, delivery, data)
    assert not too_heavy.is_valid()
    assert "Warenpost" in too_heavy.errors["sendcloud_option"][0]


@pytest.mark.django_db
def test_delivery_order_form_saves_the_choice(delivery, options, clerk):
    data = delivery_data(delivery, sendcloud_option=options["world"].pk)
    form = admin_form(DeliveryOrder, clerk, delivery, data)
    assert form.is_valid(), form.errors
    model_admin = admin.site._registry[DeliveryOrder]
    request = RequestFactory().post("/")
    request.user = clerk
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert (
        DeliveryOrderShippingOption.objects.get(delivery_order=delivery).shipping_option
        == (options["world"])
    )


@pytest.mark.django_db
def test_option_needs_a_shipping_method_shipped_by_sendcloud(delivery, options, clerk):
    pickup = ShippingMethod.objects.create(
        company=delivery.company, code="ABH", name="Abholung", provider="pickup"
    )
    data = delivery_data(delivery, shipping_method=pickup.pk, sendcloud_option=options["world"].pk)
    form = admin_form(DeliveryOrder, clerk, delivery, data)
    assert not form.is_valid()
    assert "Abholung" in form.errors["sendcloud_option"][0]


@pytest.mark.django_db
def test_sales_order_form_offers_options_for_the_customers_country(options, clerk, company):
    order = SalesOrderFactory(company=company)
    CustomerAddressFactory(customer=order.customer, country="AT", postal_code="1010")
    form = admin_form(SalesOrder, clerk, order)
    offered = {pk for pk, _label in form.fields["sendcloud_option"].choices if pk}
    assert options["world"].pk in offered
    assert options["domestic"].pk not in offered  # DHL Paket has no route to AT
    data = {
        "number": order.number,
        "customer": order.customer_id,
        "order_date": order.order_date.isoformat(),
        "currency": "EUR",
        "payment_status": "open",
        "sendcloud_option": options["world"].pk,
        "lines-TOTAL_FORMS": 0,
        "lines-INITIAL_FORMS": 0,
    }
    form = admin_form(SalesOrder, clerk, order, data)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_delivery_order_inherits_the_sales_orders_choice(delivery, options):
    sales_order_option_save(delivery.sales_order, options["world"])
    assert delivery_order_option_chosen(delivery) == options["world"]
    later = DeliveryOrderFactory(company=delivery.company, sales_order=delivery.sales_order)
    assert delivery_order_option_chosen(later) == options["world"]


@pytest.mark.django_db
def test_push_and_label_use_the_orders_choice_before_the_mapping(delivery, options, integration):
    ShippingMethodOption.objects.create(
        shipping_method=delivery.shipping_method,
        integration=integration,
        shipping_option=options["domestic"],
    )
    body = delivery_order_to_sendcloud(delivery, integration, external_id="x")
    assert body["shipping_details"]["ship_with"]["properties"]["shipping_option_code"] == (
        "dhl:paket"
    )
    assert delivery_order_shipping_option(delivery, integration) == options["domestic"]

    DeliveryOrderShippingOption.objects.create(
        delivery_order=delivery, shipping_option=options["world"]
    )
    body = delivery_order_to_sendcloud(delivery, integration, external_id="x")
    assert body["shipping_details"]["ship_with"]["properties"]["shipping_option_code"] == (
        "ups:standard"
    )
    assert delivery_order_shipping_option(delivery, integration) == options["world"]


@pytest.mark.django_db
def test_preflight_reports_a_chosen_option_that_does_not_reach_the_country(
    delivery, options, integration
):
    delivery.country, delivery.postal_code, delivery.city = "AT", "1010", "Wien"
    delivery.save()
    DeliveryOrderShippingOption.objects.create(
        delivery_order=delivery, shipping_option=options["domestic"]
    )
    problems = delivery_order_preflight(delivery, integration)
    assert any("Sendcloud-Versandmethode" in p and "nicht von DE nach AT" in p for p in problems), (
        problems
    )


@pytest.mark.django_db
def test_delivery_order_page_shows_the_choice(clerk_client, delivery, options):
    DeliveryOrderShippingOption.objects.create(
        delivery_order=delivery, shipping_option=options["world"]
    )
    response = clerk_client.get(reverse("admin:sales_deliveryorder_change", args=[delivery.pk]))
    assert response.status_code == 200
    assert 'name="sendcloud_option"' in response.content.decode()
    assert "UPS Standard – 7,90 € · 1 Werktag" in response.content.decode()

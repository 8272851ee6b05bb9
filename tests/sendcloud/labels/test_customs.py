"""Customs outside the EU: every parcel carries its share of the lines, pre-flight names what is
missing, and each parcel's CN23 / commercial invoice is stored beside its label."""

from decimal import Decimal

import pytest

from backoffice.sales.models import Package
from sendcloud.clients import client_for
from sendcloud.models import Integration, ShippingMethodOption
from sendcloud.services.labels import delivery_order_label_create
from sendcloud.services.labels.documents import label_documents_fetch, labels_merge
from sendcloud.services.labels.mapping import delivery_packages, shipment_request_for, split_items
from sendcloud.services.labels.preflight import label_preflight
from sendcloud.services.labels.resolve import shipment_poll
from tests.factories import DeliveryOrderLineFactory, ProductFactory
from tests.sendcloud.labels.conftest import option_for

pytestmark = pytest.mark.django_db

# UPS needs the recipient's phone across a border (the option's requirements.fields).
GB = {
    "country": "GB",
    "postal_code": "SW1A 1AA",
    "city": "London",
    "street": "Downing Street 10",
    "phone": "+44 20 7946 0000",
}


@pytest.fixture
def ups(shop):
    option = option_for(
        shop["integration"],
        "ups:standard",
        name="UPS Standard",
        carrier_name="UPS",
        max_weight_kg=Decimal("70"),
    )
    ShippingMethodOption.objects.filter(shipping_method=shop["method"]).update(
        shipping_option=option
    )
    return {**shop, "option": option}


def uk_delivery(shop, lines=((3, "1.000", "20.00"), (2, "0.500", "8.50")), packages=("2.5", "1.5")):
    from tests.factories import DeliveryOrderFactory

    delivery = DeliveryOrderFactory(
        company=shop["integration"].company,
        warehouse=shop["warehouse"],
        shipping_method=shop["method"],
        **GB,
    )
    for quantity, weight, value in lines:
        DeliveryOrderLineFactory(
            delivery_order=delivery,
            product=ProductFactory(company=delivery.company),
            quantity=quantity,
            weight_kg=Decimal(weight),
            value=Decimal(value),
        )
    for weight in packages:
        Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))
    return delivery


def test_lines_are_split_over_the_parcels_so_quantities_values_and_weights_add_up(ups):
    delivery = uk_delivery(ups)
    parcels = split_items(delivery, delivery_packages(delivery))
    assert len(parcels) == 2 and all(parcels)
    by_line: dict[str, int] = {}
    for items in parcels:
        for item in items:
            by_line[item.item_id] = by_line.get(item.item_id, 0) + item.quantity
    lines = {str(line.pk): line.quantity for line in delivery.lines.all()}
    assert by_line == lines
    weights = [sum(i.weight_kg * i.quantity for i in items) for items in parcels]
    assert weights == [Decimal("2.5"), Decimal("1.5")]  # exactly the package weights here
    values = sum(i.value * i.quantity for items in parcels for i in items)
    assert values == Decimal("77.00")


def test_a_line_may_spread_over_parcels(ups):
    delivery = uk_delivery(ups, lines=((4, "1.000", "10.00"),), packages=("2", "2"))
    parcels = split_items(delivery, delivery_packages(delivery))
    assert [[i.quantity for i in items] for items in parcels] == [[2], [2]]


def test_every_parcel_of_a_uk_shipment_carries_items_and_the_export_reason(ups):
    Integration.objects.filter(pk=ups["integration"].pk).update(export_reason="commercial_sample")
    ups["integration"].refresh_from_db()
    delivery = uk_delivery(ups)
    request = shipment_request_for(
        delivery,
        ups["integration"],
        reference="r",
        option=ups["option"],
        sender=None,
        packages=delivery_packages(delivery),
    )
    assert all(parcel.items for parcel in request.parcels)
    assert request.customs.export_reason == "commercial_sample"
    assert request.customs.invoice_number == delivery.number
    assert request.customs.invoice_date == delivery.delivery_date


def test_preflight_names_a_zero_value_and_more_parcels_than_units(ups):
    delivery = uk_delivery(ups, lines=((1, "1.000", "0.00"),), packages=("0.5", "0.5"))
    _plan, problems = label_preflight(delivery, ups["integration"])
    fields = {p.field for p in problems}
    assert {"value", "packages"} <= fields
    texts = " ".join(str(p) for p in problems)
    assert delivery.lines.get().product.sku in texts


def test_preflight_names_a_product_without_hs_code(ups):
    delivery = uk_delivery(ups)
    product = delivery.lines.first().product
    product.hs_code = ""
    product.save()
    _plan, problems = label_preflight(delivery, ups["integration"])
    assert any(product.sku in str(p) for p in problems)


def test_a_uk_two_parcel_label_gets_customs_documents_for_both_parcels(ups, sandbox_control):
    delivery = uk_delivery(ups)
    shipment = delivery_order_label_create(delivery, ups["integration"])
    # The asynchronous create is announced when the sandbox's clock moves on.
    sandbox_control.post("/_sandbox/clock", json={"advance": 120})
    sandbox_control.post("/_sandbox/progression/run")
    with client_for(ups["integration"]) as client:
        shipment_poll(shipment, client)
        assert shipment.state == "live"
        label_documents_fetch(shipment, client)
    labels = list(shipment.labels.order_by("collo"))
    assert len(labels) == 2
    for label in labels:
        assert label.label_pdf and label.customs_pdf
        with label.customs_pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    import io

    out = io.BytesIO()
    pages = labels_merge(labels, out)
    assert pages >= 4  # two labels, then each parcel's customs document


def test_the_export_reason_is_set_in_the_integration_settings_and_kept_here(client, ups):
    from django.urls import reverse

    from backoffice.companies import roles
    from tests.factories import UserFactory

    integration = ups["integration"]
    client.force_login(UserFactory(company=integration.company, role=roles.MANAGEMENT))
    url = reverse("sendcloud:settings", args=[integration.pk])
    page = client.get(url)
    assert 'name="export_reason"' in page.content.decode()
    response = client.post(
        url,
        {"shop_name": "Muster Shop", "export_reason": "gift", "service_point_carriers": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    integration.refresh_from_db()
    assert integration.export_reason == "gift"
    assert integration.shop_name == "Muster Shop"  # and the rest went to Sendcloud as before

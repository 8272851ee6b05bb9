"""A shop linked to the in-process sandbox, with a packing station whose label printer is the
sandbox's fake network printer."""

from decimal import Decimal

import pytest
from django.test import Client

from backoffice.companies import roles
from sendcloud.models import PackingStation, Printer
from tests.factories import DeliveryOrderLineFactory, ProductFactory, UserFactory
from tests.sendcloud.labels import conftest as labels

# The label tests' fixtures: a shop linked to the in-process sandbox.
shop = labels.shop
packstation = labels.packstation
sandbox_clients = labels.sandbox_clients
queued_documents = labels.queued_documents
make_delivery = labels.make_delivery


@pytest.fixture
def station(shop, sandbox_printer):
    printer = Printer.objects.create(
        company=shop["integration"].company,
        warehouse=shop["warehouse"],
        name="Zebra Packtisch 1",
        connection=Printer.Connection.RAW_TCP,
        address=sandbox_printer.address,
        label_format=Printer.Format.ZPL,
    )
    return PackingStation.objects.create(
        company=printer.company,
        warehouse=shop["warehouse"],
        name="Packtisch 1",
        label_printer=printer,
    )


@pytest.fixture
def clerk(shop):
    client = Client(headers={"accept-language": "de"})
    client.force_login(UserFactory(company=shop["integration"].company, role=roles.SHIPPING))
    return client


def order_to_pack(shop, number="LA-50001", **fields):
    """A ready delivery order: 2 × the shop's product (EAN) and 1 × a second product."""
    company = shop["integration"].company
    product = shop["product"]
    product.ean = "4001234560014"
    product.save()
    delivery = make_delivery(shop, number=number, state="ready", **fields)
    second = ProductFactory(company=company, sku=f"HD-{number}", ean="")
    DeliveryOrderLineFactory(
        delivery_order=delivery, product=second, quantity=1, weight_kg=Decimal("0.65")
    )
    return delivery, product, second

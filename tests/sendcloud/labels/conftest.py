"""A shop linked to a fresh sandbox account, reached in process (WSGI), for the label tests."""

from decimal import Decimal

import pytest

from sandbox.testing import SANDBOX_BASE_URL
from sendcloud import clients, tasks
from sendcloud.models import (
    Integration,
    SenderAddress,
    ShippingMethodOption,
    ShippingOption,
    WarehouseSenderAddress,
)
from tests.factories import (
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    ShippingMethodFactory,
    WarehouseFactory,
)
from tests.sendcloud.factories import route_for


@pytest.fixture(autouse=True)
def queued_documents(monkeypatch):
    """Document fetches the status path queues for the worker, recorded instead of sent."""
    queued: list[int] = []
    monkeypatch.setattr(tasks.label_documents_fetch_task, "delay", queued.append)
    return queued


@pytest.fixture
def sandbox_clients(monkeypatch, settings, sandbox_transport):
    """Every client the services build talks to the in-process sandbox (what leaves the
    process is replaced, nothing else)."""
    settings.SENDCLOUD_BASE_URL = SANDBOX_BASE_URL
    settings.SENDCLOUD_LABEL_POLL_SECONDS = 0
    original = clients.sendcloud_client

    def in_process(public_key, secret_key, **options):
        options.setdefault("transport", sandbox_transport)
        options.setdefault("rate_limit", False)
        options.setdefault("sleep", lambda _s: None)
        return original(public_key, secret_key, **options)

    monkeypatch.setattr(clients, "sendcloud_client", in_process)
    return in_process


def option_for(integration, code="dhl:paket", **fields) -> ShippingOption:
    values = {
        "name": "DHL Paket",
        "carrier_code": code.split(":")[0],
        "carrier_name": "DHL",
        "min_weight_kg": Decimal("0.001"),
        "max_weight_kg": Decimal("31.5"),
        "functionalities": {"multicollo": True},
        "countries": [{"price": "4.49", "currency": "EUR"}],
    }
    values.update(fields)
    option, _ = ShippingOption.objects.update_or_create(
        integration=integration, code=code, defaults=values
    )
    prices = [c for c in option.countries or () if c.get("price")]
    for destination in ROUTE_DESTINATIONS:
        route_for(option, destination, price=prices[0]["price"] if prices else "4.49")
    return option


ROUTE_DESTINATIONS = ("DE", "AT", "NL", "BE", "FR", "CH", "GB")


@pytest.fixture
def shop(company, sandbox_account, sandbox_clients):
    return linked_shop(company, sandbox_account, sandbox_clients)


def linked_shop(company, account, make_client) -> dict:
    """A company linked to the sandbox `account` (no webhooks): its warehouse ships from the
    account's first sender address, its shipping method maps to a Sendcloud option."""
    integration = Integration(
        company=company,
        shop_name="Muster Shop",
        state=Integration.State.CONNECTED,
        sendcloud_id=account["integration_id"],
        public_key=account["public_key"],
    )
    integration.secret_key = account["secret_key"]
    integration.save()
    warehouse = WarehouseFactory(company=company)
    sender = SenderAddress.objects.create(
        integration=integration,
        sendcloud_id=first_sender_id(make_client, account),
        company_name="Muster Handel GmbH",
        street="Lagerstraße",
        house_number="1",
        postal_code="10115",
        city="Berlin",
        country="DE",
    )
    WarehouseSenderAddress.objects.create(
        integration=integration, warehouse=warehouse, sender_address=sender
    )
    method = ShippingMethodFactory(company=company)
    ShippingMethodOption.objects.create(
        shipping_method=method, integration=integration, shipping_option=option_for(integration)
    )
    return {
        "integration": integration,
        "warehouse": warehouse,
        "method": method,
        "product": ProductFactory(company=company),
    }


def first_sender_id(make_client, account) -> int:
    with make_client(account["public_key"], account["secret_key"]) as client:
        return next(iter(client.sender_addresses())).id


def make_delivery(shop, **fields):
    values = {"warehouse": shop["warehouse"], "shipping_method": shop["method"], **fields}
    delivery = DeliveryOrderFactory(company=shop["integration"].company, **values)
    DeliveryOrderLineFactory(
        delivery_order=delivery, product=shop["product"], quantity=2, weight_kg=Decimal("0.4")
    )
    return delivery


@pytest.fixture
def packstation(shop):
    """The shop's method ships DHL Packstation/Filiale (a service point is required)."""
    option = option_for(
        shop["integration"],
        "dhl:paket/service_point",
        name="DHL Paket Packstation/Filiale",
        functionalities={"last_mile": "service_point"},
        requirements={"is_service_point_required": True},
    )
    ShippingMethodOption.objects.filter(shipping_method=shop["method"]).update(
        shipping_option=option
    )
    shop["method"].uses_service_point = True
    shop["method"].save()
    return {**shop, "option": option}

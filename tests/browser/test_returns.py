"""Retouren in a real browser, with a real worker and the sandbox over HTTP: a return for a
delivered order, its label shown and e-mailed, the sandbox moving it to delivered, and the
Retoure appearing and booked back to stock."""

import time
from decimal import Decimal

import httpx
import pytest
from django.core import mail

from backoffice.inventory.stock import stock_quantity
from backoffice.sales.models import DeliveryOrder
from sendcloud.models import (
    Return,
    ShippingMethodOption,
    ShippingOption,
)
from sendcloud.services.labels import delivery_order_label_create
from tests.browser.conftest import ARTIFACTS, assert_german, login, shop_linked
from tests.factories import (
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    WarehouseFactory,
)
from tests.worker import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def delivered(settings, sandbox_server, sandbox_account, live_server):
    """A delivered order of two pieces with a live label, its customer's e-mail set."""
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    httpx.post(f"{sandbox_server}/_sandbox/progression", json={"enabled": False}, timeout=10)
    user = UserFactory(username="retoure", password="Retoure-2026!")
    company = user.company
    warehouse = WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin")
    method = ShippingMethodFactory(company=company)
    product = ProductFactory(company=company, name="Wanderschuh")
    integration = shop_linked(company, warehouse, sandbox_account)
    ShippingMethodOption.objects.create(
        shipping_method=method,
        integration=integration,
        shipping_option=ShippingOption.objects.get(integration=integration, code="dhl:paket"),
    )
    delivery = DeliveryOrderFactory(
        company=company, warehouse=warehouse, shipping_method=method,
        state=DeliveryOrder.State.READY, email="erika@example.com",
    )  # fmt: skip
    DeliveryOrderLineFactory(
        delivery_order=delivery, product=product, quantity=2, weight_kg=Decimal("0.8")
    )
    delivery_order_label_create(delivery, integration)
    delivery.state = DeliveryOrder.State.DELIVERED
    delivery.save()
    return {"delivery": delivery, "sandbox": sandbox_server, "live": live_server}


def test_return_label_email_delivered_retoure_booked(page, delivered):
    live, sandbox, delivery = delivered["live"], delivered["sandbox"], delivered["delivery"]
    environment = {"SENDCLOUD_BASE_URL": sandbox, "PUBLIC_BASE_URL": live.url}
    login(page, live, "retoure", "Retoure-2026!")
    with celery_worker(**environment):
        # The delivered order → Retouren → Retoure anlegen (every piece, reason, refund).
        page.goto(f"{live.url}/sales/deliveryorder/{delivery.pk}/change/")
        page.click("#tool-returns")
        page.click("#return-create")
        page.select_option("#id_reason", "22")
        page.select_option("#id_refund_type", "exchange")
        assert_german(page, allowed=("DHL", "Retoure"))
        page.click("#return-submit")
        page.wait_for_url("**/sendcloud/returns/*/")
        returned = Return.objects.get(delivery_order=delivery)
        assert returned.incoming_tracking_number in page.locator("#return-tracking").inner_text()
        assert_german(page, allowed=("DHL",))

        # Its label, served to this company's user, and e-mailed to the customer.
        origin = "/".join(page.url.split("/")[:3])
        label = page.request.get(origin + page.locator("#return-label").get_attribute("href"))
        assert label.ok and label.body().startswith(b"%PDF")
        page.click("#return-email")
        assert "erika@example.com" in page.locator("#return-emailed").inner_text()
        [message] = mail.outbox
        assert message.subject.startswith("Ihr Rücksendeetikett")
        assert returned.tracking_url in message.body
        page.screenshot(path=ARTIFACTS / "return-created.png", full_page=True)

        # The sandbox moves the return to delivered; its webhooks reach the back office.
        progression = {"enabled": True, "exception_rate": 0}
        httpx.post(f"{sandbox}/_sandbox/progression", json=progression, timeout=10)
        httpx.post(f"{sandbox}/_sandbox/clock", json={"advance": 3 * 86400}, timeout=10)
        httpx.post(f"{sandbox}/_sandbox/progression/run", timeout=30)
        sent = httpx.post(f"{sandbox}/_sandbox/webhooks/run", timeout=60).json()
        assert any(r.get("status_code") == 200 for r in sent["results"]), sent
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            returned.refresh_from_db()
            if returned.retoure_id:
                break
            time.sleep(0.5)
        assert returned.retoure_id, "the delivered webhook made no Retoure"

        # The Retoure appears on the return's page and in the open list; booked back to stock.
        page.goto(f"{live.url}/sendcloud/returns/")
        assert returned.retoure.number in page.locator("#open-returns").inner_text()
        assert_german(page)
        page.goto(f"{live.url}/sendcloud/returns/{returned.pk}/")
        assert "Zugestellt" in page.locator("#return-status").inner_text()
        page.click("#retoure-book")
        assert page.locator("#retoure-state").inner_text() == "gebucht"
        product = delivery.lines.get().product
        assert stock_quantity(product, delivery.warehouse) == 2
        assert page.locator("#retoure-lines .restocked").inner_text() == "2"
        assert_german(page, allowed=("DHL",))
        page.screenshot(path=ARTIFACTS / "return-retoure-booked.png", full_page=True)

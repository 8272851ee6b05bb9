"""Packplatz in a real browser, keystrokes only: scan an order and its items, a wrong item is
refused, Enter → the sandbox's fake printer has the label with the tracking number; a printer
that is off is said in German and F9 ("Erneut drucken") prints the same label."""

from decimal import Decimal

import pytest

from backoffice.sales.models import DeliveryOrder
from sendcloud.models import PackingStation, Printer, Shipment, ShippingMethodOption, ShippingOption
from tests.browser.conftest import ARTIFACTS, assert_german, login, shop_linked
from tests.factories import (
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    WarehouseFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def station_shop(settings, sandbox_server, sandbox_account, sandbox_printer, live_server):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    user = UserFactory(username="packer", password="Packen-2026!", role="Versand")
    company = user.company
    warehouse = WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin")
    method = ShippingMethodFactory(company=company)
    shirt = ProductFactory(company=company, sku="TS-100", name="T-Shirt", ean="4001234560014")
    cap = ProductFactory(company=company, sku="CP-500", name="Kappe", ean="4001234560052")
    mug = ProductFactory(company=company, sku="MG-800", name="Becher", ean="4001234560083")
    integration = shop_linked(company, warehouse, sandbox_account)
    option = ShippingOption.objects.get(integration=integration, code="dhl:paket")
    ShippingMethodOption.objects.create(
        shipping_method=method, integration=integration, shipping_option=option
    )
    printer = Printer.objects.create(
        company=company,
        warehouse=warehouse,
        name="Zebra Packtisch 1",
        address=sandbox_printer.address,
        label_format=Printer.Format.ZPL,
    )
    PackingStation.objects.create(
        company=company, warehouse=warehouse, name="Packtisch 1", label_printer=printer
    )
    orders = []
    for number in ("LA-61001", "LA-61002"):
        delivery = DeliveryOrderFactory(
            company=company,
            number=number,
            warehouse=warehouse,
            shipping_method=method,
            state=DeliveryOrder.State.READY,
        )
        DeliveryOrderLineFactory(
            delivery_order=delivery, product=shirt, quantity=2, weight_kg=Decimal("0.18")
        )
        DeliveryOrderLineFactory(
            delivery_order=delivery, product=cap, quantity=1, weight_kg=Decimal("0.12")
        )
        orders.append(delivery)
    return {"orders": orders, "shirt": shirt, "cap": cap, "mug": mug, "printer": sandbox_printer}


def scan(page, code, expect):
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.locator("#packing-message", has_text=expect).wait_for()


def test_a_clerk_packs_two_orders_with_the_keyboard_only(page, live_server, station_shop):
    printer = station_shop["printer"]
    first, second = station_shop["orders"]
    shirt, cap, mug = station_shop["shirt"], station_shop["cap"], station_shop["mug"]
    login(page, live_server, "packer", "Packen-2026!")
    page.goto(f"{live_server.url}/sendcloud/packing/")
    # The station: Shift+Tab from the scan field to its dropdown, one down, and it is chosen.
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("ArrowDown")
    page.locator("#packing-station-printer", has_text="Zebra Packtisch 1").wait_for()
    assert page.evaluate("document.activeElement.id") == "packing-code"

    scan(page, first.number, "jetzt die Artikel scannen")
    assert page.locator("#packing-lines").inner_text().count("4001234560014") == 1
    scan(page, shirt.ean, "1 von 2")
    scan(page, mug.ean, "gehört nicht zu LA-61001")  # a wrong item: refused, loudly
    assert "error" in page.get_attribute("#packing-message", "class")
    scan(page, shirt.ean, "2 von 2")
    scan(page, shirt.ean, "Zu viele")  # a surplus one: refused too
    scan(page, cap.sku, "1 von 1")
    page.locator("#packing-ready").wait_for()
    assert_german(page, allowed={"EAN", "SKU"})
    page.screenshot(path=str(ARTIFACTS / "packing-ready.png"))
    page.keyboard.press("Enter")
    page.locator("#packing-message", has_text="gedruckt").wait_for()
    tracking = Shipment.objects.get(delivery_order=first).labels.get().tracking_number
    assert tracking in page.inner_text("#packing-message")
    assert tracking.encode() in printer.received()[0]
    assert tracking in page.inner_text("#packing-session-parcels")

    # The next order while the printer is off: the label is bought, the print fails plainly.
    printer.power(False)
    scan(page, second.number, "jetzt die Artikel scannen")
    scan(page, f"2*{shirt.ean}", "2 von 2")
    scan(page, cap.ean, "1 von 1")
    page.keyboard.press("Enter")
    page.locator("#packing-message", has_text="antwortet nicht").wait_for()
    assert "eingeschaltet" in page.inner_text("#packing-message")
    assert page.is_visible("#packing-reprint")
    jobs_before = len(printer.received())
    printer.power(True)
    page.keyboard.press("F9")  # Erneut drucken
    page.locator("#packing-message", has_text="erneut gedruckt").wait_for()
    shipments = Shipment.objects.filter(delivery_order=second)
    assert shipments.count() == 1  # one label bought, printed once it could be
    tracking = shipments.get().labels.get().tracking_number
    assert len(printer.received()) == jobs_before + 1
    assert tracking.encode() in printer.received()[0]

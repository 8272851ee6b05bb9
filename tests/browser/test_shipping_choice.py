"""A Swiss order is offered only the options that ship DE → CH, each with its price and delivery
days, from the routes the Abgleich learned from the sandbox."""

from decimal import Decimal

import pytest
from django.urls import reverse

from backoffice.sales.models import SalesOrderLine
from sandbox import catalogue
from sendcloud.models import ShippingRoute
from tests.browser.conftest import ARTIFACTS, login, shop_linked
from tests.factories import (
    CustomerAddressFactory,
    ProductFactory,
    SalesOrderFactory,
    UserFactory,
    WarehouseFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_swiss_sales_order_is_offered_only_options_that_ship_to_switzerland(
    page, settings, sandbox_server, sandbox_account, live_server
):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    user = UserFactory(username="verkauf", password="Schweiz-2026!")
    company = user.company
    warehouse = WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin")
    order = SalesOrderFactory(company=company)
    CustomerAddressFactory(
        customer=order.customer, country="CH", postal_code="8001", city="Zürich",
        street="Bahnhofstrasse", house_number="10",
    )  # fmt: skip
    product = ProductFactory(company=company, weight_kg=Decimal("1.200"))
    SalesOrderLine.objects.create(order=order, product=product, quantity=1, unit_price=10)
    shop_linked(company, warehouse, sandbox_account)
    to_switzerland = {
        p.name
        for p in catalogue.PRODUCTS
        if "DE" in p.from_countries and "CH" in p.to_countries and not p.is_return
    }
    assert ShippingRoute.objects.filter(to_country="CH").exists()

    login(page, live_server, "verkauf", "Schweiz-2026!")
    page.goto(live_server.url + reverse("admin:sales_salesorder_change", args=[order.pk]))
    labels = [
        text.strip()
        for text in page.locator("#id_sendcloud_option option").all_inner_texts()
        if text.strip() and not text.startswith("---")
    ]
    page.screenshot(path=str(ARTIFACTS / "shipping-choice-ch.png"), full_page=True)

    offered = {label.split(" – ")[0] for label in labels}
    assert offered == to_switzerland
    assert "DHL Paket" not in offered  # ships within the EU only
    for label in labels:
        assert " €" in label and "Werktag" in label, label
    help_text = page.locator(".field-sendcloud_option .help").inner_text()
    assert "von DE nach CH" in help_text

"""Lager konfigurieren and Bestellungen abgleichen in a real browser, with a real worker."""

import time
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from django.utils import timezone

from backoffice.sales.models import DeliveryOrder
from sendcloud.models import SyncRun, WarehouseSenderAddress
from sendcloud.services.connect import integration_keys_save
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from tests.browser.conftest import ARTIFACTS, assert_german, login
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
def shop(settings, sandbox_server, sandbox_account, live_server):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    user = UserFactory(username="clerk", password="Lager-2026!")
    company = user.company
    warehouses = [
        WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin"),
        WarehouseFactory(
            company=company,
            code="VIE",
            name="Lager Wien",
            postal_code="1110",
            city="Wien",
            country="AT",
        ),
    ]
    method = ShippingMethodFactory(company=company)
    product = ProductFactory(company=company)
    old = timezone.now() - timedelta(days=10)
    deliveries = []
    for index in range(6):  # created before the integration existed
        delivery = DeliveryOrderFactory(
            company=company,
            warehouse=warehouses[0],
            shipping_method=method,
            created_at=old,
            state=DeliveryOrder.State.DRAFT if index == 5 else DeliveryOrder.State.READY,
        )
        DeliveryOrderLineFactory(delivery_order=delivery, product=product, weight_kg=Decimal("0.8"))
        deliveries.append(delivery)
    integration = integration_keys_save(
        company,
        public_key=sandbox_account["public_key"],
        secret_key=sandbox_account["secret_key"],
        shop_name="Muster Shop",
    )
    run = sync_start(
        integration, ["sender_addresses", "brands"], queue=False, trigger=SyncRun.Trigger.CLI
    )
    sync_run_execute(run.pk)
    return {
        "integration": integration,
        "warehouses": warehouses,
        "deliveries": deliveries,
        "account": sandbox_account,
        "sandbox": sandbox_server,
        "live": live_server,
    }


def panel_orders(shop) -> str:
    url = f"{shop['sandbox']}/panel/orders?account={shop['account']['id']}&lang=de"
    return httpx.get(url, timeout=10).text


def test_configure_warehouses_then_sync_orders(page, shop):
    live = shop["live"]
    login(page, live, "clerk", "Lager-2026!")
    page.goto(f"{live.url}/sendcloud/integration/")
    page.click("#button-warehouses")
    berlin, vienna = shop["warehouses"]

    # A mismatched country is refused with the row named, and nothing is saved.
    austrian = page.locator(f"#warehouse-{vienna.pk} option", has_text=", AT").first
    page.select_option(f"#warehouse-{berlin.pk}", austrian.get_attribute("value"))
    page.click("#save-warehouses")
    assert "Zentrallager Berlin ist in DE" in page.locator("#warehouse-errors").inner_text()
    assert not WarehouseSenderAddress.objects.exists()
    assert_german(page)

    # Suggestions are confirmed by the user, then saved for all rows at once.
    for warehouse in shop["warehouses"]:
        page.click(f"#warehouse-row-{warehouse.pk} .suggestion-apply")
    page.click("#save-warehouses")
    page.wait_for_url("**/sendcloud/integration/")
    mapping = page.locator(".warehouse-mapping").inner_text()
    assert "Zentrallager Berlin →" in mapping and "Lager Wien →" in mapping
    page.screenshot(path=ARTIFACTS / "warehouses-mapped.png", full_page=True)

    environment = {"SENDCLOUD_BASE_URL": shop["sandbox"], "PUBLIC_BASE_URL": live.url}
    with celery_worker(**environment):
        page.click("#button-orders")
        default = (timezone.localdate() - timedelta(days=30)).isoformat()
        assert page.input_value("#id_since") == default  # the date field shows its default
        page.click("#show-preview")
        assert_german(page)
        # Only the five orders ready to ship are pushed; the draft is named and stays.
        assert page.locator("#preview-summary").get_attribute("data-total") == "5"
        assert page.locator("#preview-ready").inner_text() == "5"
        assert "5 Lieferaufträge ab dem" in page.locator("#preview-summary").inner_text()
        assert page.locator("#preview-orders tbody tr").count() == 5
        assert page.locator("#preview-drafts").is_visible()
        page.click("#start-backfill")
        page.wait_for_url("**/sendcloud/orders/runs/**")
        page.locator(".order-run[data-state=succeeded]").wait_for(timeout=60000)
        results = page.locator(".order-results").inner_text()
        assert results.count("angelegt") == 5
        assert_german(page)
        page.screenshot(path=ARTIFACTS / "orders-synced.png", full_page=True)
        panel = panel_orders(shop)
        ready = [d for d in shop["deliveries"] if d.state == DeliveryOrder.State.READY]
        assert all(d.number in panel for d in ready)

        # A delivery order confirmed in the back office reaches Sendcloud without any button.
        new = DeliveryOrderFactory(
            company=berlin.company,
            warehouse=berlin,
            shipping_method=shop["deliveries"][0].shipping_method,
            state=DeliveryOrder.State.DRAFT,
        )
        DeliveryOrderLineFactory(
            delivery_order=new, product=shop["deliveries"][0].lines.first().product
        )
        page.goto(f"{live.url}/sales/deliveryorder/{new.pk}/change/")
        page.select_option("#id_state", "ready")
        page.click("input[name=_save]")
        deadline = time.monotonic() + 60
        while new.number not in panel_orders(shop) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert new.number in panel_orders(shop)

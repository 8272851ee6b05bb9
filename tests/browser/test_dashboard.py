"""Berichte → Lager → Sendcloud → Dashboard in Chromium: the demo company with a month of
Sendcloud traffic, opened by a demo-like user; the charts are drawn and the page is German."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.companies import roles
from backoffice.demo import demo_data_create
from backoffice.sales.models import DeliveryOrder
from sendcloud.models import (
    Carrier,
    Label,
    LabelJob,
    LabelJobItem,
    Parcel,
    Shipment,
    SyncRun,
    WebhookEvent,
)
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import UserFactory
from tests.sendcloud.factories import IntegrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STATUSES = ["DELIVERED"] * 6 + ["SHIPMENT_ON_ROUTE", "ANNOUNCED", "AWAITING_CUSTOMER_PICKUP"]
CARRIERS = ["dhl", "dhl", "dpd", "gls_de"]


def month_of_traffic(company):
    """What a month with the sandbox leaves behind: parcels, labels, webhooks, a few errors."""
    now = timezone.now()
    integration = IntegrationFactory(company=company)
    for code, name in (("dhl", "DHL"), ("dpd", "DPD"), ("gls_de", "GLS")):
        Carrier.objects.create(integration=integration, code=code, name=name)
    Parcel.objects.bulk_create(
        Parcel(
            integration=integration, sendcloud_id=n + 1, status_code=STATUSES[n % len(STATUSES)],
            carrier_code=CARRIERS[n % 4], sendcloud_created_at=now - timedelta(hours=n * 2),
        )
        for n in range(300)
    )  # fmt: skip
    deliveries = list(DeliveryOrder.objects.filter(company=company).order_by("pk")[:60])
    for n, delivery in enumerate(deliveries[:50]):
        shipment = Shipment.objects.create(
            delivery_order=delivery, integration=integration, generation="v3", mode="announce",
            external_reference=f"demo-{n}", state="live", carrier_code=CARRIERS[n % 4],
            price=Decimal("4.49") + n % 3, currency="EUR", needs_attention=n == 7,
        )  # fmt: skip
        Shipment.objects.filter(pk=shipment.pk).update(created_at=now - timedelta(days=n % 14))
        Label.objects.create(shipment=shipment, sendcloud_parcel_id=n + 1)
    for n in range(40):
        event = WebhookEvent.objects.create(
            integration=integration, company_id_hint=company.pk, headers={}, raw_body=b"{}",
            signature="valid", state="failed" if n == 3 else "processed",
            reason="Paket unbekannt" if n == 3 else "",
        )  # fmt: skip
        received = now - timedelta(days=n % 10, hours=1)
        WebhookEvent.objects.filter(pk=event.pk).update(
            received_at=received, processed_at=received + timedelta(seconds=1 + n % 4)
        )
    SyncRun.objects.create(
        integration=integration, trigger="manual", state="failed",
        error="Sendcloud antwortete nicht rechtzeitig.",
    )  # fmt: skip
    job = LabelJob.objects.create(integration=integration)
    LabelJobItem.objects.create(
        job=job, delivery_order=deliveries[55], state="needs_fixing",
        message="Die Hausnummer der Lieferadresse fehlt.",
    )  # fmt: skip


def test_dashboard_draws_its_charts_in_german_for_a_reading_user(page, live_server):
    company = demo_data_create(orders=80)
    month_of_traffic(company)
    UserFactory(username="leser", password="Lager-2026!", company=company, role=roles.READING)
    login(page, live_server, "leser", "Lager-2026!")
    page.goto(f"{live_server.url}/")
    page.click("#menu-reports")
    page.hover("#menu-reports-warehouse")
    page.hover("#menu-reports-sendcloud")
    page.click("#menu-report-dashboard")
    page.wait_for_selector("#chart-cost[data-rendered='1']")
    for name in ("statuses", "labels", "cost", "lag"):
        canvas = page.locator(f"#chart-{name}")
        assert canvas.get_attribute("data-rendered") == "1"
        box = canvas.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
        # Something was painted: the canvas is not blank.
        assert page.evaluate(
            """(id) => { const c = document.getElementById(id);
                const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
                for (let i = 3; i < px.length; i += 4) if (px[i]) return true; return false; }""",
            f"chart-{name}",
        )
    crumbs = page.locator(".breadcrumbs").inner_text()
    assert "Berichte" in crumbs and "Dashboard" in crumbs
    assert page.locator("#tile-worklist .figure").inner_text() == "2"
    assert page.locator("#last-errors tbody tr").count() == 3
    assert "Die Hausnummer der Lieferadresse fehlt." in page.locator("#last-errors").inner_text()
    assert_german(page, allowed=("Dashboard",))
    page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)  # docs/screenshots/

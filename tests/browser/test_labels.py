"""Versandlabels in a real browser, with a real worker and the sandbox over HTTP: one label,
twenty in one merged PDF, a cancellation, and a delivered parcel reaching its delivery order."""

import io
import time
from decimal import Decimal

import httpx
import pytest
from pypdf import PdfReader

from backoffice.sales.models import DeliveryOrder, Package
from sendcloud.models import (
    Label,
    LabelJob,
    LabelJobItem,
    ShippingMethodOption,
    ShippingOption,
)
from tests.browser.conftest import ARTIFACTS, assert_german, login, shop_linked
from tests.factories import (
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    ShippingMethodFactory,
    UserFactory,
    WarehouseFactory,
)
from tests.worker import celery_worker, celery_worker_on_own_broker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(settings, sandbox_server, sandbox_account, live_server):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    # Parcels move only when the test moves them.
    httpx.post(f"{sandbox_server}/_sandbox/progression", json={"enabled": False}, timeout=10)
    user = UserFactory(username="versand", password="Label-2026!")
    company = user.company
    warehouse = WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin")
    method = ShippingMethodFactory(company=company)
    product = ProductFactory(company=company)
    integration = shop_linked(company, warehouse, sandbox_account)
    option = ShippingOption.objects.get(integration=integration, code="dhl:paket")
    ShippingMethodOption.objects.create(
        shipping_method=method, integration=integration, shipping_option=option
    )
    deliveries = []
    for _index in range(21):
        delivery = DeliveryOrderFactory(
            company=company,
            warehouse=warehouse,
            shipping_method=method,
            state=DeliveryOrder.State.READY,
        )
        DeliveryOrderLineFactory(delivery_order=delivery, product=product, weight_kg=Decimal("0.8"))
        deliveries.append(delivery)
    return {"deliveries": deliveries, "sandbox": sandbox_server, "live": live_server}


def pdf_of(page, url) -> PdfReader:
    origin = "/".join(page.url.split("/")[:3])  # the file links are relative
    response = page.request.get(origin + url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.body()))


def test_label_bulk_cancel_and_delivered(page, shop):
    live = shop["live"]
    first, *twenty = shop["deliveries"]
    environment = {"SENDCLOUD_BASE_URL": shop["sandbox"], "PUBLIC_BASE_URL": live.url}
    login(page, live, "versand", "Label-2026!")
    with celery_worker(**environment):
        # One delivery order → Label erstellen → tracking number, status and the PDF.
        page.goto(f"{live.url}/sales/deliveryorder/{first.pk}/change/")
        page.click("#label-create")
        page.click("#confirm-label-create")
        page.locator("#label-parcels .tracking-number a").wait_for(timeout=60000)
        label = Label.objects.get(shipment__delivery_order=first)
        assert page.locator("#label-parcels .tracking-number").inner_text() == (
            label.tracking_number
        )
        assert page.locator("#label-carrier").inner_text() == "DHL"
        assert page.locator("#label-parcels .parcel-status").inner_text().strip()
        pdf = pdf_of(page, page.locator("#label-parcels a.label-pdf").get_attribute("href"))
        assert label.tracking_number in pdf.pages[0].extract_text()
        page.goto(f"{live.url}/sales/deliveryorder/{first.pk}/change/")
        page.locator("#label-section").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / "label-delivery-order.png", full_page=True)

        # Twenty selected in the list → one job → one merged PDF.
        page.goto(f"{live.url}/sales/deliveryorder/")
        for delivery in twenty:
            page.check(f"input[name=_selected_action][value='{delivery.pk}']")
        page.select_option("select[name=action]", "labels_create")
        page.click("button[name=index]")
        page.wait_for_url("**/sendcloud/labels/jobs/**")
        page.locator(".label-job[data-state=succeeded]").wait_for(timeout=120000)
        results = page.locator("#job-results").inner_text()
        for delivery in twenty:
            tracking = Label.objects.get(shipment__delivery_order=delivery).tracking_number
            assert tracking in results
        page.screenshot(path=ARTIFACTS / "label-bulk.png", full_page=True)
        merged = pdf_of(page, page.locator("#merged-a6").get_attribute("href"))
        assert len(merged.pages) == 20
        a4 = pdf_of(page, page.locator("#merged-a4").get_attribute("href"))
        assert len(a4.pages) == 5
        unprinted = Label.objects.filter(shipment__delivery_order__in=twenty, printed_at=None)
        assert unprinted.count() == 20  # downloading is not printing
        with page.expect_navigation():
            page.click("#job-mark-printed-button")  # the deliberate step after printing
        assert "20 Labels als gedruckt markiert." in page.locator(".messagelist").inner_text()
        assert not unprinted.exists()

        # Cancel one label: confirmation, then Sendcloud's result.
        cancelled = twenty[0]
        page.goto(f"{live.url}/sales/deliveryorder/{cancelled.pk}/change/")
        page.click("#label-cancel")
        page.click("#confirm-label-cancel")
        result = page.locator("#cancel-result").inner_text()
        assert any(word in result for word in ("storniert", "Stornierung beantragt")), result

        # The sandbox moves the first parcel to delivered; its webhook reaches the back office.
        response = httpx.post(
            f"{shop['sandbox']}/_sandbox/parcels/{label.sendcloud_parcel_id}/status",
            json={"status": 11},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        # `make run`'s sandbox delivers its webhooks from a background loop; the test server
        # has none, so the test runs the sandbox's own delivery once (a real HTTP POST to us).
        delivered = httpx.post(f"{shop['sandbox']}/_sandbox/webhooks/run", timeout=30).json()
        assert any(r.get("status_code") == 200 for r in delivered["results"]), delivered
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            first.refresh_from_db()
            if first.state == DeliveryOrder.State.DELIVERED:
                break
            time.sleep(0.5)
        page.goto(f"{live.url}/sales/deliveryorder/{first.pk}/change/")
        assert page.locator("#id_state option:checked").inner_text() == "zugestellt"
        assert "Zugestellt" in page.locator("#label-parcels .parcel-status").inner_text()


def test_a_multi_parcel_label_page_shows_its_pdfs_without_a_reload(page, shop, tmp_path):
    """Two packages go the asynchronous way: the page says "wird angemeldet" while Sendcloud
    announces them, then both PDFs appear in place once the webhook made the label live."""
    live = shop["live"]
    delivery = shop["deliveries"][0]
    for weight in ("2.0", "3.5"):
        Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))
    ShippingOption.objects.filter(code="dhl:paket").update(functionalities={"multicollo": True})
    environment = {"SENDCLOUD_BASE_URL": shop["sandbox"], "PUBLIC_BASE_URL": live.url}
    login(page, live, "versand", "Label-2026!")
    # The webhook drain queues the documents fetch for the labels queue: a worker of its own
    # consumes that too.
    with celery_worker_on_own_broker(tmp_path, **environment):
        page.goto(f"{live.url}/sales/deliveryorder/{delivery.pk}/change/")
        page.click("#label-create")
        page.click("#confirm-label-create")
        page.locator("#label-section").wait_for()
        page.evaluate("window.stillTheSamePage = true")

        page.locator("#label-announcing").wait_for(timeout=60000)
        # The job sent it and stopped polling: it waits for Sendcloud, it has not "succeeded".
        deadline = time.monotonic() + 60
        while LabelJob.objects.get().state != LabelJob.State.WAITING:
            assert time.monotonic() < deadline, LabelJob.objects.get().state
            time.sleep(0.5)
        assert LabelJobItem.objects.get().state == LabelJobItem.State.ANNOUNCING
        page.locator("#label-pending").wait_for(state="detached", timeout=30000)
        assert page.locator("#label-state").inner_text().startswith("wird angemeldet")
        job_page = page.context.new_page()
        job_page.goto(f"{live.url}/sendcloud/labels/jobs/{LabelJob.objects.get().pk}/")
        assert job_page.locator("#job-state").inner_text() == "wartet auf Sendcloud"
        assert "wird angemeldet" in job_page.locator("#job-results").inner_text()
        assert page.locator("#label-parcels a.label-pdf").count() == 0
        assert_german(page)
        page.screenshot(path=ARTIFACTS / "label-multi-announcing.png", full_page=True)
        parcels = Label.objects.filter(shipment__delivery_order=delivery).order_by("collo")
        assert parcels.count() == 2

        # Sendcloud finishes the announcement; its webhooks reach the back office.
        for parcel in parcels:
            response = httpx.post(
                f"{shop['sandbox']}/_sandbox/parcels/{parcel.sendcloud_parcel_id}/status",
                json={"status": 1000},
                timeout=10,
            )
            assert response.status_code == 200, response.text
        delivered = httpx.post(f"{shop['sandbox']}/_sandbox/webhooks/run", timeout=30).json()
        assert any(r.get("status_code") == 200 for r in delivered["results"]), delivered

        pdfs = page.locator("#label-parcels a.label-pdf")
        pdfs.nth(1).wait_for(timeout=60000)
        assert pdfs.count() == 2
        assert page.evaluate("window.stillTheSamePage") is True  # swapped in place, no reload
        assert page.locator("#label-announcing").count() == 0
        for index in range(2):
            pdf = pdf_of(page, pdfs.nth(index).get_attribute("href"))
            assert len(pdf.pages) == 1
        job_page.locator(".label-job[data-state=succeeded]").wait_for(timeout=30000)
        assert "wird angemeldet" not in job_page.locator("#job-results").inner_text()
        assert LabelJobItem.objects.get().state == LabelJobItem.State.SUCCEEDED
        assert LabelJob.objects.get().state == LabelJob.State.SUCCEEDED
        assert_german(page)
        page.screenshot(path=ARTIFACTS / "label-multi-live.png", full_page=True)

"""Service points and customs in a real browser, with a worker and the sandbox over HTTP: a
Packstation delivery order gets a point from the lookup and its label; a UK order in two
parcels is labelled with a customs document per parcel."""

import io
import time
from decimal import Decimal

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader

from backoffice.sales.models import DeliveryOrder, Package
from sendcloud.models import (
    DeliveryOrderServicePoint,
    Label,
    ShippingMethodOption,
    ShippingOption,
    SyncRun,
)
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from tests.browser.conftest import ARTIFACTS, login, shop_linked
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


def _shop(settings, sandbox_server, sandbox_account, live_server, code, *, service_point=False):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    # Asynchronous (multi-parcel) shipments are announced at once; nothing else moves.
    httpx.post(
        f"{sandbox_server}/_sandbox/progression",
        json={"enabled": True, "announce_seconds": 0.2, "time_scale": 1},
        timeout=10,
    )
    user = UserFactory(username="versand", password="Label-2026!")
    company = user.company
    warehouse = WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin")
    integration = shop_linked(company, warehouse, sandbox_account)
    shipping_option = ShippingOption.objects.get(integration=integration, code=code)
    method = ShippingMethodFactory(company=company, uses_service_point=service_point)
    ShippingMethodOption.objects.create(
        shipping_method=method, integration=integration, shipping_option=shipping_option
    )
    return {
        "integration": integration,
        "company": company,
        "warehouse": warehouse,
        "method": method,
        "product": ProductFactory(company=company),
        "environment": {"SENDCLOUD_BASE_URL": sandbox_server, "PUBLIC_BASE_URL": live_server.url},
    }


def pdf_of(page, url) -> PdfReader:
    origin = "/".join(page.url.split("/")[:3])
    response = page.request.get(origin + url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.body()))


def test_packstation_order_gets_a_point_from_the_lookup_and_its_label(
    page, settings, sandbox_server, sandbox_account, live_server
):
    shop = _shop(
        settings,
        sandbox_server,
        sandbox_account,
        live_server,
        "dhl:paket/service_point",
        service_point=True,
    )
    delivery = DeliveryOrderFactory(
        company=shop["company"],
        warehouse=shop["warehouse"],
        shipping_method=shop["method"],
        state=DeliveryOrder.State.READY,
    )  # München, 80331
    DeliveryOrderLineFactory(delivery_order=delivery, product=shop["product"])
    login(page, live_server, "versand", "Label-2026!")
    with celery_worker(**shop["environment"]):
        page.goto(f"{live_server.url}/sales/deliveryorder/{delivery.pk}/change/")
        page.click("#service-point-lookup")
        lockers = page.locator("#service-points tr.service-point[data-locker='1']")
        lockers.first.wait_for()
        lockers.first.locator("summary").click()  # opening hours, German weekday names
        hours = lockers.first.locator(".service-point-hours").inner_text()
        assert "Montag" in hours and "Sonntag" in hours
        name = lockers.first.locator(".service-point-name").inner_text()
        assert name.startswith("Packstation ")
        assert lockers.first.locator(".service-point-kind").inner_text().startswith("Packstation")
        page.screenshot(path=ARTIFACTS / "service-point-lookup.png", full_page=True)
        # A Packstation without Postnummer is refused, in German, naming the fix.
        lockers.first.locator(".service-point-choose").click()
        assert "Postnummer" in page.locator("#service-point-error").inner_text()
        page.fill("#id_post_number", "12345678")
        page.locator("#service-points tr.service-point[data-locker='1']").first.locator(
            ".service-point-choose"
        ).click()
        page.wait_for_url(f"**/sales/deliveryorder/{delivery.pk}/change/")
        assert name in page.locator("#service-point-chosen").inner_text()
        chosen = DeliveryOrderServicePoint.objects.get(delivery_order=delivery)
        assert chosen.post_number == "12345678" and chosen.is_locker

        page.click("#label-create")
        page.click("#confirm-label-create")
        page.locator("#label-parcels .tracking-number a").wait_for(timeout=60000)
        label = Label.objects.get(shipment__delivery_order=delivery)
        assert label.shipment.raw.get("to_service_point", {}).get("id") == chosen.point_id
        assert page.locator("#label-carrier").inner_text() == "DHL"


def test_uk_two_parcel_order_is_labelled_with_customs_documents_for_both_parcels(
    page, settings, sandbox_server, sandbox_account, live_server
):
    shop = _shop(
        settings,
        sandbox_server,
        sandbox_account,
        live_server,
        "ups:standard",
    )
    delivery = DeliveryOrderFactory(
        company=shop["company"],
        warehouse=shop["warehouse"],
        shipping_method=shop["method"],
        state=DeliveryOrder.State.READY,
        country="GB",
        postal_code="SW1A 1AA",
        city="London",
        street="Downing Street 10",
        phone="+44 20 7946 0000",  # UPS across a border needs it (the route's requirements)
    )
    DeliveryOrderLineFactory(
        delivery_order=delivery, product=shop["product"], quantity=3, weight_kg=Decimal("1.0")
    )
    for weight in ("2.0", "1.0"):
        Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))
    # GB is a new destination: the next Abgleich learns its routes.
    run = sync_start(shop["integration"], ["routes"], trigger=SyncRun.Trigger.CLI, queue=False)
    sync_run_execute(run.pk)
    login(page, live_server, "versand", "Label-2026!")
    with celery_worker(**shop["environment"]):
        page.goto(f"{live_server.url}/sales/deliveryorder/{delivery.pk}/change/")
        page.click("#label-create")
        page.click("#confirm-label-create")
        links = page.locator("#label-parcels a.label-customs")
        deadline = time.monotonic() + 90
        while links.count() < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(1000)
            try:  # the label section reloads itself while the label is pending
                page.goto(f"{live_server.url}/sales/deliveryorder/{delivery.pk}/change/")
            except PlaywrightError:
                continue
        assert links.count() == 2
        page.locator("#label-section").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / "label-customs-uk.png", full_page=True)
        texts = []
        for index in range(2):
            pdf = pdf_of(page, links.nth(index).get_attribute("href"))
            texts.append(pdf.pages[0].extract_text())
        assert all(texts)
        labels = Label.objects.filter(shipment__delivery_order=delivery).order_by("collo")
        assert [bool(label.customs_pdf) for label in labels] == [True, True]

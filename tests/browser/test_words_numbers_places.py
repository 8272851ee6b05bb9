"""A German clerk's walk: one date format, breadcrumbs as in the menu, German words only."""

import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.companies import roles
from backoffice.sales.models import DeliveryOrder
from sendcloud.models import (
    Carrier,
    Label,
    ObjectType,
    Parcel,
    Shipment,
    ShippingMethodOption,
    ShippingOption,
    SyncState,
)
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import DeliveryOrderFactory, ShippingMethodFactory, UserFactory
from tests.sendcloud.factories import IntegrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHORT_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
LONG_DATE = re.compile(r"\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|"
                       r"Oktober|November|Dezember) \d{4}")  # fmt: skip


def breadcrumb(page) -> str:
    return " ".join(page.locator(".breadcrumbs").inner_text().split())


def assert_one_date_format(page) -> None:
    text = page.locator("body").inner_text()
    assert SHORT_DATE.search(text), f"no date on {page.url}"
    assert not LONG_DATE.search(text), f"a long date on {page.url}: {LONG_DATE.search(text)[0]}"


@pytest.fixture
def world():
    integration = IntegrationFactory()
    company = integration.company
    UserFactory(username="versand", password="Lager-2026!", company=company, role=roles.SHIPPING)
    Carrier.objects.create(integration=integration, code="dhl", name="DHL")
    option = ShippingOption.objects.create(
        integration=integration, code="dhl:paket", name="DHL Paket", carrier_code="dhl"
    )
    method = ShippingMethodFactory(company=company, name="Standardversand")
    ShippingMethodOption.objects.create(
        shipping_method=method, integration=integration, shipping_option=option
    )
    delivery = DeliveryOrderFactory(company=company, number="LA-5001", shipping_method=method)
    shipment = Shipment.objects.create(
        delivery_order=delivery, integration=integration, generation="v3", mode="announce",
        external_reference="LA-5001#1", state=Shipment.State.LIVE, carrier_code="dhl",
    )  # fmt: skip
    at = timezone.make_aware(datetime(2026, 12, 7, 1, 21))
    Label.objects.create(
        shipment=shipment, sendcloud_parcel_id=9001, status_id=11, status_code="DELIVERED",
        status_message="Delivered", status_changed_at=at, tracking_number="TRK9001",
    )  # fmt: skip
    DeliveryOrder.objects.filter(pk=delivery.pk).update(state=DeliveryOrder.State.DELIVERED)
    parcel = Parcel.objects.create(
        integration=integration, sendcloud_id=9001, tracking_number="TRK9001",
        status_code="DELIVERED", status_message="Delivered", carrier_code="dhl",
        shipping_method="dhl:paket", order_number="LA-5001", weight_kg=Decimal("3.100"),
        sendcloud_created_at=at, status_changed_at=at,
    )  # fmt: skip
    SyncState.objects.create(
        integration=integration, object_type=ObjectType.RETURNS, last_outcome="succeeded",
        last_finished_at=at,
    )  # fmt: skip
    return {"integration": integration, "delivery": delivery, "parcel": parcel}


def test_a_clerk_sees_one_date_format_menu_breadcrumbs_and_german_words(page, live_server, world):
    integration, delivery = world["integration"], world["delivery"]
    login(page, live_server, "versand", "Lager-2026!")

    page.goto(f"{live_server.url}/sales/deliveryorder/")
    assert breadcrumb(page) == "Übersicht › Verkauf › Lieferaufträge"
    row = page.locator("#result_list tr", has_text="LA-5001")
    assert "mit dem Versandlabel übertragen" in row.inner_text()
    assert "nicht übertragen" not in row.inner_text()
    assert_german(page)

    page.goto(f"{live_server.url}/sendcloud/labels/delivery/{delivery.pk}/")
    assert breadcrumb(page).startswith("Übersicht › Verkauf › Lieferaufträge › LA-5001")
    assert "07.12.2026 01:21" in page.locator("#label-parcels").inner_text()
    assert_one_date_format(page)
    assert_german(page)

    page.hover("text=Verkauf")
    page.click("#menu-sendcloud-labels")
    page.wait_for_url("**/sendcloud/labels/")
    assert breadcrumb(page) == "Übersicht › Verkauf › Versandlabels"

    parcel_url = f"{live_server.url}/sendcloud/reports/{integration.pk}/parcels/"
    page.goto(parcel_url)
    assert breadcrumb(page) == "Übersicht › Berichte › Lager › Sendcloud › Pakete"
    table = page.locator("#mirror-table").inner_text()
    assert "DHL Paket" in table and "dhl:paket" not in table and "3,1 kg" in table
    assert_one_date_format(page)
    assert_german(page)

    page.goto(f"{parcel_url}{world['parcel'].pk}/")
    detail = page.locator("#content-main").inner_text()
    assert "Zugestellt" in detail and "Delivered" not in detail
    assert "DHL" in detail and "\tdhl" not in detail
    assert_one_date_format(page)
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "parcel-detail-de.png", full_page=True)

    page.goto(f"{live_server.url}/sendcloud/reports/{integration.pk}/returns/")
    assert (
        "Keine Retouren bei Sendcloud (abgeglichen am 07.12.2026 01:21)."
        in page.locator("#mirror-empty").inner_text()
    )
    assert_german(page)

    page.goto(f"{live_server.url}/sales/shippingmethod/")
    assert breadcrumb(page) == "Übersicht › Konfiguration › Lager › Eigene Versandarten"
    assert "DHL Paket" in page.locator("#result_list").inner_text()
    assert_german(page)

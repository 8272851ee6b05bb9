"""Berichte → Lager → Sendcloud and the Sendcloud shipping method of an order, in Chromium."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from backoffice.sales.models import SalesOrderLine
from sendcloud.models import Carrier, Parcel, ParcelStatus, SalesOrderShippingOption, ShippingOption
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import (
    CustomerAddressFactory,
    DeliveryOrderFactory,
    ProductFactory,
    SalesOrderFactory,
    UserFactory,
    WarehouseFactory,
)
from tests.sendcloud.factories import IntegrationFactory, route_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(live_server):
    user = UserFactory(username="clerk", password="Lager-2026!")
    integration = IntegrationFactory(company=user.company)
    WarehouseFactory(company=user.company, code="BER")
    return user.company, integration


def parcel(integration, n, status, message, number):
    return Parcel.objects.create(
        integration=integration,
        sendcloud_id=8000 + n,
        tracking_number=f"3SABC{n:05d}",
        status_code=status,
        status_message=message,
        carrier_code="dhl",
        order_number=number,
        to_name="Erika Mustermann",
        weight_kg=Decimal("1.200"),
        sendcloud_created_at=timezone.now() - timedelta(days=n),
    )


def test_parcels_report_filtered_exported_and_a_parcel_leads_to_its_delivery_order(
    page, live_server, shop, tmp_path
):
    company, integration = shop
    ParcelStatus.objects.create(
        integration=integration, key="DELIVERED", v3_code="DELIVERED", message="Delivered"
    )
    ParcelStatus.objects.create(
        integration=integration, key="TO_SORTING", v3_code="TO_SORTING", message="En route"
    )
    Carrier.objects.create(integration=integration, code="dhl", name="DHL")
    delivery = DeliveryOrderFactory(company=company, number="LA-4711")
    parcel(integration, 1, "DELIVERED", "Delivered", "LA-4711")
    parcel(integration, 2, "DELIVERED", "Delivered", "LA-0002")
    parcel(integration, 3, "TO_SORTING", "En route", "LA-0003")

    login(page, live_server, "clerk", "Lager-2026!")
    page.hover("#menu-reports")
    page.hover("#menu-reports-warehouse")
    page.hover("#menu-reports-sendcloud")
    page.click("#menu-report-parcels")
    page.wait_for_url(f"**/sendcloud/reports/{integration.pk}/parcels/")
    assert "Berichte › Lager › Sendcloud › Pakete" in page.locator(".breadcrumbs").inner_text()
    assert page.locator("#mirror-table tbody tr").count() == 3

    page.select_option("#report-filter select[name=status]", "DELIVERED")
    with page.expect_navigation():
        page.click("#report-filter input[type=submit]")
    assert page.locator("#mirror-table tbody tr").count() == 2
    assert "Pakete pro Status" in page.locator("#report-totals").inner_text()
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "report-parcels.png", full_page=True)

    with page.expect_download() as info:
        page.click("#export-xlsx")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Paket-ID"
    assert sorted(r[0] for r in rows[1:]) == [8001, 8002]

    page.click("a.report-open >> text=8001")
    page.wait_for_url("**/parcels/*/")
    with page.expect_navigation():
        page.click("#report-delivery-link")
    assert f"/sales/deliveryorder/{delivery.pk}/change/" in page.url
    assert page.locator("#delivery-parcels").is_visible()

    page.hover("#menu-reports")
    page.hover("#menu-reports-warehouse")
    page.hover("#menu-reports-sendcloud")
    page.click("#menu-report-actions")
    page.wait_for_url("**/sendcloud/reports/log/")
    assert page.locator("#tab-webhooks").is_visible()
    assert_german(page)


def test_sales_order_gets_a_sendcloud_shipping_method_from_the_fitting_options(
    page, live_server, shop
):
    company, integration = shop

    def option(code, name, **fields):
        return ShippingOption.objects.create(
            integration=integration,
            code=code,
            name=name,
            carrier_code=code.split(":")[0],
            carrier_name=code.split(":")[0].upper(),
            min_weight_kg=Decimal("0.001"),
            max_weight_kg=fields.pop("max_weight_kg", Decimal("31.5")),
            functionalities=fields.pop("functionalities", {"service_area": "international"}),
            **fields,
        )

    domestic = option("dhl:paket", "DHL Paket", functionalities={"service_area": "domestic"})
    world = option("ups:standard", "UPS Standard")
    light = option("dp:warenpost", "Warenpost", max_weight_kg=Decimal("1"))
    # The routes the Abgleich learned: DHL Paket within DE only, the others to AT as well.
    route_for(domestic, "DE")
    for routed in (world, light):
        route_for(routed, "AT", price="11.45")
    order = SalesOrderFactory(company=company, number="AU-900")
    CustomerAddressFactory(customer=order.customer, country="AT", postal_code="1010", city="Wien")
    product = ProductFactory(company=company, weight_kg=Decimal("2.000"))
    SalesOrderLine.objects.create(order=order, product=product, quantity=1, unit_price=10)

    login(page, live_server, "clerk", "Lager-2026!")
    page.goto(f"{live_server.url}/sales/salesorder/{order.pk}/change/")
    offered = page.locator("#id_sendcloud_option option").all_inner_texts()
    assert "UPS Standard – 11,45 € · 1 Werktag" in offered
    assert not any(domestic.name in text or light.name in text for text in offered)
    page.select_option("#id_sendcloud_option", str(world.pk))
    page.screenshot(path=ARTIFACTS / "sales-order-shipping-method.png", full_page=True)
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".messagelist .success").count() == 1
    assert SalesOrderShippingOption.objects.get(sales_order=order).shipping_option == world
    assert page.locator("#id_sendcloud_option").input_value() == str(world.pk)

"""At 1280 × 800 (an office laptop) the pages QA found too wide fit: no horizontal scroll on the
API call log with long URLs and bodies, and the delivery order list shows its Sendcloud columns
instead of hiding them under the filter sidebar."""

import pytest

from backoffice.sales.models import DeliveryOrder
from sendcloud.models import ApiCall
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import (
    DeliveryOrderFactory,
    ShippingMethodFactory,
    UserFactory,
    WarehouseFactory,
)
from tests.sendcloud.factories import IntegrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Seen without scrolling anything sideways: inside the viewport and not covered or clipped
# (the list's own scroll box clips what does not fit beside the filter sidebar).
VISIBLE = """selector => {
    const cell = document.querySelector(selector);
    if (!cell) return "missing";
    const box = cell.getBoundingClientRect();
    if (box.right > window.innerWidth || box.left < 0) return "outside the viewport";
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return cell.contains(hit) ? "visible" : "covered by " + (hit ? hit.id || hit.className : "?");
}"""


@pytest.fixture
def office(live_server):
    user = UserFactory(username="clerk", password="Lager-2026!")
    company = user.company
    integration = IntegrationFactory(company=company, shop_name="Muster Shop")
    warehouse = WarehouseFactory(company=company, code="BER", name="Zentrallager Berlin-Spandau")
    method = ShippingMethodFactory(company=company, name="DHL Packstation / Paketshop")
    for index in range(5):
        DeliveryOrderFactory(
            company=company,
            warehouse=warehouse,
            shipping_method=method,
            city="Mönchengladbach",
            state=DeliveryOrder.State.READY,
            number=f"LA-{30200 + index}",
        )
    long_path = "/api/v3/shipments/" + "announce-with-a-very-long-reference-" * 6
    for index in range(5):
        ApiCall.objects.create(
            company_id_hint=company.pk,
            integration=integration,
            method="POST",
            path=long_path,
            query="page_size=100&cursor=" + "cD0yMDI2LTExLTMwKzIzJTNBMDk" * 8,
            status_code=422,
            error="ValidationError:" + "to_address.postal_code_is_invalid_for_country" * 4,
            duration_ms=812,
            response_excerpt='{"errors":[{"detail":"' + "x" * 400 + '"}]}',
            reference=f"sync run {index}",
        )
    return live_server


def test_api_call_log_has_no_horizontal_scroll_at_1280(page, office):
    login(page, office, "clerk", "Lager-2026!")

    page.goto(f"{office.url}/sendcloud/reports/log/")

    page.screenshot(path=ARTIFACTS / "api-calls-1280.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate(VISIBLE, "table.api-calls thead th:last-child") == "visible"
    assert_german(page)


def test_delivery_order_list_shows_its_sendcloud_columns_at_1280(page, office):
    login(page, office, "clerk", "Lager-2026!")

    page.goto(f"{office.url}/sales/deliveryorder/")

    page.screenshot(path=ARTIFACTS / "delivery-orders-1280.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate(VISIBLE, "#result_list th.column-sendcloud_state") == "visible"
    assert page.evaluate(VISIBLE, "#result_list th.column-label_column") == "visible"
    # The filters are still there, as a bar of dropdowns above the list.
    page.click("#changelist-filter details[data-filter-title='Status'] > summary")
    assert page.locator("#changelist-filter details[open] a:has-text('bereit')").is_visible()
    assert_german(page)

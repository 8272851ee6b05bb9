"""Abgleich in a real browser: all boxes → Start → live progress → result → mirrored lists."""

import pytest

from sendcloud.models import ObjectType, Parcel, SenderAddress, SyncRun
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import UserFactory
from tests.sendcloud.factories import IntegrationFactory
from tests.worker import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sync_from_the_overview_shows_progress_result_and_mirrored_lists(
    page, live_server, sandbox_server, sandbox_account, sandbox_app, settings
):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    own = sandbox_app.extensions["sandbox"].store.one(  # the linked integration's parcels only
        "SELECT COUNT(*) FROM parcels WHERE integration_id = ?",
        (sandbox_account["integration_id"],),
    )[0]
    user = UserFactory(username="lager", password="Lager-2026!")
    integration = IntegrationFactory(
        company=user.company, account=sandbox_account, shop_name="Sandbox Shop"
    )
    login(page, live_server, "lager", "Lager-2026!")

    page.goto(f"{live_server.url}/sendcloud/integration/")
    page.click("#button-sync")
    boxes = page.locator("#sync-start-form .sync-types input[type=checkbox]")
    assert boxes.count() == len(ObjectType)  # Versandrouten among them
    for index in range(boxes.count()):
        assert boxes.nth(index).is_checked()
    with celery_worker(SENDCLOUD_BASE_URL=sandbox_server):  # the run executes in a real worker
        page.click("#sync-start")
        page.wait_for_url("**/sendcloud/sync/runs/*/")
        page.locator("#sync-type-parcels progress").wait_for()  # a bar per object type
        page.wait_for_selector('#run-state[data-state="succeeded"]', timeout=60000)
    assert page.locator("#sync-type-parcels [data-field=created]").inner_text() == str(own)
    run = SyncRun.objects.get()
    assert run.state == SyncRun.State.SUCCEEDED
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "sync-run.png", full_page=True)

    page.goto(f"{live_server.url}/sendcloud/integration/{integration.pk}/mirror/parcels/")
    table = page.locator("#mirror-table").inner_text()
    some = Parcel.objects.exclude(tracking_number="").order_by("-sendcloud_created_at").first()
    assert some.tracking_number in table
    assert page.locator("#mirror-table tbody tr").count() == own
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "sync-parcels.png", full_page=True)

    page.goto(f"{live_server.url}/sendcloud/integration/{integration.pk}/mirror/sender-addresses/")
    address = SenderAddress.objects.order_by("sendcloud_id").first()
    assert address.company_name in page.locator("#mirror-table").inner_text()
    kinds = ("returns", "invoices", "shipping-methods", "routes", "parcel-statuses", "carriers")
    for kind in kinds:
        page.goto(f"{live_server.url}/sendcloud/integration/{integration.pk}/mirror/{kind}/")
        assert_german(page)
    page.goto(f"{live_server.url}/sendcloud/reports/log/")
    assert_german(page)

    page.goto(f"{live_server.url}/sendcloud/integration/")
    assert page.locator('[data-sync-type="parcels"]').count() == 1
    assert_german(page)

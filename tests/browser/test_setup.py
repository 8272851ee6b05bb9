"""Setup in a real browser against the sandbox, with a real worker processing the webhook."""

import pytest

from sendcloud.models import Integration
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import UserFactory
from tests.worker import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_setup_links_the_account_through_the_connect_page(
    page, live_server, sandbox_server, sandbox_account, settings
):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    UserFactory(username="clerk", password="Lager-2026!")
    login(page, live_server, "clerk", "Lager-2026!")
    page.goto(f"{live_server.url}/sendcloud/integration/")
    with celery_worker(SENDCLOUD_BASE_URL=sandbox_server, PUBLIC_BASE_URL=live_server.url):
        page.click("#button-setup")
        page.fill("#id_shop_name", "Muster Shop")
        page.click("#continue-to-sendcloud")
        page.wait_for_url(f"{sandbox_server}/shops/**")
        assert "Muster Shop" in page.content()
        page.fill("input[name=email]", sandbox_account["email"])
        page.fill("input[name=password]", sandbox_account["password"])
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_url("**/sendcloud/integration/")
        page.locator(".integration-state[data-state=connected]").wait_for(timeout=30000)
    integration = Integration.objects.get()
    assert integration.state == Integration.State.CONNECTED
    text = page.locator(".integration-card").inner_text()
    assert str(integration.sendcloud_id) in text
    assert "verbunden" in text and "bei Sendcloud aktiv" in text
    assert integration.secret_key not in page.content()
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "integration-connected.png", full_page=True)


def test_typed_keys_link_the_account(page, live_server, sandbox_server, sandbox_account, settings):
    settings.SENDCLOUD_BASE_URL = sandbox_server
    settings.PUBLIC_BASE_URL = live_server.url
    UserFactory(username="clerk", password="Lager-2026!")
    login(page, live_server, "clerk", "Lager-2026!")
    page.goto(f"{live_server.url}/sendcloud/integration/keys/")
    page.fill("#id_shop_name", "Getippt")
    page.fill("#id_public_key", sandbox_account["public_key"])
    page.fill("#id_secret_key", sandbox_account["secret_key"])
    page.click("input[type=submit].default")
    page.wait_for_url("**/sendcloud/integration/")
    assert page.locator(".integration-state[data-state=connected]").is_visible()

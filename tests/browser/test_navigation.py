import pytest

from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_switches_language_and_finds_the_integration(page, live_server):
    UserFactory(username="clerk", password="Lager-2026!")
    login(page, live_server, "clerk", "Lager-2026!")
    assert page.locator("#site-name").inner_text() == "Verwaltungsoberfläche"
    assert_german(page)

    page.hover("#menu-configuration")
    page.hover("#menu-configuration-warehouse")
    page.hover("#menu-sendcloud")
    page.click("#menu-sendcloud-integration")
    page.wait_for_url("**/sendcloud/integration/")
    assert page.get_by_role("heading", name="Noch kein Sendcloud-Konto verknüpft").is_visible()
    assert (
        "Konfiguration › Lager › Sendcloud › Integration"
        in page.locator(".breadcrumbs").inner_text()
    )
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "integration-overview-de.png", full_page=True)

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.get_by_role("heading", name="No Sendcloud account linked yet").is_visible()
    assert page.get_by_role("toolbar").get_by_text("Sync orders").is_visible()

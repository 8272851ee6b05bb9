"""What a clerk sees: a role is enough to log in, only the buttons of the role, a German refusal
inside the back office; and an administrator's user pages are German, chooser included."""

import pytest

from backoffice.companies import roles
from sendcloud.models import Integration
from tests.browser.conftest import ARTIFACTS, assert_german, login
from tests.factories import CompanyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Lager-2026!"


@pytest.fixture
def company():
    company = CompanyFactory(name="Muster Handel GmbH")
    Integration.objects.create(
        company=company, shop_name="Laden", state=Integration.State.CONNECTED, public_key="pk"
    )
    Integration.objects.create(
        company=company, shop_name="Zweitladen", state=Integration.State.CONNECTED, public_key="p2"
    )
    return company


def test_a_clerk_without_staff_status_works_sees_no_admin_button_and_a_german_refusal(
    page, live_server, company
):
    UserFactory(
        company=company, username="lager", password=PASSWORD, role=roles.SHIPPING, is_staff=False
    )
    login(page, live_server, "lager", PASSWORD)
    page.wait_for_selector(".bo-nav")

    page.goto(f"{live_server.url}/sendcloud/integration/")
    assert page.get_by_role("heading", name="Zweitladen").is_visible()
    for name in (
        "Setup",
        "Lager konfigurieren",
        "Einstellungen bearbeiten",
        "Trennen",
        "Nach oben",
    ):
        assert page.get_by_text(name, exact=True).count() == 0, name
    assert page.locator("#button-sync").is_visible()
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "integration-clerk.png", full_page=True)

    page.goto(f"{live_server.url}/sendcloud/integration/setup/")
    assert page.get_by_role("heading", name="Keine Berechtigung").is_visible()
    assert "Ihre Rolle erlaubt diese Seite oder Aktion nicht" in page.inner_text("#content")
    assert "403 Forbidden" not in page.content()
    assert page.locator(".bo-nav").is_visible()
    assert "Übersicht › Keine Berechtigung" in page.locator(".breadcrumbs").inner_text()
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "refusal-clerk.png", full_page=True)
    page.click("#error-home")
    page.wait_for_url(f"{live_server.url}/")


def test_the_user_pages_and_the_group_chooser_are_german(page, live_server, company):
    UserFactory(company=company, username="chefin", password=PASSWORD, role=roles.MANAGEMENT)
    colleague = UserFactory(company=company, username="kollege", role=roles.SHIPPING)
    login(page, live_server, "chefin", PASSWORD)
    page.wait_for_selector(".bo-nav")

    page.goto(f"{live_server.url}/companies/user/add/")
    text = page.inner_text("#content")
    assert "Nachdem Sie den Benutzer angelegt haben" in text
    assert "Anmeldung mit Passwort" in text
    assert_german(page)

    page.goto(f"{live_server.url}/companies/user/{colleague.pk}/change/")
    page.wait_for_selector("#id_groups_add_all")  # the chooser is built by the admin's script
    text = page.inner_text("#content")
    for english in ("Password-based", "Reset password", "Raw passwords", "Disabled"):
        assert english not in text, english
    assert page.text_content("#id_groups_add_all").strip() == "Alle Gruppen auswählen"
    assert page.text_content("#id_groups_remove").strip() == "Ausgewählte Gruppen entfernen"
    assert_german(page)
    page.screenshot(path=ARTIFACTS / "user-change-de.png", full_page=True)

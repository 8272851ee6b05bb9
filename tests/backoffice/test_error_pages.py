"""A refusal or a missing page is a German page of the back office, with menu and a way back."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from backoffice.companies import roles
from sendcloud.models import Integration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_ONLY = ['id="button-setup"', 'id="button-warehouses"', "/settings/", "/disconnect/",
              "/move-up/", "/integration/keys/", "/sync/schedules/"]  # fmt: skip


@pytest.fixture
def linked(company):
    first = Integration.objects.create(
        company=company, shop_name="Laden", state=Integration.State.CONNECTED, public_key="pk"
    )
    second = Integration.objects.create(
        company=company, shop_name="Zweitladen", state=Integration.State.CONNECTED, public_key="p2"
    )
    return first, second


def logged_in(company, role) -> Client:
    client = Client()
    client.cookies["django_language"] = "de"
    client.force_login(UserFactory(company=company, role=role, is_staff=False))
    return client


@pytest.mark.parametrize("role", [roles.SHIPPING, roles.READING])
def test_a_clerk_sees_no_button_of_the_administrator_on_the_integration_page(company, linked, role):
    page = logged_in(company, role).get(reverse("sendcloud:integration")).content.decode()
    assert "Laden" in page and "Zweitladen" in page
    assert [marker for marker in ADMIN_ONLY if marker in page] == []


def test_the_administrator_still_sees_them(company, linked):
    page = logged_in(company, roles.MANAGEMENT).get(reverse("sendcloud:integration"))
    text = page.content.decode()
    needs_keys = "/settings/"  # shown only for an integration whose keys work
    assert [marker for marker in ADMIN_ONLY if marker not in text] == [needs_keys]


def test_a_refusal_is_a_german_page_with_menu_breadcrumbs_and_the_way_back(company, linked):
    client = logged_in(company, roles.SHIPPING)
    came_from = "http://testserver" + reverse("sendcloud:integration")

    response = client.get(reverse("sendcloud:setup"), HTTP_REFERER=came_from)

    assert response.status_code == 403
    page = response.content.decode()
    assert "403 Forbidden" not in page and "<h1>Keine Berechtigung</h1>" in page
    assert 'class="bo-nav"' in page and 'class="breadcrumbs"' in page
    assert "Ihre Rolle erlaubt diese Seite oder Aktion nicht" in page
    assert f'id="error-back" href="{came_from}"' in page and 'id="error-home"' in page


def test_the_way_back_never_leads_to_another_site(company):
    client = logged_in(company, roles.READING)
    response = client.get(reverse("sendcloud:setup"), HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_a_refusal_with_a_reason_shows_it(company):
    user = UserFactory(company=None, role="", is_staff=True)
    client = Client()
    client.cookies["django_language"] = "de"
    client.force_login(user)
    response = client.get(reverse("sendcloud:integration"))
    assert response.status_code == 403
    assert "keinem Mandanten" in response.content.decode() or "Mandant" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_missing_page_is_a_german_page_of_the_back_office(company):
    client = logged_in(company, roles.SHIPPING)
    response = client.get(reverse("sendcloud:labels-file", args=[999999, "pdf"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in page and 'class="bo-nav"' in page
    assert "Not Found" not in page

"""A role is enough to log in and work: nobody needs Django's "Mitarbeiter-Status" as well."""

import pytest
from django.test import Client
from django.urls import reverse

from backoffice.companies import roles
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


def log_in(username: str, password: str = PASSWORD):
    client = Client()
    client.cookies["django_language"] = "de"
    response = client.post(
        reverse("admin:login"), {"username": username, "password": password}, follow=True
    )
    return client, response.content.decode()


@pytest.mark.parametrize("role", [roles.SHIPPING, roles.READING, roles.MANAGEMENT])
def test_a_user_with_a_role_and_without_staff_status_logs_in_and_works(role):
    user = UserFactory(company=CompanyFactory(), role=role, is_staff=False)

    client, page = log_in(user.username)

    assert 'id="login-form"' not in page
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("sendcloud:integration")).status_code == 200
    assert client.get(reverse("admin:sales_deliveryorder_changelist")).status_code == 200


def test_a_user_without_a_role_is_told_so_in_german_and_stays_out():
    user = UserFactory(company=CompanyFactory(), role="", is_staff=False)

    client, page = log_in(user.username)

    assert 'id="login-form"' in page
    assert "noch keine Rolle" in page and "Staff" not in page
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_user_with_a_role_but_no_company_stays_out():
    user = UserFactory(company=None, role=roles.SHIPPING, is_staff=False)

    client, page = log_in(user.username)

    assert 'id="login-form"' in page
    assert client.get(reverse("sendcloud:integration")).status_code == 302


def test_a_wrong_password_gets_the_hint_without_a_staff_account():
    user = UserFactory(company=CompanyFactory(), role=roles.SHIPPING, is_staff=False)

    _client, page = log_in(user.username, "wrong")

    assert "Staff" not in page
    assert "Groß-/Kleinschreibung" in page


def test_an_inactive_user_with_a_role_stays_out():
    user = UserFactory(company=CompanyFactory(), role=roles.SHIPPING, is_staff=False)
    user.is_active = False
    user.save()

    client, page = log_in(user.username)

    assert client.get(reverse("admin:index")).status_code == 302

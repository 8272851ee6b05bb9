"""User and company administration: a company administrator manages their own company only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from backoffice.companies import roles
from backoffice.companies.models import User
from tests.factories import CompanyFactory, OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = {"password1": "Neues-Passwort-2026", "password2": "Neues-Passwort-2026"}
# The user's page lists their API tokens (an inline): its management form goes with every save.
TOKENS = {"api_tokens-TOTAL_FORMS": "0", "api_tokens-INITIAL_FORMS": "0"}


@pytest.fixture
def other_company_admin(db):
    return UserFactory(company=CompanyFactory(name="Fremd GmbH"), username="fremd-admin")


def test_a_company_admin_cannot_change_the_password_of_another_companys_user(
    clerk_client, other_company_admin
):
    victim = other_company_admin
    hashed = victim.password
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    response = clerk_client.post(url, {**NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code in (302, 403, 404)
    victim.refresh_from_db()
    assert victim.password == hashed


def test_nobody_but_the_operator_reaches_an_operator_account(clerk_client, clerk):
    operator = OperatorFactory(company=clerk.company)  # even one filed under the company
    hashed = operator.password
    url = reverse("admin:auth_user_password_change", args=[operator.pk])
    assert clerk_client.post(url, NEW_PASSWORD).status_code in (302, 403, 404)
    operator.refresh_from_db()
    assert operator.password == hashed
    listing = clerk_client.get(reverse("admin:companies_user_changelist")).content.decode()
    assert operator.username not in listing


def test_the_user_list_shows_only_the_own_companys_users(clerk_client, other_company_admin):
    colleague = UserFactory(company=other_company_admin.company.__class__.objects.create(name="X"))
    response = clerk_client.get(reverse("admin:companies_user_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert other_company_admin.username not in page and colleague.username not in page
    assert "Fremd GmbH" not in page  # not even in a filter


def test_companies_groups_and_schedules_are_the_operators(clerk_client):
    for name in (
        "admin:companies_company_changelist",
        "admin:auth_group_changelist",
        "admin:django_celery_beat_periodictask_changelist",
    ):
        assert clerk_client.get(reverse(name)).status_code == 403, name


def test_a_company_admin_adds_a_colleague_with_a_role(clerk_client, clerk):
    response = clerk_client.post(
        reverse("admin:companies_user_add"),
        {"username": "kollegin", "usable_password": "true", **NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    colleague = User.objects.get(username="kollegin")
    assert colleague.company == clerk.company and not colleague.is_superuser
    shipping = Group.objects.get(name=roles.SHIPPING)
    response = clerk_client.post(
        reverse("admin:companies_user_change", args=[colleague.pk]),
        {
            "username": "kollegin",
            "is_active": "on",
            "is_staff": "on",
            "groups": [shipping.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            **TOKENS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(colleague.groups.all()) == [shipping]


def test_a_company_admin_makes_nobody_operator_nor_moves_anyone(clerk_client, clerk):
    colleague = UserFactory(company=clerk.company, role=roles.READING)
    elsewhere = CompanyFactory()
    operators_group = Group.objects.create(name="Betrieb")
    response = clerk_client.post(
        reverse("admin:companies_user_change", args=[colleague.pk]),
        {
            "username": colleague.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "company": elsewhere.pk,
            "groups": [operators_group.pk],
            "user_permissions": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            **TOKENS,
        },
    )
    colleague.refresh_from_db()
    assert not colleague.is_superuser
    assert colleague.company == clerk.company
    assert operators_group not in colleague.groups.all()
    assert response.status_code == 200  # the group is no choice: the form says so


def test_the_operator_changes_users_of_every_company(client, other_company_admin):
    client.force_login(OperatorFactory())
    url = reverse("admin:auth_user_password_change", args=[other_company_admin.pk])
    response = client.post(url, {**NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    other_company_admin.refresh_from_db()
    assert other_company_admin.check_password(NEW_PASSWORD["password1"])
    assert client.get(reverse("admin:companies_company_changelist")).status_code == 200


def test_a_company_admin_gives_roles_and_is_not_asked_for_staff_status(clerk_client, clerk):
    colleague = UserFactory(company=clerk.company, role=roles.READING, is_staff=False)
    clerk_client.cookies["django_language"] = "de"
    page = clerk_client.get(reverse("admin:companies_user_change", args=[colleague.pk]))
    listing = clerk_client.get(reverse("admin:companies_user_changelist"))
    for response in (page, listing):
        assert "Mitarbeiter-Status" not in response.content.decode()
    assert 'name="groups"' in page.content.decode()

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

# The warehouse form carries the Sendcloud sender-address inline; these posts leave it empty.
NO_INLINE_ROWS = {"sendcloud_senders-TOTAL_FORMS": "0", "sendcloud_senders-INITIAL_FORMS": "0"}


def test_clerk_sees_only_own_company_warehouses(clerk_client, company):
    own = WarehouseFactory(company=company, name="Eigenes Lager")
    WarehouseFactory(company=CompanyFactory(), name="Fremdes Lager")
    response = clerk_client.get(reverse("admin:inventory_warehouse_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert own.name in content
    assert "Fremdes Lager" not in content


def test_clerk_cannot_open_other_company_rows(clerk_client):
    foreign = WarehouseFactory(company=CompanyFactory())
    url = reverse("admin:inventory_warehouse_change", args=[foreign.pk])
    response = clerk_client.get(url, follow=True)
    assert foreign.name not in response.content.decode()
    assert response.redirect_chain  # the admin sends unknown ids back to the list


def test_new_rows_get_the_clerks_company(clerk_client, company):
    response = clerk_client.post(
        reverse("admin:inventory_warehouse_add"),
        {
            "code": "HH",
            "name": "Lager Hamburg",
            "is_active": "on",
            "street": "Kai",
            "house_number": "3",
            "postal_code": "20095",
            "city": "Hamburg",
            "country": "DE",
            **NO_INLINE_ROWS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert company.__class__.objects.get(pk=company.pk)
    from backoffice.inventory.models import Warehouse

    assert Warehouse.objects.get(code="HH").company == company


def test_duplicate_code_in_same_company_is_refused_with_message(clerk_client, company):
    WarehouseFactory(company=company, code="HH")
    response = clerk_client.post(
        reverse("admin:inventory_warehouse_add"),
        {
            "code": "HH",
            "name": "Noch eins",
            "street": "Kai",
            "postal_code": "20095",
            "city": "Hamburg",
            "country": "DE",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert "Ein Lager mit diesem Code existiert bereits." in response.content.decode()

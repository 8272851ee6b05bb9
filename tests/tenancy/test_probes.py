"""What an attacker of the second company tries beyond plain ids: filters, autocomplete, forms."""

import pytest
from django.test import Client
from django.urls import reverse

from backoffice.companies import roles

from .world import tenant_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def alfa(db):
    return tenant_create("ALFA3X", 4101)


@pytest.fixture
def bravo(db):
    return tenant_create("BRAVO7Q", 4202)


@pytest.fixture
def attacker(alfa):
    client = Client()
    client.force_login(alfa.users[roles.MANAGEMENT])
    return client


CHANGELISTS = [
    "admin:inventory_warehouse_changelist",
    "admin:inventory_product_changelist",
    "admin:sales_customer_changelist",
    "admin:sales_salesorder_changelist",
    "admin:sales_deliveryorder_changelist",
    "admin:sales_shippingmethod_changelist",
    "admin:companies_user_changelist",
    "admin:sendcloud_webhookevent_changelist",
    "admin:sendcloud_apicall_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_filters_naming_the_other_company_show_nothing_of_it(attacker, bravo, name):
    company = bravo.company.pk
    # Queries name the marker in lower case: the page echoes them, the rows say it in upper case.
    for query in (
        f"company__id__exact={company}",
        f"company={company}",
        f"company_id_hint={company}",
        f"company__name__icontains={bravo.marker.lower()}",
        f"q={bravo.marker.lower()}",
    ):
        response = attacker.get(f"{reverse(name)}?{query}")
        assert bravo.marker not in response.content.decode(), (name, query)


def test_related_list_filters_offer_only_the_own_companys_choices(attacker, bravo):
    page = attacker.get(reverse("admin:sales_deliveryorder_changelist")).content.decode()
    assert f"Lager {bravo.marker}" not in page
    assert f"Versandart {bravo.marker}" not in page


@pytest.mark.parametrize(
    ("app", "model", "field"),
    [
        ("sales", "salesorder", "customer"),
        ("sales", "deliveryorder", "sales_order"),
        ("sales", "salesorderline", "product"),
        ("sales", "deliveryorderline", "product"),
    ],
)
def test_autocomplete_offers_only_the_own_companys_rows(attacker, bravo, app, model, field):
    url = reverse("admin:autocomplete")
    query = {"app_label": app, "model_name": model, "field_name": field, "term": ""}
    response = attacker.get(url, query)
    assert response.status_code == 200
    assert bravo.marker not in response.content.decode()


def test_a_form_cannot_point_own_rows_at_the_other_companys(attacker, alfa, bravo):
    delivery = alfa.first("DeliveryOrder")
    foreign_warehouse = bravo.first("Warehouse")
    url = reverse("admin:sales_deliveryorder_change", args=[delivery.pk])
    form = attacker.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "warehouse": foreign_warehouse.pk,
            "sales_order": delivery.sales_order_id,
            "shipping_method": delivery.shipping_method_id,
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
            "packages-TOTAL_FORMS": "0",
            "packages-INITIAL_FORMS": "0",
        }
    )
    attacker.post(url, data)
    delivery.refresh_from_db()
    assert delivery.warehouse_id != foreign_warehouse.pk

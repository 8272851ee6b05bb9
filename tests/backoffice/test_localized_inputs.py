"""Decimal form fields speak the reader's locale: shown as 0,650 and typed as 1,250 in German."""

from decimal import Decimal

import pytest
from django.urls import reverse

from backoffice.companies import roles
from backoffice.inventory.models import Product
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def _change_url(product):
    return reverse("admin:inventory_product_change", args=[product.pk])


def test_a_german_product_form_shows_its_weight_and_price_with_decimal_commas(client):
    product = ProductFactory(weight_kg=Decimal("0.650"), price=Decimal("49.90"))
    client.force_login(UserFactory(company=product.company, role=roles.MANAGEMENT))
    page = client.get(_change_url(product), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'value="0,650"' in page
    assert 'value="49,90"' in page
    assert 'value="0.650"' not in page


def test_a_german_product_form_takes_a_weight_typed_with_a_decimal_comma(client):
    product = ProductFactory(weight_kg=Decimal("0.650"), price=Decimal("49.90"))
    client.force_login(UserFactory(company=product.company, role=roles.MANAGEMENT))
    page = client.get(_change_url(product), HTTP_ACCEPT_LANGUAGE="de")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"weight_kg": "1,250", "price": "59,90", "_save": "1"})
    data.update(
        {
            key: value
            for formset in page.context["inline_admin_formsets"]
            for key, value in formset.formset.management_form.initial.items()
            for key in [f"{formset.formset.prefix}-{key}"]
        }
    )
    answer = client.post(_change_url(product), data, HTTP_ACCEPT_LANGUAGE="de")
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    product = Product.objects.get(pk=product.pk)
    assert (product.weight_kg, product.price) == (Decimal("1.250"), Decimal("59.90"))


def test_an_english_product_form_keeps_decimal_points(client):
    product = ProductFactory(weight_kg=Decimal("0.650"))
    client.force_login(UserFactory(company=product.company, role=roles.MANAGEMENT))
    page = client.get(_change_url(product), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="0.650"' in page

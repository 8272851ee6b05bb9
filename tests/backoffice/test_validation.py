from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from backoffice.addresses import validate_postal_code
from tests.factories import (
    CompanyFactory,
    DeliveryOrderLineFactory,
    ProductFactory,
    WarehouseFactory,
)


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("DE", "10115"),
        ("AT", "1010"),
        ("NL", "1012 AB"),
        ("NL", "1012ab"),
        ("GB", "SW1A 1AA"),
        ("PL", "00-001"),
        ("US", "10001-1234"),
        ("JP", "100-0001"),
    ],
)
def test_postal_code_accepts_valid_codes(country, code):
    validate_postal_code(country, code)


@pytest.mark.parametrize(("country", "code"), [("DE", "1011"), ("AT", "10100"), ("NL", "1012")])
def test_postal_code_rejects_codes_that_do_not_fit_the_country(country, code):
    with pytest.raises(ValidationError) as error:
        validate_postal_code(country, code)
    assert "postal_code" in error.value.message_dict


@pytest.mark.django_db
def test_warehouse_errors_name_the_field_in_german():
    warehouse = WarehouseFactory.build(company=CompanyFactory(), postal_code="123", country="DE")
    with translation.override("de"), pytest.raises(ValidationError) as error:
        warehouse.full_clean()
    with translation.override("de"):
        message = error.value.message_dict["postal_code"][0]
    assert "keine gültige Postleitzahl" in message
    assert "10115" in message


@pytest.mark.django_db
def test_unknown_country_code_is_refused():
    warehouse = WarehouseFactory.build(company=CompanyFactory(), country="XX")
    with pytest.raises(ValidationError) as error:
        warehouse.full_clean()
    assert "country" in error.value.message_dict


@pytest.mark.django_db
def test_product_weight_must_be_above_zero():
    product = ProductFactory.build(company=CompanyFactory(), weight_kg=Decimal("0"))
    with translation.override("de"), pytest.raises(ValidationError) as error:
        product.full_clean()
    with translation.override("de"):
        assert error.value.message_dict["weight_kg"] == ["Das Gewicht muss über 0 kg liegen."]


@pytest.mark.django_db
def test_delivery_line_quantity_must_be_at_least_one():
    line = DeliveryOrderLineFactory()
    line.quantity = 0
    with translation.override("en"), pytest.raises(ValidationError) as error:
        line.full_clean()
    with translation.override("en"):
        assert error.value.message_dict["quantity"] == ["The quantity must be at least 1."]


@pytest.mark.django_db
def test_hs_code_must_be_digits():
    product = ProductFactory.build(company=CompanyFactory(), hs_code="6109.10")
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "hs_code" in error.value.message_dict

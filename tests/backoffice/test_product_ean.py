import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from backoffice.demo import demo_ean
from backoffice.inventory.gtin import gtin_check_digit, gtin_is_valid
from tests.factories import CompanyFactory, ProductFactory


@pytest.mark.parametrize("code", ["4006381333931", "96385074", "036000291452", "10012345678902"])
def test_gtins_of_every_length_with_their_check_digit_are_valid(code):
    assert gtin_is_valid(code)


@pytest.mark.parametrize(
    "code", ["4006381333932", "400638133393", "40063813339310x", "", "1234567"]
)
def test_wrong_check_digits_and_lengths_are_invalid(code):
    assert not gtin_is_valid(code)


def test_demo_eans_are_valid_ean13():
    assert {len(demo_ean(i)) for i in range(12)} == {13}
    assert all(gtin_is_valid(demo_ean(i)) for i in range(12))
    assert demo_ean(0).startswith("400") and gtin_check_digit(demo_ean(0)[:-1]) == 4


@pytest.mark.django_db
def test_a_wrong_check_digit_is_refused_in_german_naming_the_field_and_the_right_digit():
    product = ProductFactory.build(company=CompanyFactory(), ean="4006381333932")
    with translation.override("de"), pytest.raises(ValidationError) as error:
        product.full_clean()
    with translation.override("de"):
        message = error.value.message_dict["ean"][0]
    assert "Prüfziffer" in message and "1" in message


@pytest.mark.django_db
def test_the_ean_is_unique_per_company_but_may_stay_empty():
    company = CompanyFactory()
    ProductFactory(company=company, ean="4006381333931")
    ProductFactory(company=company, ean="")
    ProductFactory(company=CompanyFactory(), ean="4006381333931")  # another company's
    duplicate = ProductFactory.build(company=company, ean="4006381333931")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "EAN" in str(error.value)
    ProductFactory.build(company=company, ean="").full_clean()

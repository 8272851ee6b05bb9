"""GTIN (EAN-8, UPC-A, EAN-13, GTIN-14): the number on a product's barcode, with its check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(body: str) -> int:
    """The check digit for the digits before it (GS1: weights 3, 1, 3, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_is_valid(code: str) -> bool:
    return (
        code.isdigit()
        and len(code) in GTIN_LENGTHS
        and gtin_check_digit(code[:-1]) == int(code[-1])
    )


def validate_gtin(value: str) -> None:
    """Model validator of `Product.ean`: digits only, 8/12/13/14 long, right check digit."""
    if not value.isdigit() or len(value) not in GTIN_LENGTHS:
        raise ValidationError(
            _("The EAN has 8, 12, 13 or 14 digits, without spaces, e.g. 4006381333931."),
            code="gtin_format",
        )
    if not gtin_is_valid(value):
        raise ValidationError(
            _("The EAN %(ean)s has a wrong check digit (it would be %(digit)s): please check it."),
            code="gtin_check_digit",
            params={"ean": value, "digit": gtin_check_digit(value[:-1])},
        )

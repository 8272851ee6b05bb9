"""Postal addresses shared by warehouses, customers and delivery orders, with their rules."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# Postal code formats for the countries the back office ships from and to most.
# A country missing here is accepted as long as the code is not empty.
POSTAL_CODE_PATTERNS = {
    "AT": r"\d{4}",
    "BE": r"\d{4}",
    "CH": r"\d{4}",
    "CZ": r"\d{3} ?\d{2}",
    "DE": r"\d{5}",
    "DK": r"\d{4}",
    "ES": r"\d{5}",
    "FI": r"\d{5}",
    "FR": r"\d{5}",
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}",
    "IT": r"\d{5}",
    "LU": r"(L-)?\d{4}",
    "NL": r"\d{4} ?[A-Z]{2}",
    "NO": r"\d{4}",
    "PL": r"\d{2}-\d{3}",
    "PT": r"\d{4}-\d{3}",
    "SE": r"\d{3} ?\d{2}",
    "US": r"\d{5}(-\d{4})?",
}

POSTAL_CODE_EXAMPLES = {
    "AT": "1010",
    "BE": "1000",
    "CH": "8001",
    "CZ": "110 00",
    "DE": "10115",
    "DK": "1050",
    "ES": "28001",
    "FI": "00100",
    "FR": "75001",
    "GB": "SW1A 1AA",
    "IT": "00184",
    "LU": "L-1009",
    "NL": "1012 AB",
    "NO": "0150",
    "PL": "00-001",
    "PT": "1100-148",
    "SE": "111 22",
    "US": "10001",
}


def validate_postal_code(country_code: str, postal_code: str) -> None:
    """Raise a ValidationError naming the field when the code does not fit the country."""
    pattern = POSTAL_CODE_PATTERNS.get(str(country_code).upper())
    if pattern and not re.fullmatch(pattern, postal_code.strip().upper()):
        raise ValidationError(
            {
                "postal_code": _(
                    "“%(code)s” is not a valid postal code for %(country)s, e.g. %(example)s."
                )
                % {
                    "code": postal_code,
                    "country": country_code,
                    "example": POSTAL_CODE_EXAMPLES[str(country_code).upper()],
                }
            }
        )


class PostalAddress(models.Model):
    """Abstract address in the shape every carrier needs (street and house number apart)."""

    contact_name = models.CharField(_("name / contact"), max_length=100, blank=True)
    company_name = models.CharField(_("company"), max_length=100, blank=True)
    street = models.CharField(_("street"), max_length=100)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12)
    city = models.CharField(_("city"), max_length=60)
    country = CountryField(_("country"))
    state_code = models.CharField(
        _("state / province"),
        max_length=10,
        blank=True,
        help_text=_("ISO 3166-2 code where the country needs one, e.g. IT-RM or US-NY."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.country and self.postal_code:
            validate_postal_code(self.country.code, self.postal_code)

    def address_lines(self) -> list[str]:
        street = " ".join(part for part in (self.street, self.house_number) if part)
        lines = [self.company_name, self.contact_name, street, self.address_line_2]
        lines.append(f"{self.postal_code} {self.city}")
        lines.append(str(self.country.name) if self.country else "")
        return [line for line in lines if line]

    def one_line(self) -> str:
        return ", ".join(self.address_lines())


# Every field of a postal address, in the order people write one: what is copied from a
# customer's address to a delivery order and what the REST API shows.
ADDRESS_FIELDS = tuple(field.name for field in PostalAddress._meta.local_fields)

"""Destination address rules the carriers refuse on: postal code formats of the big countries."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from backoffice.addresses import POSTAL_CODE_EXAMPLES, POSTAL_CODE_PATTERNS

# Countries whose addresses Sendcloud's carriers refuse without a state / province code.
COUNTRIES_NEEDING_STATE = {"US", "CA", "AU", "IT", "MX", "BR"}
STATE_EXAMPLES = {
    "US": "US-NY", "CA": "CA-ON", "AU": "AU-NSW", "IT": "IT-RM", "MX": "MX-CMX", "BR": "BR-SP",
}  # fmt: skip


def postal_code_problem(country: str, postal_code: str) -> str:
    """Why the postal code cannot be right for the country ("" when it can, or is unknown)."""
    country = (country or "").upper()
    pattern = POSTAL_CODE_PATTERNS.get(country)
    code = (postal_code or "").strip().upper()
    if not pattern or not code or re.fullmatch(pattern, code):
        return ""
    return _(
        "the postal code “%(code)s” is not valid for %(country)s (e.g. %(example)s); correct it "
        "on the delivery order."
    ) % {"code": postal_code, "country": country, "example": POSTAL_CODE_EXAMPLES[country]}


_NUMBER_LAST = re.compile(
    r"^(?P<street>.*?\D)\s*,?\s+(?P<number>\d+\s*[A-Za-z]?(?:\s*[-/]\s*\d+\s*[A-Za-z]?)?)$"
)
_NUMBER_FIRST = re.compile(r"^(?P<number>\d+[A-Za-z]?)\s+(?P<street>\D.*)$")


def split_street(street: str, house_number: str = "") -> tuple[str, str]:
    """Street and house number apart: "Hauptstraße 5a" → ("Hauptstraße", "5a"),
    "10 Downing Street" → ("Downing Street", "10"); a given house number wins."""
    street = " ".join(street.split())
    if house_number.strip():
        return street, house_number.strip()
    match = _NUMBER_LAST.match(street) or _NUMBER_FIRST.match(street)
    if match:
        return match.group("street").strip(" ,"), match.group("number").replace(" ", "")
    return street, ""

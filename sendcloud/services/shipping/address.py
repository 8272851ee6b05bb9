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

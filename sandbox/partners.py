"""``Sendcloud-Partner-Id`` and the v2 parcel-creation cutoff.

* v2 (reference v2 §2.3, §5.6.1): the header is optional on ``POST /parcels``; a malformed id
  answers 400 "party is not a valid choice", an unknown one 404.
* v3 (reference v3 §2.4, §6.4): optional on the create endpoints; malformed → 400 (the header's
  description), well-formed but unknown → 404 with the body of the shipments bundle's example.
  The two statuses are a spec conflict; a careful client treats both as "fix the id".
* v2 ``POST /parcels`` is closed to accounts created on or after 2026-04-13 unless a valid
  partner id is sent (reference v2 §1, v3 §1, §18). The answer is not documented [INF]: 403
  in the v2 error shape, saying what to use instead.

Known partner ids: ``DEFAULT_PARTNER_IDS``, or the comma list in ``SANDBOX_PARTNER_IDS`` when
the sandbox starts, or whatever ``POST /_sandbox/partners`` set last.
"""

import os
import uuid
from datetime import UTC, datetime

from flask import request

from .errors import v2_error, v3_error

HEADER = "Sendcloud-Partner-Id"
DEFAULT_PARTNER_IDS = (
    "4b8f3e52-6c1d-4f0a-9a57-2d6e8c1b9f30",
    "c2a9d7e4-1b3f-4e6a-8d20-7f5b9a3c6e11",
)
CUTOFF = datetime(2026, 4, 13, tzinfo=UTC).timestamp()
# Where v3 validates the header (v3 §2.4; returns and address validation are not served).
V3_CREATE = {
    "/api/v3/orders",
    "/api/v3/orders/create-labels-async",
    "/api/v3/orders/create-label-sync",
    "/api/v3/shipments",
    "/api/v3/shipments/announce",
}
# The reference quotes the text only; the v2 error shape is the generic one (v2 §3.1).
V2_MALFORMED = "party is not a valid choice"
V2_UNKNOWN = "No Partner matches the given query."  # [INF] DRF's 404 wording, as for parcels
V2_CLOSED = (
    "Creating parcels with API v2 is not available for accounts created on or after "
    "2026-04-13. Create shipments with API v3 (POST /api/v3/shipments) or send your "
    "Sendcloud-Partner-Id."
)
V3_MALFORMED = "The partner ID is not a valid UUID."
V3_UNKNOWN = "The partner ID was not found."


def normalise(value: str) -> str | None:
    """The canonical (lower-case, hyphenated) UUID, or None when ``value`` is not one."""
    try:
        return str(uuid.UUID(value.strip()))
    except (AttributeError, ValueError):
        return None


def configured_ids() -> list[str]:
    """The known ids at start-up: ``SANDBOX_PARTNER_IDS`` (comma list) or the defaults."""
    raw = os.environ.get("SANDBOX_PARTNER_IDS", "")
    ids = [normalise(part) for part in raw.split(",") if part.strip()]
    return [i for i in ids if i] or list(DEFAULT_PARTNER_IDS)


def _header() -> str | None:
    return request.headers.get(HEADER)


def v3_check(state):
    """The 400/404 of a create call with a bad partner id, or None."""
    value = _header()
    if value is None or request.method != "POST" or request.path.rstrip("/") not in V3_CREATE:
        return None
    partner = normalise(value)
    if partner is None:
        return v3_error(400, V3_MALFORMED, "invalid", source={"header": HEADER})
    if partner not in state.partner_ids:
        return v3_error(404, V3_UNKNOWN, "not_found", title="Not found")
    return None


def v2_parcels_check(state, account: dict):
    """The error of a v2 ``POST /parcels`` that may not go ahead, or None."""
    value = _header()
    if value is not None:
        partner = normalise(value)
        if partner is None:
            return v2_error(400, V2_MALFORMED)
        if partner not in state.partner_ids:
            return v2_error(404, V2_UNKNOWN)
        return None
    if state.accounts.registered(account) >= CUTOFF:
        return v2_error(403, V2_CLOSED)
    return None

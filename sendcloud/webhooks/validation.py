"""Refuse a signed event whose values cannot be true: numbers no database column holds, a time
no calendar has. Such an event is kept in the inbox as refused with the reason; it would
otherwise fail with an OverflowError in the middle of a handler and wait for a replay that
can never succeed."""

from datetime import UTC, datetime

from django.utils.translation import gettext_noop

from sendcloud.client import as_int

# Sendcloud's ids and our columns are 64-bit signed integers (PostgreSQL bigint, SQLite INTEGER).
LARGEST_ID = 2**63 - 1
# (object, key) of every id a handler reads; "" is the payload itself.
ID_FIELDS = [
    ("parcel", "id"),
    ("", "integration_id"),
    ("integration", "id"),
    ("data", "id"),
    ("", "return_id"),
    ("refund", "incoming_parcel"),
]


def webhook_payload_refusal(payload: dict) -> str:
    """The reason to refuse the event (a msgid for gettext), or "" when its values can be true."""
    if _holds_too_large_a_number(payload) or any(
        abs(number) > LARGEST_ID for number in _ids(payload) if number is not None
    ):
        return gettext_noop(
            "The message holds a number larger than any Sendcloud id (e.g. the parcel id); "
            "it was refused."
        )
    if not _is_time_or_missing(payload.get("timestamp")):
        return gettext_noop(
            "The message's timestamp is not a time (milliseconds since 1970 up to the year "
            "9999); it was refused."
        )
    return ""


def _holds_too_large_a_number(payload) -> bool:
    stack = [payload]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST_ID:
            return True
    return False


def _ids(payload: dict):
    """The ids the handlers look rows up by, also when sent as digit strings."""
    for outer, key in ID_FIELDS:
        container = payload.get(outer) if outer else payload
        if isinstance(container, dict):
            yield as_int(container.get(key))


def _is_time_or_missing(value) -> bool:
    """A number of milliseconds a datetime can hold; anything that is not a number counts as a
    missing time (the status rule then keeps a stored status that has one)."""
    number = as_int(value)
    if number is None:
        return True
    try:
        datetime.fromtimestamp(number / 1000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return False
    return True

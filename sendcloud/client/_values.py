"""Lenient converters for the value formats Sendcloud mixes (reference v2 §3.2, v3 §3.4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_IDS = 100  # ids per list filter (v2 and v3 alike)

# v2 parcels and invoices use DD-MM-YYYY HH:MM:SS in UTC without a zone suffix; one fixture
# even drops the space between date and time, so both spellings are accepted.
_V2_FORMATS = ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d%H:%M:%S")


def as_str(value: Any) -> str | None:
    """A string, or None for null; numbers become their text (order numbers come back as either)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return None


def as_nullable_str(value: Any) -> str | None:
    """Like as_str, but the literal "null" of some official examples also means no value."""
    text = as_str(value)
    return None if text in (None, "null") else text


def as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_decimal(value: Any) -> Decimal | None:
    """Weights, dimensions and prices arrive as strings or numbers; keep them exact."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def str_list(value: Any) -> tuple[str, ...]:
    return tuple(s for s in (as_str(v) for v in as_list(value)) if s is not None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_iso(value: Any) -> datetime | None:
    """ISO 8601 with `Z`, an offset, a space separator or no zone (then UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _aware(datetime.fromisoformat(value.strip()))
    except ValueError:
        return parse_v2_datetime(value) if "-" in value[:3] else None


def parse_v2_datetime(value: Any) -> datetime | None:
    """`DD-MM-YYYY HH:MM:SS` (UTC) as used by v2 parcels and invoices; ISO as a fallback."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for fmt in _V2_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def parse_epoch_ms(value: Any) -> datetime | None:
    number = as_int(value)
    if number is None:
        return None
    return datetime.fromtimestamp(number / 1000, tz=UTC)


def format_query_datetime(value: datetime | str) -> str:
    """ISO 8601 with offset for v2/v3 `*_after`/`*_before` filters; naive means UTC."""
    if isinstance(value, str):
        return value
    return _aware(value).isoformat()


def comma_list(values: Iterable[Any] | None, what: str) -> str | None:
    """An id filter as Sendcloud takes it: comma-separated, at most MAX_IDS values."""
    if values is None:
        return None
    items = [str(v) for v in values]
    if len(items) > MAX_IDS:
        raise ValueError(f"at most {MAX_IDS} {what} per request, got {len(items)}")
    return ",".join(items)

"""Parsers for the value objects shared by several resources."""

from __future__ import annotations

from typing import Any

from .._values import as_decimal, as_dict, as_int, as_list, as_nullable_str, as_str
from ..errors import InvalidResponse
from ..types.common import (
    Address,
    Carrier,
    Dimensions,
    Document,
    Money,
    ParcelItem,
    ParcelStatus,
    TaxNumber,
    Weight,
)
from ..types.statuses import CODE_BY_ID, ID_BY_CODE


def require_dict(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidResponse(f"expected an object for {what}, got {type(value).__name__}")
    return value


def require_id(data: dict, what: str, key: str = "id") -> int:
    value = as_int(data.get(key))
    if value is None:
        raise InvalidResponse(f"{what} without a usable {key!r}")
    return value


def unwrap(body: Any, key: str, what: str) -> dict:
    """`body[key]` when wrapped, else the body itself (envelopes differ per endpoint, v3 §3.1)."""
    body = require_dict(body, what)
    inner = body.get(key)
    return require_dict(inner, what) if isinstance(inner, dict) else body


def parse_money(value: Any) -> Money | None:
    if isinstance(value, dict):
        return Money(as_decimal(value.get("value")), as_str(value.get("currency")))
    amount = as_decimal(value)
    return Money(amount, None) if amount is not None else None


def parse_weight(value: Any, default_unit: str = "kg") -> Weight | None:
    """`{"value": "1.320", "unit": "kg"}` (v3) or a bare `"2.000"` kilogram string (v2)."""
    if isinstance(value, dict):
        return Weight(as_decimal(value.get("value")), as_str(value.get("unit")) or default_unit)
    amount = as_decimal(value)
    return Weight(amount, default_unit) if amount is not None else None


def parse_dimensions(value: Any) -> Dimensions | None:
    if not isinstance(value, dict):
        return None
    return Dimensions(
        as_decimal(value.get("length")),
        as_decimal(value.get("width")),
        as_decimal(value.get("height")),
        as_str(value.get("unit")) or "cm",
    )


def parse_address(value: Any) -> Address | None:
    """A v3 address; the literal string "null" in official examples counts as empty."""
    if not isinstance(value, dict):
        return None
    return Address(
        **{name: as_nullable_str(value.get(name)) for name in Address.__dataclass_fields__}
    )


def parse_tax_numbers(value: Any) -> tuple[TaxNumber, ...]:
    return tuple(
        TaxNumber(as_str(t.get("name")), as_str(t.get("country_code")), as_str(t.get("value")))
        for t in as_list(value)
        if isinstance(t, dict)
    )


def parse_status(value: Any) -> ParcelStatus | None:
    """A status as `{"id": 1000, ...}`, `{"code": "READY_TO_SEND", ...}`, a bare int or a string.

    Both vocabularies are completed from the §11.1 table when the status is a known one.
    """
    if value is None:
        return None
    data = value if isinstance(value, dict) else {"id": value}
    message = as_str(data.get("message"))
    status_id = as_int(data.get("id"))
    code = as_str(data.get("code"))
    raw_id = data.get("id")
    if status_id is None and isinstance(raw_id, str) and raw_id.strip():
        code = code or raw_id.strip()  # a code where an id was expected
    if code is not None and as_int(code) is not None:
        status_id, code = status_id if status_id is not None else as_int(code), None
    if code is not None:
        code = code.strip().upper().replace("-", "_").replace(" ", "_")
    if status_id is None and code is not None:
        status_id = ID_BY_CODE.get(code)
    if code is None and status_id is not None:
        code = CODE_BY_ID.get(status_id)
    if status_id is None and code is None and message is None:
        return None
    return ParcelStatus(code, status_id, message)


def parse_document(value: Any) -> Document | None:
    if not isinstance(value, dict):
        return None
    return Document(
        as_str(value.get("type")),
        as_str(value.get("size")),
        as_str(value.get("link")),
        as_str(value.get("document_type")),
    )


def parse_documents(value: Any) -> tuple[Document, ...]:
    return tuple(d for d in (parse_document(v) for v in as_list(value)) if d is not None)


def parse_carrier(value: Any) -> Carrier | None:
    if isinstance(value, dict):
        code = as_str(value.get("code"))
        return Carrier(code, as_str(value.get("name"))) if code else None
    code = as_str(value)
    return Carrier(code) if code else None


def parse_parcel_item(value: Any) -> ParcelItem | None:
    """A v2 (`weight` string, `value` number) or v3 (`weight`/`price` objects) item."""
    if not isinstance(value, dict):
        return None
    price = value.get("price", value.get("value"))
    reason = as_dict(value.get("return_reason"))
    return ParcelItem(
        description=as_str(value.get("description")),
        quantity=as_int(value.get("quantity")),
        weight=parse_weight(value.get("weight")),
        price=parse_money(price),
        hs_code=as_str(value.get("hs_code")),
        origin_country=as_str(value.get("origin_country") or value.get("country_of_origin")),
        sku=as_str(value.get("sku")),
        product_id=as_str(value.get("product_id")),
        item_id=as_str(value.get("item_id")),
        properties=dict(as_dict(value.get("properties"))),
        return_reason_id=as_int(
            reason.get("id")
            if reason
            else value.get("return_reason_id", value.get("return_reason"))
        ),
        return_reason=as_str(reason.get("description")) if reason else None,
        return_message=as_str(value.get("return_message")) or None,
    )


def parse_items(value: Any) -> tuple[ParcelItem, ...]:
    return tuple(i for i in (parse_parcel_item(v) for v in as_list(value)) if i is not None)

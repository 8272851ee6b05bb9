"""Value objects shared by several resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Money:
    value: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class Weight:
    value: Decimal | None
    unit: str | None = "kg"


@dataclass(frozen=True)
class Dimensions:
    length: Decimal | None
    width: Decimal | None
    height: Decimal | None
    unit: str | None = "cm"


@dataclass(frozen=True)
class TaxNumber:
    name: str | None
    country_code: str | None
    value: str | None


@dataclass(frozen=True)
class Address:
    """The v3 address shape; v2 addresses are mapped onto it by the parsers."""

    name: str | None = None
    company_name: str | None = None
    address_line_1: str | None = None
    house_number: str | None = None
    address_line_2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    po_box: str | None = None
    state_province_code: str | None = None
    country_code: str | None = None
    email: str | None = None
    phone_number: str | None = None


@dataclass(frozen=True)
class ParcelStatus:
    """A parcel status in both vocabularies: v3 `code` and v2 numeric `id`, whichever is known.

    The other one is filled from the §11.1 join table when the status is a known one.
    """

    code: str | None
    id: int | None
    message: str | None


@dataclass(frozen=True)
class Document:
    type: str | None
    size: str | None
    link: str | None
    document_type: str | None = None


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str | None = None


@dataclass(frozen=True)
class ParcelItem:
    description: str | None
    quantity: int | None
    weight: Weight | None
    price: Money | None
    hs_code: str | None = None
    origin_country: str | None = None
    sku: str | None = None
    product_id: str | None = None
    item_id: str | None = None
    properties: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)
    # Returns: why the customer sent the item back (v3 §10.4 `return_reason` {id, description};
    # v3 §10.1 `return_reason_id`, `return_message`).
    return_reason_id: int | None = None
    return_reason: str | None = None
    return_message: str | None = None

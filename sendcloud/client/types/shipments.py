"""Typed requests for creating labels (v3 shipments, v2 parcels) and what a cancel answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .common import Address

LABEL_PDF = "application/pdf"
LABEL_ZPL = "application/zpl"
LABEL_PNG = "image/png"


@dataclass(frozen=True)
class ItemRequest:
    """One line of a parcel's contents; weight and value are per unit (customs declarations)."""

    description: str
    quantity: int
    weight_kg: Decimal
    value: Decimal
    hs_code: str | None = None
    origin_country: str | None = None
    sku: str | None = None
    item_id: str | None = None


@dataclass(frozen=True)
class ParcelRequest:
    weight_kg: Decimal
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None
    items: tuple[ItemRequest, ...] = ()
    insured_value: Decimal | None = None
    label_notes: tuple[str, ...] = ()

    @property
    def has_dimensions(self) -> bool:
        return None not in (self.length_cm, self.width_cm, self.height_cm)


@dataclass(frozen=True)
class CustomsRequest:
    """v3 `customs_information` (v2 `customs_information` with a numeric shipment type)."""

    invoice_number: str
    export_reason: str = "commercial_goods"  # gift | documents | commercial_goods | ...sample
    export_type: str = "commercial_b2c"  # private | commercial_b2c | commercial_b2b
    invoice_date: date | None = None


@dataclass(frozen=True)
class ShipmentRequest:
    """Everything one label needs, in the back office's terms; builders turn it into v3 or v2.

    `external_reference_id` identifies this *attempt*: Sendcloud refuses a second shipment with
    it (v3 409, v2 unique `external_reference`), and it is what a lost answer is looked up by.
    """

    to_address: Address
    parcels: tuple[ParcelRequest, ...]
    external_reference_id: str
    shipping_option_code: str | None = None
    contract_id: int | None = None
    shipping_method_id: int | None = None  # v2 only: the numeric method
    sender_address_id: int | None = None
    from_address: Address | None = None
    order_number: str | None = None
    reference: str | None = None
    currency: str = "EUR"
    total_order_value: Decimal | None = None
    service_point_id: str | None = None
    post_number: str | None = None  # DHL Packstation: the recipient's Postnummer
    customs: CustomsRequest | None = None
    brand_id: int | None = None
    label_mime_type: str = LABEL_PDF
    apply_shipping_rules: bool = False
    extra: dict = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.parcels:
            raise ValueError("a shipment needs at least one parcel")
        if not self.external_reference_id:
            raise ValueError("every create carries an external reference (never-twice rule)")


@dataclass(frozen=True)
class CancelOutcome:
    """What a cancel ended in, in one vocabulary for both generations.

    `cancelled` (done), `queued` (Sendcloud watches it up to 14 days), `deleted` (v2: never
    announced, removed), `rejected` (too late / already cancelling — `message` says why),
    `not_found` (Sendcloud does not know it).
    """

    status: str
    message: str
    http_status: int
    generation: str

    @property
    def is_final(self) -> bool:
        return self.status in ("cancelled", "deleted")

    @property
    def accepted(self) -> bool:
        return self.status in ("cancelled", "queued", "deleted")

"""v3 shipments (with their parcels) and v2 parcels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .common import Address, Carrier, Dimensions, Document, Money, ParcelItem, ParcelStatus, Weight


@dataclass(frozen=True)
class ShipmentParcel:
    id: int
    status: ParcelStatus | None
    tracking_number: str | None
    tracking_url: str | None
    weight: Weight | None
    dimensions: Dimensions | None
    documents: tuple[Document, ...] = ()
    items: tuple[ParcelItem, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    announced_at: datetime | None = None
    label_file: str | None = field(default=None, repr=False)
    label_notes: tuple[str, ...] = ()
    package_type: str | None = None
    additional_insured_price: Money | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class Shipment:
    """v3 shipment. The id is a string (UUID or digits); parcel ids are integers."""

    id: str
    parcels: tuple[ShipmentParcel, ...]
    from_address: Address | None
    to_address: Address | None
    carrier: Carrier | None
    shipping_option_code: str | None
    contract_id: int | None
    order_number: str | None
    external_reference_id: str | None
    reference: str | None
    brand_id: int | None
    total_order_price: Money | None
    to_service_point_id: str | None = None
    errors: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)

    @property
    def announcement_failed(self) -> bool:
        """Sync announce answers 201 even when the carrier refused (v3 §6.4)."""
        return any(p.status and p.status.code == "ANNOUNCEMENT_FAILED" for p in self.parcels)


@dataclass(frozen=True)
class ParcelV2:
    """v2 parcel (also the `parcel` of classic webhooks). Dates are aware UTC datetimes."""

    id: int
    status: ParcelStatus | None
    tracking_number: str | None
    tracking_url: str | None
    recipient: Address
    order_number: str | None
    external_reference: str | None
    external_order_id: str | None
    external_shipment_id: str | None
    shipment_uuid: str | None
    shipping_method_id: int | None
    shipping_method_name: str | None
    carrier_code: str | None
    weight: Decimal | None
    is_return: bool | None
    documents: tuple[Document, ...] = ()
    items: tuple[ParcelItem, ...] = ()
    label_printer_url: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    date_announced: datetime | None = None
    colli_uuid: str | None = None
    collo_nr: int | None = None
    collo_count: int | None = None
    dimensions: Dimensions | None = None
    carrier_name: str | None = None  # webhook bodies only (v2 §7.2); lists carry the code
    total_order_value: Money | None = None
    insured_value: Decimal | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)

"""v3 returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .common import Address, Dimensions, Money, ParcelItem, Weight


@dataclass(frozen=True)
class StatusEvent:
    at: datetime | None
    parent_status: str | None
    carrier_code: str | None
    carrier_message: str | None


@dataclass(frozen=True)
class Return:
    """v3 return. The official schema has no `id` in list items (v3 §10.4), so it may be None."""

    id: int | None
    parcel_id: int | None
    status: str | None
    from_address: Address | None
    to_address: Address | None
    tracking_number: str | None
    tracking_url: str | None
    order_number: str | None
    shipping_product_code: str | None
    shipping_option_code: str | None
    brand_id: int | None
    collo_count: int | None
    weight: Weight | None
    dimensions: Dimensions | None
    reason_id: int | None
    reason: str | None
    refund_type: str | None
    is_cancellable: bool | None
    label_cost: Money | None
    return_fee: Money | None
    label_printer_url: str | None
    created_at: datetime | None
    delivered_at: datetime | None
    items: tuple[ParcelItem, ...] = ()
    status_history: tuple[StatusEvent, ...] = ()
    delivery_option: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class ReturnCreated:
    return_id: int | None
    parcel_id: int | None
    multi_collo_ids: tuple[int, ...] = ()

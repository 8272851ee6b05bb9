"""Smaller response objects: cancel outcomes, service points, orders, tracking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class CancelResult:
    """Outcome of a cancel: `cancelled`, `queued` (watched up to 14 days), `deleted` (v2 410)."""

    status: str | None
    message: str | None
    http_status: int


@dataclass(frozen=True)
class ServicePoint:
    id: int
    code: str | None
    name: str | None
    carrier: str | None
    street: str | None
    house_number: str | None
    postal_code: str | None
    city: str | None
    country: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    is_active: bool | None
    distance_m: int | None = None
    opening_times: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)
    # 2020 records lack both shop types (v2 §5.15); None then, never a guess.
    shop_type: str | None = None
    general_shop_type: str | None = None  # servicepoint | locker | post_office | carrier_depot
    open_tomorrow: bool | None = None
    open_upcoming_week: bool | None = None

    @property
    def is_locker(self) -> bool:
        """A parcel locker (DHL Packstation and the like)."""
        return self.general_shop_type == "locker"

    def opening_hours(self) -> list[tuple[int, tuple[str, ...]]]:
        """(weekday 0 = Monday … 6, slots) for the whole week; a day without slots is closed."""
        return [(day, self.opening_times.get(str(day), ())) for day in range(7)]


@dataclass(frozen=True)
class OrderRef:
    """What `POST /orders` and `PATCH /orders/{id}` return per order."""

    id: str | None
    order_id: str | None
    order_number: str | None


@dataclass(frozen=True)
class Order:
    """v3 order (Incoming orders). Ids are kept as strings (int in some responses, v3 §15.3)."""

    id: str | None
    order_id: str | None
    order_number: str | None
    integration_id: int | None
    status_code: str | None
    payment_status_code: str | None
    created_at: datetime | None
    updated_at: datetime | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class TrackingEvent:
    at: datetime | None
    event_type: str | None
    status_code: str | None
    description: str | None


@dataclass(frozen=True)
class Tracking:
    tracking_numbers: tuple[str, ...]
    carrier_code: str | None
    is_return: bool | None
    expected_delivery_date: str | None
    events: tuple[TrackingEvent, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)


@dataclass(frozen=True)
class LabelResult:
    """One shipment made by Ship-an-Order (sync: with label bytes; async: ids only, poll later)."""

    shipment_id: str | None
    order_id: str | None
    order_number: str | None
    parcel_ids: tuple[int, ...]
    tracking_number: str | None = None
    tracking_url: str | None = None
    label_file: str | None = field(default=None, repr=False)
    label_mime_type: str | None = None
    documents: tuple[Any, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False)

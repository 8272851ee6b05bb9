"""Parsers for cancel outcomes, service points, orders and tracking."""

from __future__ import annotations

from typing import Any

from .._values import as_bool, as_decimal, as_dict, as_int, as_list, as_str, parse_iso, str_list
from ..types.misc import (
    CancelResult,
    LabelResult,
    Order,
    OrderRef,
    ServicePoint,
    Tracking,
    TrackingEvent,
)
from .common import parse_documents, require_dict, require_id, unwrap


def parse_cancel_result(body: Any, http_status: int) -> CancelResult:
    """v2 `{"status", "message"}`, v3 `{"data": {...}}` or `{"message"}` (return cancel)."""
    data = unwrap(body, "data", "cancel result") if body is not None else {}
    return CancelResult(as_str(data.get("status")), as_str(data.get("message")), http_status)


def parse_service_point(body: Any) -> ServicePoint:
    data = require_dict(body, "service point")
    times = {
        str(day): str_list(slots)
        for day, slots in as_dict(data.get("formatted_opening_times")).items()
    }
    return ServicePoint(
        id=require_id(data, "service point"),
        code=as_str(data.get("code")),
        name=as_str(data.get("name")),
        carrier=as_str(data.get("carrier")),
        street=as_str(data.get("street")),
        house_number=as_str(data.get("house_number")),
        postal_code=as_str(data.get("postal_code")),
        city=as_str(data.get("city")),
        country=as_str(data.get("country")),
        latitude=as_decimal(data.get("latitude")),
        longitude=as_decimal(data.get("longitude")),
        is_active=as_bool(data.get("is_active")),
        distance_m=as_int(data.get("distance")),
        opening_times=times,
        raw=data,
        shop_type=as_str(data.get("shop_type")),
        general_shop_type=as_str(data.get("general_shop_type")),
        open_tomorrow=as_bool(data.get("open_tomorrow")),
        open_upcoming_week=as_bool(data.get("open_upcoming_week")),
    )


def parse_order_ref(value: Any) -> OrderRef:
    data = require_dict(value, "order reference")
    return OrderRef(
        as_str(data.get("id")), as_str(data.get("order_id")), as_str(data.get("order_number"))
    )


def parse_order(body: Any) -> Order:
    data = unwrap(body, "data", "order")
    details = as_dict(data.get("order_details"))
    payment = as_dict(data.get("payment_details"))
    return Order(
        id=as_str(data.get("id")),
        order_id=as_str(data.get("order_id")),
        order_number=as_str(data.get("order_number")),
        integration_id=as_int(as_dict(details.get("integration")).get("id")),
        status_code=as_str(as_dict(details.get("status")).get("code")),
        payment_status_code=as_str(as_dict(payment.get("status")).get("code")),
        created_at=parse_iso(data.get("created_at")),
        updated_at=parse_iso(data.get("modified_at")),
        raw=data,
    )


def parse_tracking(body: Any) -> Tracking:
    data = require_dict(body, "tracking")
    details = as_dict(data.get("details"))
    numbers = [t for t in as_list(data.get("tracking_numbers")) if isinstance(t, dict)]
    events = tuple(
        TrackingEvent(
            parse_iso(e.get("event_at")),
            as_str(e.get("event_type")),
            as_str(e.get("status_code")),
            as_str(e.get("status_description")),
        )
        for e in as_list(data.get("events"))
        if isinstance(e, dict)
    )
    return Tracking(
        tracking_numbers=tuple(n for n in (as_str(t.get("tracking_number")) for t in numbers) if n),
        carrier_code=as_str(numbers[0].get("carrier_code")) if numbers else None,
        is_return=as_bool(details.get("is_return")),
        expected_delivery_date=as_str(details.get("expected_delivery_date")),
        events=events,
        raw=data,
    )


def _label_result(data: dict) -> LabelResult:
    # The schema says `label_details`, the official example `label` (v3 §5.2): accept both.
    label = as_dict(data.get("label_details") or data.get("label"))
    ids = [as_int(i) for i in as_list(data.get("parcels_ids"))]
    if not ids and as_int(data.get("parcel_id")) is not None:
        ids = [as_int(data.get("parcel_id"))]
    return LabelResult(
        shipment_id=as_str(data.get("shipment_id")),
        order_id=as_str(data.get("order_id")),
        order_number=as_str(data.get("order_number")),
        parcel_ids=tuple(i for i in ids if i is not None),
        tracking_number=as_str(data.get("tracking_number")),
        tracking_url=as_str(data.get("tracking_url")),
        label_file=as_str(label.get("file")),
        label_mime_type=as_str(label.get("mime_type")),
        documents=parse_documents(data.get("documents")),
        raw=data,
    )


def parse_label_results(body: Any) -> tuple[list[LabelResult], list[dict]]:
    """Ship-an-Order answers: `data` as an object or a list, plus per-order `errors`."""
    envelope = require_dict(body, "label result")
    data = envelope.get("data")
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    errors = [e for e in as_list(envelope.get("errors")) if isinstance(e, dict)]
    return [_label_result(i) for i in items if isinstance(i, dict)], errors

"""Parsers for v3 returns."""

from __future__ import annotations

from typing import Any

from .._values import as_bool, as_dict, as_int, as_list, as_str, parse_epoch_ms, parse_iso
from ..types.returns import Return, ReturnCreated, StatusEvent
from .common import (
    parse_address,
    parse_dimensions,
    parse_items,
    parse_money,
    parse_weight,
    require_dict,
    unwrap,
)


def parse_return(body: Any) -> Return:
    """A v3 return; bare per the schema, `{"data": ...}` as one client expects (v3 §10.5)."""
    data = unwrap(body, "data", "return")
    reason = as_dict(data.get("reason"))
    refund = as_dict(data.get("refund"))
    label = as_dict(data.get("label"))
    history = tuple(
        StatusEvent(
            parse_iso(h.get("carrier_update_timestamp")),
            as_str(h.get("parent_status")),
            as_str(h.get("carrier_code")),
            as_str(h.get("carrier_message")),
        )
        for h in as_list(data.get("status_history"))
        if isinstance(h, dict)
    )
    delivered = parse_iso(data.get("delivered_at_iso")) or parse_epoch_ms(data.get("delivered_at"))
    return Return(
        id=as_int(data.get("id", data.get("return_id"))),
        parcel_id=as_int(data.get("parcel_id", data.get("incoming_parcel"))),
        status=as_str(data.get("status")),
        from_address=parse_address(data.get("from_address")),
        to_address=parse_address(data.get("to_address")),
        tracking_number=as_str(data.get("tracking_number")) or None,
        tracking_url=as_str(data.get("tracking_url")) or None,
        order_number=as_str(data.get("order_number")) or None,
        shipping_product_code=as_str(as_dict(data.get("shipping_product")).get("code")),
        shipping_option_code=as_str(as_dict(data.get("shipping_option")).get("code")),
        brand_id=as_int(data.get("brand_id")),
        collo_count=as_int(data.get("collo_count")),
        weight=parse_weight(data.get("weight")),
        dimensions=parse_dimensions(data.get("dimensions")),
        reason_id=as_int(reason.get("id")),
        reason=as_str(reason.get("description")),
        refund_type=as_str(refund.get("refund_type")),
        is_cancellable=as_bool(data.get("is_cancellable")),
        label_cost=parse_money(data.get("label_cost")),
        return_fee=parse_money(data.get("return_fee")),
        label_printer_url=as_str(label.get("label_printer") or data.get("label_url")),
        created_at=parse_iso(data.get("created_at")),
        delivered_at=delivered,
        items=parse_items(data.get("parcel_items")),
        status_history=history,
        delivery_option=as_str(data.get("delivery_option")),
        raw=data,
    )


def parse_return_created(body: Any) -> ReturnCreated:
    data = require_dict(body, "return creation")
    return ReturnCreated(
        as_int(data.get("return_id")),
        as_int(data.get("parcel_id")),
        tuple(
            i for i in (as_int(v) for v in as_list(data.get("multi_collo_ids"))) if i is not None
        ),
    )

"""Parsers for v3 shipments and v2 parcels."""

from __future__ import annotations

from typing import Any

from .._values import (
    as_bool,
    as_decimal,
    as_dict,
    as_int,
    as_list,
    as_str,
    parse_iso,
    parse_v2_datetime,
)
from ..errors import InvalidResponse
from ..types.common import Address, Dimensions, Money
from ..types.parcels import ParcelV2, Shipment, ShipmentParcel
from .common import (
    parse_address,
    parse_carrier,
    parse_dimensions,
    parse_documents,
    parse_items,
    parse_money,
    parse_status,
    parse_weight,
    require_dict,
    require_id,
    unwrap,
)


def parse_shipment_parcel(value: Any) -> ShipmentParcel:
    data = require_dict(value, "shipment parcel")
    return ShipmentParcel(
        id=require_id(data, "shipment parcel"),
        status=parse_status(data.get("status")),
        tracking_number=as_str(data.get("tracking_number")) or None,
        tracking_url=as_str(data.get("tracking_url")) or None,
        weight=parse_weight(data.get("weight")),
        dimensions=parse_dimensions(data.get("dimensions")),
        documents=parse_documents(data.get("documents")),
        items=parse_items(data.get("parcel_items")),
        created_at=parse_iso(data.get("created_at")),
        updated_at=parse_iso(data.get("updated_at")),
        announced_at=parse_iso(data.get("announced_at")),
        label_file=as_str(data.get("label_file")),
        label_notes=tuple(n for n in (as_str(v) for v in as_list(data.get("label_notes"))) if n),
        package_type=as_str(data.get("package_type")),
        additional_insured_price=parse_money(data.get("additional_insured_price")),
        raw=data,
    )


def parse_shipment(body: Any) -> Shipment:
    """A v3 shipment, wrapped in `data` or bare (list items)."""
    data = unwrap(body, "data", "shipment")
    shipment_id = as_str(data.get("id"))
    if not shipment_id:
        raise InvalidResponse("shipment without an id")
    ship_with = as_dict(data.get("ship_with"))
    properties = as_dict(ship_with.get("properties")) or ship_with  # returns use a flat shape
    to_service_point = as_dict(data.get("to_service_point"))
    return Shipment(
        id=shipment_id,
        parcels=tuple(parse_shipment_parcel(p) for p in as_list(data.get("parcels"))),
        from_address=parse_address(data.get("from_address")),
        to_address=parse_address(data.get("to_address")),
        carrier=parse_carrier(data.get("carrier")),
        shipping_option_code=as_str(properties.get("shipping_option_code")),
        contract_id=as_int(properties.get("contract_id")),
        order_number=as_str(data.get("order_number")),
        external_reference_id=as_str(data.get("external_reference_id")),
        reference=as_str(data.get("reference")),
        brand_id=as_int(data.get("brand_id")),
        total_order_price=parse_money(data.get("total_order_price")),
        to_service_point_id=as_str(
            to_service_point.get("id") or to_service_point.get("carrier_service_point_id")
        ),
        errors=tuple(e for e in as_list(data.get("errors")) if isinstance(e, dict)),
        raw=data,
    )


def _recipient(data: dict) -> Address:
    country = data.get("country")
    country_code = as_str(as_dict(country).get("iso_2")) if isinstance(country, dict) else None
    divided = as_dict(data.get("address_divided"))
    return Address(
        name=as_str(data.get("name")),
        company_name=as_str(data.get("company_name")) or None,
        address_line_1=as_str(data.get("address")),
        house_number=as_str(divided.get("house_number", data.get("house_number"))) or None,
        address_line_2=as_str(data.get("address_2")) or None,
        postal_code=as_str(data.get("postal_code")),
        city=as_str(data.get("city")),
        state_province_code=as_str(data.get("to_state")),
        country_code=country_code or as_str(country),
        email=as_str(data.get("email")) or None,
        phone_number=as_str(data.get("telephone")) or None,
    )


def _dimensions(data: dict) -> Dimensions | None:
    """v2 `length`, `width`, `height` (cm strings, all three or none)."""
    values = [as_decimal(data.get(k)) for k in ("length", "width", "height")]
    return Dimensions(*values, "cm") if any(v is not None for v in values) else None


def _order_value(data: dict) -> Money | None:
    value = as_decimal(data.get("total_order_value"))
    currency = as_str(data.get("total_order_value_currency"))
    return Money(value, currency) if value is not None else None


def parse_parcel_v2(body: Any) -> ParcelV2:
    """A v2 parcel (`{"parcel": ...}` or bare); also the parcel inside classic webhooks."""
    data = unwrap(body, "parcel", "parcel")
    shipment = as_dict(data.get("shipment"))
    label = as_dict(data.get("label"))
    carrier = data.get("carrier")
    return ParcelV2(
        id=require_id(data, "parcel"),
        status=parse_status(data.get("status")),
        tracking_number=as_str(data.get("tracking_number")) or None,
        tracking_url=as_str(data.get("tracking_url")) or None,
        recipient=_recipient(data),
        order_number=as_str(data.get("order_number")),
        external_reference=as_str(data.get("external_reference")),
        external_order_id=as_str(data.get("external_order_id")),
        external_shipment_id=as_str(data.get("external_shipment_id")) or None,
        shipment_uuid=as_str(data.get("shipment_uuid")),
        shipping_method_id=as_int(shipment.get("id", data.get("shipping_method"))),
        shipping_method_name=as_str(shipment.get("name")),
        carrier_code=as_str(as_dict(carrier).get("code") if isinstance(carrier, dict) else carrier),
        weight=as_decimal(data.get("weight")),
        is_return=as_bool(data.get("is_return")),
        documents=parse_documents(data.get("documents")),
        items=parse_items(data.get("parcel_items")),
        label_printer_url=as_str(label.get("label_printer")),
        date_created=parse_v2_datetime(data.get("date_created")),
        date_updated=parse_v2_datetime(data.get("date_updated")),
        date_announced=parse_v2_datetime(data.get("date_announced")),
        colli_uuid=as_str(data.get("colli_uuid")),
        collo_nr=as_int(data.get("collo_nr")),
        collo_count=as_int(data.get("collo_count")),
        dimensions=_dimensions(data),
        carrier_name=as_str(as_dict(carrier).get("name")) if isinstance(carrier, dict) else None,
        total_order_value=_order_value(data),
        insured_value=as_decimal(data.get("insured_value")),
        raw=data,
    )

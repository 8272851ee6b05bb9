"""Parsers for shipping options/methods, the shipping-options request body, status catalogues."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .._values import as_decimal, as_dict, as_int, as_list, as_str
from ..errors import InvalidResponse
from ..types.common import Money
from ..types.shipping import (
    MethodCountry,
    ParcelSpec,
    Quote,
    ShippingMethod,
    ShippingOption,
    ShippingOptionsQuery,
    ShippingOptionsResult,
)
from ..types.statuses import CODE_BY_ID, KNOWN_STATUSES, StatusMapping, StatusV2, StatusV3
from .common import (
    parse_carrier,
    parse_dimensions,
    parse_money,
    parse_weight,
    require_dict,
    require_id,
    unwrap,
)


def _quote(value: dict) -> Quote:
    price = as_dict(value.get("price"))
    breakdown = tuple(
        (as_str(b.get("type")) or "other", parse_money(b.get("price", b.get("value"))))
        for b in as_list(price.get("breakdown"))
        if isinstance(b, dict)
    )
    weight = as_dict(value.get("weight"))
    return Quote(
        as_int(value.get("lead_time")),
        parse_money(price.get("total")),
        breakdown,
        min_weight=parse_weight(weight.get("min")),
        max_weight=parse_weight(weight.get("max")),
    )


def parse_shipping_option(value: Any) -> ShippingOption:
    data = require_dict(value, "shipping option")
    code = as_str(data.get("code"))
    if not code:
        raise InvalidResponse("shipping option without a code")
    product = as_dict(data.get("product"))
    weight = as_dict(data.get("weight"))
    quotes = data.get("quotes")
    return ShippingOption(
        code=code,
        name=as_str(data.get("name")),
        carrier=parse_carrier(data.get("carrier")),
        product_code=as_str(product.get("code")),
        product_name=as_str(product.get("name")),
        contract_id=as_int(as_dict(data.get("contract")).get("id")),
        min_weight=parse_weight(weight.get("min")),
        max_weight=parse_weight(weight.get("max")),
        max_dimensions=parse_dimensions(data.get("max_dimensions")),
        functionalities=dict(as_dict(data.get("functionalities"))),
        requirements=dict(as_dict(data.get("requirements"))),
        charging_type=as_str(data.get("charging_type")),
        quotes=(
            tuple(_quote(q) for q in quotes if isinstance(q, dict))
            if isinstance(quotes, list)
            else None
        ),
        raw=data,
    )


def parse_shipping_options(body: Any, parse_option=None) -> ShippingOptionsResult:
    """`{"data": [...] | null, "message": ...}`; a null `data` is an empty result."""
    parse_option = parse_option or parse_shipping_option
    data = require_dict(body, "shipping options")
    options = data.get("data")
    if options is not None and not isinstance(options, list):
        raise InvalidResponse("shipping options `data` is neither a list nor null")
    return ShippingOptionsResult(
        tuple(parse_option(o) for o in options or ()), as_str(data.get("message"))
    )


def _text(value: Decimal | str | float | None) -> str | None:
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _money_body(value: Money | None) -> dict | None:
    if value is None:
        return None
    return {"value": _text(value.value), "currency": value.currency}


def _parcel_body(parcel: ParcelSpec) -> dict:
    body: dict[str, Any] = {}
    if None not in (parcel.length, parcel.width, parcel.height):
        body["dimensions"] = {
            "length": _text(parcel.length),
            "width": _text(parcel.width),
            "height": _text(parcel.height),
            "unit": parcel.dimension_unit,
        }
    body["weight"] = {"value": _text(parcel.weight), "unit": parcel.weight_unit}
    # The schema types insurance as a number, the official example as a price object (v3 §8.1);
    # we send the object form of the example, which is what the endpoint was seen to document.
    if parcel.additional_insured_price is not None:
        body["additional_insured_price"] = _money_body(parcel.additional_insured_price)
    if parcel.total_insured_price is not None:
        body["total_insured_price"] = _money_body(parcel.total_insured_price)
    return body


def shipping_options_body(query: ShippingOptionsQuery) -> dict[str, Any]:
    """The JSON body for `POST /shipping-options`; unset filters are left out."""
    body: dict[str, Any] = {}
    for name in (
        "from_country_code",
        "to_country_code",
        "from_postal_code",
        "to_postal_code",
    ):
        if getattr(query, name) is not None:
            body[name] = getattr(query, name)
    if query.parcels:
        body["parcels"] = [_parcel_body(p) for p in query.parcels]
    if query.to_service_point_id is not None:
        body["to_service_point"] = {"id": query.to_service_point_id}
    elif query.to_carrier_service_point_id is not None:
        body["to_service_point"] = {"carrier_service_point_id": query.to_carrier_service_point_id}
    for name in (
        "carrier_code",
        "contract_id",
        "shipping_product_code",
        "shipping_option_code",
        "lead_time",
    ):
        if getattr(query, name) is not None:
            body[name] = getattr(query, name)
    if query.functionalities is not None:
        body["functionalities"] = dict(query.functionalities)
    if query.calculate_quotes is not None:
        body["calculate_quotes"] = query.calculate_quotes
    return body


def parse_shipping_method(body: Any) -> ShippingMethod:
    data = unwrap(body, "shipping_method", "shipping method")
    countries = tuple(
        MethodCountry(
            iso_2=as_str(c.get("iso_2")),
            iso_3=as_str(c.get("iso_3")),
            name=as_str(c.get("name")),
            price=as_decimal(c.get("price")),
            lead_time_hours=as_int(c.get("lead_time_hours")),
            from_iso_2=as_str(c.get("from_iso_2")),
        )
        for c in as_list(data.get("countries"))
        if isinstance(c, dict)
    )
    return ShippingMethod(
        id=require_id(data, "shipping method"),
        name=as_str(data.get("name")),
        carrier=as_str(data.get("carrier")),
        min_weight=as_decimal(data.get("min_weight")),
        max_weight=as_decimal(data.get("max_weight")),
        service_point_input=as_str(data.get("service_point_input")),
        countries=countries,
        raw=data,
    )


def parse_status_v2(value: Any) -> StatusV2:
    data = require_dict(value, "parcel status")
    return StatusV2(require_id(data, "parcel status"), as_str(data.get("message")) or "")


def parse_status_v3(value: Any) -> StatusV3:
    data = require_dict(value, "parcel status")
    code = as_str(data.get("code"))
    if not code:
        raise InvalidResponse("parcel status without a code")
    return StatusV3(code, as_str(data.get("message")) or "")


def _norm(message: str | None) -> str:
    return (message or "").strip().rstrip(".").casefold()


def join_statuses(v2: Iterable[StatusV2], v3: Iterable[StatusV3]) -> list[StatusMapping]:
    """Join the live catalogues on their message text, falling back to the §11.1 table.

    Every v3 code and every v2 id appears exactly once; a row that cannot be paired keeps the
    other side None, so an unknown status never gets a guessed meaning.
    """
    v2 = list(v2)
    v3 = list(v3)
    v2_by_message = {_norm(s.message): s for s in v2}
    table_by_code = {row[0]: (row[1], row[2]) for row in KNOWN_STATUSES}
    live_ids = {s.id for s in v2}
    rows: list[StatusMapping] = []
    used_ids: set[int] = set()
    for status in v3:
        match = v2_by_message.get(_norm(status.message))
        if match is not None and match.id not in used_ids:
            used_ids.add(match.id)
            rows.append(StatusMapping(status.code, match.id, status.message, "message"))
            continue
        known = table_by_code.get(status.code)
        if (
            known is not None
            and known[0] not in used_ids
            and (not live_ids or known[0] in live_ids)
        ):
            used_ids.add(known[0])
            rows.append(StatusMapping(status.code, known[0], status.message, "table"))
        else:
            rows.append(StatusMapping(status.code, None, status.message, "unmatched"))
    codes = {s.code for s in v3}
    for status in v2:
        if status.id in used_ids:
            continue
        code = CODE_BY_ID.get(status.id)
        if code is not None and code not in codes:
            rows.append(StatusMapping(code, status.id, status.message, "table"))
        else:
            rows.append(StatusMapping(None, status.id, status.message, "unmatched"))
    return rows

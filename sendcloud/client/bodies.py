"""Pure request builders: a `ShipmentRequest` as a v3 shipment body or a v2 parcel body."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from .types.common import Address
from .types.shipments import CustomsRequest, ItemRequest, ParcelRequest, ShipmentRequest

# v2 `customs_shipment_type` codes (v2 §5.6.1).
V2_EXPORT_REASONS = {"gift": 0, "documents": 1, "commercial_goods": 2, "commercial_sample": 3}


def _kg(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.001")))


def _cm(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _money(value: Decimal, currency: str) -> dict[str, str]:
    """v3 shipment prices are strings (`\\d+(\\.\\d+)?`), never thousands separators."""
    return {"value": str(Decimal(value).quantize(Decimal("0.01"))), "currency": currency}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def address_v3(address: Address) -> dict[str, Any]:
    return _compact({name: getattr(address, name) for name in Address.__dataclass_fields__})


def _item_v3(item: ItemRequest, currency: str) -> dict[str, Any]:
    return _compact(
        {
            "item_id": item.item_id,
            "description": item.description[:255],
            "quantity": int(item.quantity),
            # Item weights are JSON numbers, unlike parcel weights (v3 §3.4).
            "weight": {"value": float(Decimal(item.weight_kg)), "unit": "kg"},
            "price": _money(item.value, currency),
            "hs_code": item.hs_code,
            "origin_country": item.origin_country,
            "sku": item.sku,
        }
    )


def _parcel_v3(parcel: ParcelRequest, currency: str, with_items: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"weight": {"value": _kg(parcel.weight_kg), "unit": "kg"}}
    if parcel.has_dimensions:
        body["dimensions"] = {
            "length": _cm(parcel.length_cm),
            "width": _cm(parcel.width_cm),
            "height": _cm(parcel.height_cm),
            "unit": "cm",
        }
    if with_items and parcel.items:
        body["parcel_items"] = [_item_v3(i, currency) for i in parcel.items]
    if parcel.insured_value:
        body["additional_insured_price"] = _money(parcel.insured_value, currency)
    if parcel.label_notes:
        body["label_notes"] = [n[:255] for n in parcel.label_notes if n]
    return body


def _customs_v3(customs: CustomsRequest) -> dict[str, Any]:
    return _compact(
        {
            "invoice_number": customs.invoice_number[:40],
            "export_reason": customs.export_reason,
            "export_type": customs.export_type,
            "invoice_date": customs.invoice_date.isoformat() if customs.invoice_date else None,
        }
    )


def shipment_body(request: ShipmentRequest) -> dict[str, Any]:
    """The v3 `shipment-request` (§6.1) for announce, create and the with-rules variants."""
    if request.sender_address_id is not None:
        from_address: dict[str, Any] = {"sender_address_id": int(request.sender_address_id)}
    elif request.from_address is not None:
        from_address = address_v3(request.from_address)
    else:
        from_address = {}
    body: dict[str, Any] = {
        "from_address": from_address,
        "to_address": address_v3(request.to_address),
        "parcels": [_parcel_v3(p, request.currency, with_items=True) for p in request.parcels],
        "external_reference_id": request.external_reference_id,
        "order_number": request.order_number,
        "reference": request.reference,
        "brand_id": request.brand_id,
        "label_details": {"mime_type": request.label_mime_type, "dpi": 72}
        if request.label_mime_type == "application/pdf"
        else {"mime_type": request.label_mime_type},
    }
    if request.shipping_option_code:
        properties: dict[str, Any] = {"shipping_option_code": request.shipping_option_code}
        if request.contract_id:
            properties["contract_id"] = int(request.contract_id)
        body["ship_with"] = {"type": "shipping_option_code", "properties": properties}
    if request.total_order_value is not None:
        body["total_order_price"] = _money(request.total_order_value, request.currency)
    if request.service_point_id:
        body["to_service_point"] = {"id": str(request.service_point_id)}
        if request.post_number:
            # v3 shipments have no `post_number` (v3 §6.1: `to_service_point` is only
            # `{id}`/`{carrier_service_point_id}`; orders have `service_point_details.post_number`,
            # v2 `to_post_number`). The one address field meant for it is `po_box` (v3 §3.4, the
            # v2 `to_post_number` "PO box / locker customer number"), so the Postnummer goes
            # there; `address_line_2` would be printed as free text and may be stripped.
            body["to_address"]["po_box"] = request.post_number
    if request.customs is not None:
        body["customs_information"] = _customs_v3(request.customs)
    if request.apply_shipping_rules:
        body["apply_shipping_rules"] = True
        body["apply_shipping_defaults"] = True
    body.update(request.extra)
    return _compact(body)


def _insured_v2(value: Decimal) -> int:
    """v2 takes whole units, ≥ 2, ≤ 5000, rounded up (v2 §9.25)."""
    amount = int(Decimal(value).to_integral_value(rounding=ROUND_CEILING))
    return max(2, min(5000, amount))


def parcel_body_v2(request: ShipmentRequest) -> dict[str, Any]:
    """The v2 `POST /parcels` body. Several parcels go as one multicollo parcel (`quantity`,
    batch form, v2 §5.6.1): v2 cannot weigh collos apart, so each carries the heaviest weight."""
    to = request.to_address
    first = request.parcels[0]
    heaviest = max(p.weight_kg for p in request.parcels)
    parcel: dict[str, Any] = {
        "name": to.name or to.company_name,
        "company_name": to.company_name,
        "address": to.address_line_1,
        "house_number": to.house_number or "",
        "address_2": to.address_line_2,
        "city": to.city,
        "postal_code": to.postal_code,
        "country": to.country_code,
        "country_state": to.state_province_code,
        "telephone": to.phone_number,
        "email": to.email,
        "request_label": True,
        "weight": _kg(heaviest),
        "order_number": request.order_number,
        "external_reference": request.external_reference_id,
        "reference": request.reference,
        "sender_address": request.sender_address_id,
        "contract": request.contract_id,
        "to_service_point": int(request.service_point_id)
        if request.service_point_id and str(request.service_point_id).isdigit()
        else None,
        "to_post_number": request.post_number or None,
        "apply_shipping_rules": True if request.apply_shipping_rules else None,
    }
    if request.shipping_method_id is not None:
        parcel["shipment"] = {"id": int(request.shipping_method_id)}
    if first.has_dimensions:
        parcel.update(
            length=_cm(first.length_cm), width=_cm(first.width_cm), height=_cm(first.height_cm)
        )
    insured = sum((p.insured_value or Decimal(0) for p in request.parcels), Decimal(0))
    if insured:
        parcel["insured_value"] = _insured_v2(insured / len(request.parcels))
    if request.total_order_value is not None:
        parcel["total_order_value"] = str(
            Decimal(request.total_order_value).quantize(Decimal("0.01"))
        )
        parcel["total_order_value_currency"] = request.currency
    items = [i for p in request.parcels for i in p.items]
    if items:
        parcel["parcel_items"] = [
            _compact(
                {
                    "description": i.description[:255],
                    "quantity": int(i.quantity),
                    "weight": _kg(i.weight_kg),
                    "value": float(Decimal(i.value).quantize(Decimal("0.01"))),
                    "hs_code": i.hs_code,
                    "origin_country": i.origin_country,
                    "sku": i.sku,
                    "item_id": i.item_id,
                }
            )
            for i in items
        ]
    if request.customs is not None:
        parcel["customs_information"] = _compact(
            {
                "customs_invoice_nr": request.customs.invoice_number[:40],
                "customs_shipment_type": V2_EXPORT_REASONS.get(request.customs.export_reason, 2),
                "export_type": request.customs.export_type,
                "invoice_date": request.customs.invoice_date.isoformat()
                if request.customs.invoice_date
                else None,
            }
        )
    parcel = {k: v for k, v in parcel.items() if v is not None}
    if len(request.parcels) > 1:
        parcel["quantity"] = len(request.parcels)
        return {"parcels": [parcel]}
    return {"parcel": parcel}

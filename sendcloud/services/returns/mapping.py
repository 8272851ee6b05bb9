"""A checked return request as the body of `POST /returns` (v3 §10.1)."""

from decimal import Decimal

from sendcloud.services.orders.mapping import split_street

from .rules import ReturnPlan


def _clean(address: dict) -> dict:
    return {k: v for k, v in address.items() if v not in ("", None)}


def _number(value: Decimal, places: int = 3) -> float:
    return float(round(Decimal(value), places))


def return_body(plan: ReturnPlan, reference: str) -> dict:
    """From the customer (the delivery address) back to the warehouse's sender address."""
    d, s = plan.delivery, plan.sender
    street, number = split_street(d.street, d.house_number)
    currency = d.sales_order.currency if d.sales_order_id else "EUR"
    total = sum((line.value * qty for line, qty in plan.lines), Decimal(0))
    return {
        "from_address": _clean({
            "name": d.contact_name or d.company_name, "company_name": d.company_name,
            "address_line_1": street, "house_number": number,
            "address_line_2": d.address_line_2, "postal_code": d.postal_code, "city": d.city,
            "state_province_code": d.state_code, "country_code": d.country.code,
            "email": d.email, "phone_number": d.phone,
        }),
        "to_address": _clean({
            "name": s.contact_name or s.company_name, "company_name": s.company_name,
            "address_line_1": s.street, "house_number": s.house_number,
            "address_line_2": s.address_line_2, "postal_code": s.postal_code, "city": s.city,
            "country_code": s.country, "email": s.email, "phone_number": s.phone,
        }),
        "ship_with": {"type": "shipping_option_code", "shipping_option_code": plan.option.code,
                      **({"contract": plan.option.contract_id}
                         if plan.option.contract_id else {})},
        "weight": {"value": max(_number(plan.weight_kg), 0.001), "unit": "kg"},
        "collo_count": 1,
        "parcel_items": [
            _clean({
                "description": line.product.name[:255], "quantity": qty,
                "weight": {"value": _number(line.weight_kg), "unit": "kg"},
                "value": {"value": _number(line.value, 2), "currency": currency},
                "hs_code": line.product.hs_code,
                "origin_country": line.product.origin_country.code
                if line.product.origin_country else None,
                "sku": line.product.sku, "item_id": str(line.pk),
                "return_reason_id": str(plan.reason_id),
            })
            for line, qty in plan.lines
        ],
        "send_tracking_emails": False,
        "order_number": d.number,
        "total_order_value": {"value": _number(total, 2), "currency": currency},
        "external_reference": reference,
        "delivery_option": plan.delivery_option,
        **({"brand_id": s.brand_id} if s.brand_id else {}),
    }  # fmt: skip

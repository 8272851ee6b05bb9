"""Map a delivery order onto a Sendcloud v3 order (reference v3 §4.2)."""

from decimal import Decimal

from sendcloud.models import DeliveryOrderServicePoint, Integration
from sendcloud.services.shipping.address import split_street
from sendcloud.services.shipping_choice import delivery_order_shipping_option

ORDER_CURRENCIES = {"EUR", "GBP", "USD"}

EU_COUNTRIES = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
}
# Parts of EU states outside the EU customs (VAT) territory, by postal-code prefix; shipments
# there need customs data although the country code is an EU one.
SPECIAL_TERRITORIES = {
    "ES": ("35", "38", "51", "52"),  # Canary Islands (Las Palmas, Santa Cruz), Ceuta, Melilla
    "FI": ("22",),  # Åland
    "GR": ("63086", "63087"),  # Mount Athos
    "DE": ("78266", "27498"),  # Büsingen, Heligoland
    "IT": ("23041", "22061", "22060"),  # Livigno, Campione d'Italia
}


def needs_customs(country: str, postal_code: str) -> bool:
    """True outside the EU customs territory (incl. the special territories of EU states)."""
    country = country.upper()
    if country not in EU_COUNTRIES:
        return True
    compact = postal_code.replace(" ", "")
    return compact.startswith(SPECIAL_TERRITORIES.get(country, ()))


def _money(value: Decimal, currency: str) -> dict:
    return {"value": float(value.quantize(Decimal("0.01"))), "currency": currency}


def _address(delivery) -> dict:
    street, number = split_street(delivery.street, delivery.house_number)
    address = {
        "name": delivery.contact_name or delivery.company_name,
        "company_name": delivery.company_name,
        "address_line_1": street,
        "house_number": number,
        "address_line_2": delivery.address_line_2,
        "postal_code": delivery.postal_code,
        "city": delivery.city,
        "country_code": delivery.country.code,
        "state_province_code": delivery.state_code,
        "email": delivery.email,
        "phone_number": delivery.phone,
    }
    return {key: value for key, value in address.items() if value}


def _items(delivery, currency: str) -> list[dict]:
    items = []
    for line in delivery.lines.all():
        product = line.product
        item = {
            "item_id": str(line.pk),
            "product_id": str(product.pk),
            "name": product.name,
            "description": product.name,
            "sku": product.sku,
            "quantity": line.quantity,
            "unit_price": _money(line.value, currency),
            "total_price": _money(line.value * line.quantity, currency),
            "hs_code": product.hs_code,
            "country_of_origin": product.origin_country.code if product.origin_country else "",
            "measurement": {"weight": {"value": float(line.weight_kg), "unit": "kg"}},
        }
        items.append({key: value for key, value in item.items() if value not in ("", None)})
    return items


def delivery_weight_kg(delivery) -> Decimal:
    packages = list(delivery.packages.all())
    if packages:
        return sum((p.weight_kg for p in packages), Decimal("0"))
    return sum((line.weight_kg * line.quantity for line in delivery.lines.all()), Decimal("0"))


def delivery_order_to_sendcloud(
    delivery, integration: Integration, *, external_id: str, lookups: dict | None = None
) -> dict:
    """The v3 order body for one delivery order (preflight has checked it). The v3 order has
    no sender field: the warehouse's sender address is applied when the label is made."""
    sales = delivery.sales_order
    currency = sales.currency.upper()
    items = _items(delivery, currency)
    total = sum((line.value * line.quantity for line in delivery.lines.all()), Decimal("0"))
    customer = sales.customer
    order = {
        "order_id": external_id,
        "order_number": delivery.number,
        "order_details": {
            "integration": {"id": integration.sendcloud_id},
            "status": {"code": delivery.state, "message": delivery.get_state_display()},
            "order_created_at": delivery.created_at.isoformat(),
            "order_updated_at": delivery.updated_at.isoformat() if delivery.updated_at else None,
            "order_items": items,
            "notes": f"{sales.number}",
            "tags": [delivery.warehouse.code],
        },
        "payment_details": {
            "total_price": _money(total, currency),
            "subtotal_price": _money(total, currency),
            "status": {"code": sales.payment_status, "message": sales.get_payment_status_display()},
        },
        "customer_details": {
            key: value
            for key, value in {
                "name": customer.name,
                "email": delivery.email or customer.email,
                "phone_number": delivery.phone or customer.phone,
            }.items()
            if value
        },
        "shipping_address": _address(delivery),
        "billing_address": _address(delivery),
        "shipping_details": {
            "is_local_pickup": False,
            "delivery_indicator": delivery.shipping_method.name if delivery.shipping_method else "",
            "measurement": {"weight": {"value": float(delivery_weight_kg(delivery)), "unit": "kg"}},
        },
    }
    option = delivery_order_shipping_option(delivery, integration, lookups)
    if option is not None:
        ship_with = {"shipping_option_code": option.code}
        if option.contract_id:
            ship_with["contract_id"] = option.contract_id
        order["shipping_details"]["ship_with"] = {
            "type": "shipping_option_code",
            "properties": ship_with,
        }
    if delivery.service_point_id:
        order["service_point_details"] = {"id": delivery.service_point_id}
        chosen = DeliveryOrderServicePoint.objects.filter(
            delivery_order=delivery, point_id=delivery.service_point_id
        ).first()
        if chosen is not None and chosen.post_number:
            order["service_point_details"]["post_number"] = chosen.post_number  # v3 §4.2
    if needs_customs(delivery.country.code, delivery.postal_code):
        order["customs_details"] = {
            "commercial_invoice_number": delivery.number,
            "shipment_type": "commercial_goods",
            "export_type": "commercial_b2b" if delivery.company_name else "commercial_b2c",
        }
    return order

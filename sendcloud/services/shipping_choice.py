"""The Sendcloud shipping method chosen on an order (kept for callers of the old module: the
knowledge lives in `sendcloud.services.shipping`)."""

from decimal import Decimal

from sendcloud.models import ShippingOption

from .shipping.choice import (
    Choice,
    delivery_order_choose,
    delivery_order_shipping_choice,
    delivery_order_shipping_option,
    option_fit_problems,
)
from .shipping.chosen import (
    CHOSEN,
    company_origin,
    delivery_order_option_chosen,
    delivery_order_option_for,
    delivery_order_option_save,
    delivery_order_own_option,
    delivery_orders_options_lookups,
    sales_order_destination,
    sales_order_option,
    sales_order_option_save,
    sales_order_weight_kg,
)

__all__ = [
    "CHOSEN",
    "Choice",
    "company_origin",
    "delivery_order_choose",
    "delivery_order_option_chosen",
    "delivery_order_option_for",
    "delivery_order_option_save",
    "delivery_order_own_option",
    "delivery_order_shipping_choice",
    "delivery_order_shipping_option",
    "delivery_orders_options_lookups",
    "option_destinations",
    "option_fit_problems",
    "option_price",
    "sales_order_destination",
    "sales_order_option",
    "sales_order_option_save",
    "sales_order_weight_kg",
]


def option_destinations(option: ShippingOption) -> set[str]:
    """Destination countries the option's legacy `countries` list names (routes replace it)."""
    return {
        str(route["to"]).upper()
        for route in option.countries or ()
        if isinstance(route, dict) and route.get("to")
    }


def option_price(option: ShippingOption, country: str = "") -> tuple[Decimal, str] | None:
    """The legacy stored price to the country; prices now come from the routes."""
    for route in option.countries or ():
        if not isinstance(route, dict) or route.get("price") in (None, ""):
            continue
        if route.get("to") and country and str(route["to"]).upper() != country.upper():
            continue
        try:
            return Decimal(str(route["price"])), str(route.get("currency") or "")
        except ArithmeticError:
            continue
    return None

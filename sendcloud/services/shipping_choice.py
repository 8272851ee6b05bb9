"""The Sendcloud shipping method chosen on an order: whether an option fits, which one applies.

An order's own choice comes first, then its sales order's, then the mapping of its shipping
method (`ShippingMethodOption`). Fitting is judged on what the Abgleich mirrors: the weight range,
`functionalities.service_area` and, where Sendcloud quoted routes, the destination countries.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.inventory.models import Warehouse
from backoffice.sales.models import DeliveryOrder, SalesOrder
from sendcloud.models import (
    DeliveryOrderShippingOption,
    Integration,
    SalesOrderShippingOption,
    ShippingMethodOption,
    ShippingOption,
)

CHOSEN = "chosen option"  # key prefix in `lookups`


def option_destinations(option: ShippingOption) -> set[str]:
    """Destination countries Sendcloud named for the option (empty: not known)."""
    return {
        str(route["to"]).upper()
        for route in option.countries or ()
        if isinstance(route, dict) and route.get("to")
    }


def option_price(option: ShippingOption, country: str = "") -> tuple[Decimal, str] | None:
    """The quoted price to the country (or the only quote there is); None where unknown."""
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


def option_fit_problems(
    option: ShippingOption, *, country: str, origin: str = "", weight: Decimal | None = None
) -> list[str]:
    """Why the option cannot ship this order (empty: it fits, as far as the mirror knows).

    What the mirror does not know (no routes quoted, unknown origin or weight) counts as fitting:
    Sendcloud still refuses a wrong choice when the label is made, with its own message."""
    problems = []
    name = option.name or option.code
    country = (country or "").upper()
    origin = (origin or "").upper()
    if option.archived_at is not None:
        problems.append(_("“%(option)s” is no longer offered by Sendcloud.") % {"option": name})
    destinations = option_destinations(option)
    domestic = (option.functionalities or {}).get("service_area") in ("domestic", "domestic_remote")
    if country and destinations and country not in destinations:
        problems.append(
            _("“%(option)s” does not ship to %(country)s.") % {"option": name, "country": country}
        )
    elif country and origin and domestic and country != origin:
        problems.append(
            _("“%(option)s” only ships within %(origin)s, not to %(country)s.")
            % {"option": name, "origin": origin, "country": country}
        )
    low, high = option.min_weight_kg, option.max_weight_kg
    if weight is not None and weight > 0:
        if (high is not None and weight > high) or (low is not None and weight < low):
            problems.append(
                _("“%(option)s” takes %(low)s to %(high)s kg; the order weighs %(weight)s kg.")
                % {
                    "option": name,
                    "low": low if low is not None else 0,
                    "high": high if high is not None else "–",
                    "weight": weight,
                }
            )
    return problems


def sales_order_weight_kg(order: SalesOrder) -> Decimal:
    return sum(
        (line.product.weight_kg * line.quantity for line in order.lines.select_related("product")),
        Decimal("0"),
    )


def sales_order_destination(customer) -> str:
    """The country of the customer's default address ("" without one)."""
    address = customer.addresses.first() if customer is not None else None
    return address.country.code if address and address.country else ""


def company_origin(company) -> str:
    """The country all of the company's warehouses ship from ("" when they differ or none)."""
    warehouses = Warehouse.objects.filter(company=company)
    countries = {str(c) for c in warehouses.values_list("country", flat=True)}
    return countries.pop() if len(countries) == 1 else ""


def sales_order_option(order: SalesOrder) -> ShippingOption | None:
    row = SalesOrderShippingOption.objects.filter(sales_order_id=order.pk).select_related(
        "shipping_option"
    )
    return row[0].shipping_option if order.pk and row else None


def delivery_orders_options_lookups(deliveries) -> dict:
    """Every order's chosen option in two queries, keyed for `delivery_order_option_chosen`'s
    `lookups`: a push batch of 100 orders asked four times per order before."""
    deliveries = [d for d in deliveries if d.pk]
    own = {
        row.delivery_order_id: row.shipping_option
        for row in DeliveryOrderShippingOption.objects.filter(
            delivery_order_id__in=[d.pk for d in deliveries]
        ).select_related("shipping_option")
    }
    sales_ids = {d.sales_order_id for d in deliveries if d.sales_order_id and d.pk not in own}
    inherited = {}
    if sales_ids:
        inherited = {
            row.sales_order_id: row.shipping_option
            for row in SalesOrderShippingOption.objects.filter(
                sales_order_id__in=sales_ids
            ).select_related("shipping_option")
        }
    return {
        (CHOSEN, d.pk): own[d.pk] if d.pk in own else inherited.get(d.sales_order_id)
        for d in deliveries
    }


def delivery_order_own_option(delivery: DeliveryOrder) -> ShippingOption | None:
    row = DeliveryOrderShippingOption.objects.filter(delivery_order_id=delivery.pk).select_related(
        "shipping_option"
    )
    return row[0].shipping_option if delivery.pk and row else None


def delivery_order_option_chosen(
    delivery: DeliveryOrder, lookups: dict | None = None
) -> ShippingOption | None:
    """The delivery order's own choice, else the one inherited from its sales order (from
    `lookups` where `delivery_orders_options_lookups` put the whole batch's there)."""
    if lookups is not None and (CHOSEN, delivery.pk) in lookups:
        return lookups[CHOSEN, delivery.pk]
    own = delivery_order_own_option(delivery)
    if own is not None:
        return own
    if delivery.sales_order_id:
        return sales_order_option(delivery.sales_order)
    return None


def delivery_order_option_for(
    delivery: DeliveryOrder, integration: Integration, lookups: dict | None = None
) -> ShippingOption | None:
    """The chosen option where it belongs to this integration and is still offered."""
    option = delivery_order_option_chosen(delivery, lookups)
    if option is None or option.integration_id != integration.pk or option.archived_at:
        return None
    return option


def delivery_order_shipping_option(
    delivery: DeliveryOrder, integration: Integration, lookups: dict | None = None
) -> ShippingOption | None:
    """The option that ships the delivery order: its own or its sales order's choice, else the
    one mapped to its shipping method (None: neither, or the mapped one is no longer offered).
    `lookups` caches the mapping per shipping method across a batch of orders."""
    chosen = delivery_order_option_for(delivery, integration, lookups)
    if chosen is not None:
        return chosen
    if not delivery.shipping_method_id:
        return None
    key = ("shipping-method-option", integration.pk, delivery.shipping_method_id)
    if lookups is not None and key in lookups:
        return lookups[key]
    mapping = (
        ShippingMethodOption.objects.filter(
            shipping_method_id=delivery.shipping_method_id, integration=integration
        )
        .select_related("shipping_option")
        .first()
    )
    option = None
    if mapping is not None and mapping.shipping_option.archived_at is None:
        option = mapping.shipping_option
    if lookups is not None:
        lookups[key] = option
    return option


@transaction.atomic
def sales_order_option_save(order: SalesOrder, option: ShippingOption | None) -> None:
    if option is None:
        SalesOrderShippingOption.objects.filter(sales_order=order).delete()
        return
    SalesOrderShippingOption.objects.update_or_create(
        sales_order=order, defaults={"shipping_option": option}
    )


@transaction.atomic
def delivery_order_option_save(delivery: DeliveryOrder, option: ShippingOption | None) -> None:
    """Store the delivery order's own choice; the sales order's choice needs no copy."""
    inherited = sales_order_option(delivery.sales_order) if delivery.sales_order_id else None
    if option is None or (inherited is not None and option.pk == inherited.pk):
        DeliveryOrderShippingOption.objects.filter(delivery_order=delivery).delete()
        return
    DeliveryOrderShippingOption.objects.update_or_create(
        delivery_order=delivery, defaults={"shipping_option": option}
    )

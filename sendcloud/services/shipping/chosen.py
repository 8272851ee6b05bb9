"""The option stored on an order: its own, its sales order's, or its shipping method's mapping.

An order's own choice comes first, then its sales order's, then the mapping of its shipping
method (`ShippingMethodOption`): a fixed option, or a strategy applied by `choice`.
"""

from decimal import Decimal

from django.db import transaction

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


def delivery_order_mapping(
    delivery: DeliveryOrder, integration: Integration, lookups: dict | None = None
) -> ShippingMethodOption | None:
    """The Sendcloud mapping of the delivery order's shipping method (cached per method in
    `lookups` across a batch of orders)."""
    if not delivery.shipping_method_id:
        return None
    key = ("shipping-method-option", integration.pk, delivery.shipping_method_id)
    if lookups is not None and key in lookups:
        return lookups[key]
    mapping = (
        ShippingMethodOption.objects.filter(
            shipping_method_id=delivery.shipping_method_id, integration=integration
        )
        .select_related("shipping_option", "shipping_method")
        .first()
    )
    if lookups is not None:
        lookups[key] = mapping
    return mapping


@transaction.atomic
def sales_order_option_save(order: SalesOrder, option: ShippingOption | None) -> None:
    if option is None:
        SalesOrderShippingOption.objects.filter(sales_order=order).delete()
        return
    SalesOrderShippingOption.objects.update_or_create(
        sales_order=order, defaults={"shipping_option": option, "reason": ""}
    )


@transaction.atomic
def delivery_order_option_save(
    delivery: DeliveryOrder, option: ShippingOption | None, reason: str = ""
) -> None:
    """Store the delivery order's own choice (with why, when it was chosen automatically); the
    sales order's choice needs no copy."""
    inherited = sales_order_option(delivery.sales_order) if delivery.sales_order_id else None
    if option is None or (inherited is not None and option.pk == inherited.pk and not reason):
        DeliveryOrderShippingOption.objects.filter(delivery_order=delivery).delete()
        return
    DeliveryOrderShippingOption.objects.update_or_create(
        delivery_order=delivery, defaults={"shipping_option": option, "reason": reason[:300]}
    )


def delivery_order_choice_reason(delivery: DeliveryOrder) -> str:
    """Why the delivery order's own option was chosen ("" when a person chose it)."""
    row = DeliveryOrderShippingOption.objects.filter(delivery_order_id=delivery.pk).first()
    return row.reason if row is not None else ""

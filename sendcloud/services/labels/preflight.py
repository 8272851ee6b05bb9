"""Check a delivery order locally before a label is bought: nothing is sent when this fails."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud import formatting
from sendcloud.errors import Problem
from sendcloud.models import Integration, SenderAddress, ShippingOption, ShippingRoute

# The order push's rules and messages, reused as they are (refsync moves it to services.orders).
from sendcloud.services.orders.preflight import delivery_order_preflight
from sendcloud.services.shipping.choice import delivery_order_shipping_choice
from sendcloud.services.shipping.preflight import route_preflight
from sendcloud.services.shipping.routes import delivery_origin, option_route

from .mapping import delivery_packages, needs_customs, sender_for, split_items


@dataclass(frozen=True)
class LabelPlan:
    """What a label for this delivery order will be made of (the preflight's answer)."""

    option: ShippingOption | None
    sender: SenderAddress | None
    packages: tuple  # ((weight, length, width, height, package or None), ...)
    use_rules: bool
    route: ShippingRoute | None = None  # the synced route the option ships the order on
    reason: str = ""  # why the option was chosen, when it was chosen automatically


def _max_dimensions(option: ShippingOption) -> tuple[Decimal, Decimal, Decimal] | None:
    dims = (option.raw or {}).get("max_dimensions") or {}
    try:
        values = [Decimal(str(dims[k])) for k in ("length", "width", "height")]
    except (KeyError, ArithmeticError, ValueError, TypeError):
        return None
    if (dims.get("unit") or "cm") != "cm":
        return None  # only centimetres are compared; anything else is left to Sendcloud
    return tuple(sorted(values, reverse=True))


def label_preflight(
    delivery: DeliveryOrder,
    integration: Integration,
    *,
    use_rules: bool = False,
    lookups: dict | None = None,
) -> tuple[LabelPlan, list[Problem]]:
    """Every problem that would make Sendcloud or the carrier refuse the label, with the fix."""
    number = delivery.number
    problems = [
        Problem(text.split(": ", 1)[-1] if text.startswith(number) else text, object=number)
        for text in delivery_order_preflight(delivery, integration, lookups=lookups)
    ]
    sender = sender_for(delivery, integration, lookups)
    packages = delivery_packages(delivery)
    choice = delivery_order_shipping_choice(delivery, integration, lookups)
    option, route = choice.option, choice.route
    if option is None and not use_rules:
        problems.append(
            Problem(choice.reason, object=number, field="sendcloud_option")
            if choice.reason
            else Problem(
                _(
                    "The shipping method “%(method)s” has no Sendcloud shipping option; choose "
                    "one on the shipping method (Configuration → Warehouse → Our shipping "
                    "methods)."
                )
                % {"method": delivery.shipping_method or "–"},
                object=number,
                field="shipping_method",
            )
        )
    if option is not None:
        origin = delivery_origin(delivery, integration, lookups)
        route = route or option_route(option, origin, delivery.country.code, lookups)
        route_found = route_preflight(delivery, option, route, origin, packages, lookups)
        problems.extend(route_found)
        problems.extend(_option_problems(delivery, option, packages, route))
    problems.extend(customs_preflight(delivery, packages))
    return LabelPlan(option, sender, packages, use_rules, route, choice.reason), problems


def _option_problems(delivery, option: ShippingOption, packages, route) -> list[Problem]:
    """Multi-parcel and service point; weight and size here only where no route is known (the
    route's own bands and limits are checked by `route_preflight`)."""
    number, name = delivery.number, option.name or option.code
    problems: list[Problem] = []
    multicollo = route.multicollo if route is not None else None
    if multicollo is None:
        multicollo = bool((option.functionalities or {}).get("multicollo"))
    if len(packages) > 1 and not multicollo:
        problems.append(
            Problem(
                _(
                    "%(option)s cannot ship %(count)s parcels in one shipment (no multi-parcel "
                    "shipments); choose another option or pack into one parcel."
                )
                % {"option": name, "count": len(packages)},
                object=number,
                field="packages",
            )
        )
    low, high = option.min_weight_kg, option.max_weight_kg
    limit = _max_dimensions(option)
    if route is not None:
        low = high = limit = None  # the route's own bands and size decide
    for index, (weight, length, width, height, _package) in enumerate(packages, start=1):
        if (high is not None and weight > high) or (low is not None and weight < low):
            problems.append(
                Problem(
                    _(
                        "Parcel %(index)s weighs %(weight)s kg; %(option)s takes %(low)s to "
                        "%(high)s kg."
                    )
                    % {
                        "index": index,
                        "weight": formatting.number(weight),
                        "option": name,
                        "low": formatting.number(low if low is not None else 0),
                        "high": formatting.number(high) if high is not None else "–",
                    },
                    object=number,
                    field="weight",
                )
            )
        if limit and None not in (length, width, height):
            measured = sorted((length, width, height), reverse=True)
            if any(a > b for a, b in zip(measured, limit, strict=True)):
                problems.append(
                    Problem(
                        _(
                            "Parcel %(index)s measures %(size)s cm; %(option)s takes at most "
                            "%(limit)s cm."
                        )
                        % {
                            "index": index,
                            "size": " × ".join(
                                formatting.number(v) for v in (length, width, height)
                            ),
                            "option": name,
                            "limit": " × ".join(formatting.number(v) for v in limit),
                        },
                        object=number,
                        field="dimensions",
                    )
                )
    needs_point = (
        (route is not None and route.service_point_required)
        or option.service_point_required
        or (option.requirements or {}).get("is_service_point_required")
    )
    if needs_point and not delivery.service_point_id:
        problems.append(
            Problem(
                _("%(option)s delivers to a service point; choose one on the delivery order.")
                % {"option": name},
                object=number,
                field="service_point_id",
            )
        )
    return problems


def customs_preflight(delivery, packages) -> list[Problem]:
    """Outside the EU customs territory every item needs a value, and every parcel items of
    its own (HS code and origin are checked with the order push's rules)."""
    if not needs_customs(delivery.country.code, delivery.postal_code):
        return []
    number = delivery.number
    problems = [
        Problem(
            _(
                "The product %(product)s has no value on this delivery order; customs needs "
                "the value per unit (enter it on the delivery line)."
            )
            % {"product": line.product.sku or line.product.name},
            object=number,
            field="value",
        )
        for line in delivery.lines.all()
        if line.value <= 0
    ]
    if len(packages) > 1 and any(not items for items in split_items(delivery, packages)):
        problems.append(
            Problem(
                _(
                    "%(count)s parcels but fewer units: customs needs items in every parcel; "
                    "pack into fewer parcels."
                )
                % {"count": len(packages)},
                object=number,
                field="packages",
            )
        )
    return problems

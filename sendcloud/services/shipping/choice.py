"""Which options fit an order, and the automatic choice among them.

An option fits when the Abgleich's routes say it ships from the origin (the warehouse's sender
country) to the destination, takes every parcel's weight and size, and delivers the way the
shipping method does (service point or door). What the mirror does not know does not fit: a
country without a route is refused with the reason, since Sendcloud would refuse it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud import formatting
from sendcloud.client import SendcloudError
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import ChoiceStrategy, Integration, ShippingOption, ShippingRoute

from .chosen import (
    CHOSEN,
    delivery_order_choice_reason,
    delivery_order_mapping,
    delivery_order_option_chosen,
    delivery_order_option_for,
    delivery_order_option_save,
)
from .preflight import shown_limit
from .routes import (
    Price,
    delivery_origin,
    no_route_text,
    option_route,
    route_lead_hours,
    route_price,
    routes_to,
    working_days_text,
)
from .service_points import delivery_order_service_point_nearest


@dataclass(frozen=True)
class Fit:
    """An option that ships the order, on the route that makes it fit."""

    option: ShippingOption
    route: ShippingRoute
    price: Price | None
    lead_hours: int | None

    def label(self) -> str:
        return fit_label(self.option, self.price, self.lead_hours)


@dataclass(frozen=True)
class Choice:
    option: ShippingOption | None
    reason: str = ""
    route: ShippingRoute | None = None


def fit_label(option: ShippingOption, price: Price | None, lead_hours: int | None) -> str:
    """ "DHL Paket – 4,49 € · 1 Werktag" (what is known of it)."""
    name = option.name or option.code
    extras = [str(price) if price is not None else "", working_days_text(lead_hours)]
    extras = [e for e in extras if e]
    return f"{name} – {' · '.join(extras)}" if extras else name


def _size_fits(route: ShippingRoute, dimensions) -> bool:
    limit = [Decimal(str(v)) for v in route.max_dimensions_cm or ()]
    if len(limit) != 3:
        return True
    for size in dimensions or ():
        if size is None or None in size:
            continue
        measured = sorted((Decimal(str(v)) for v in size), reverse=True)
        if any(a > b for a, b in zip(measured, limit, strict=True)):
            return False
    return True


def route_problems(
    option: ShippingOption,
    route: ShippingRoute,
    *,
    weights=(),
    dimensions=(),
    service_point: bool | None = None,
) -> list[str]:
    """Why the option cannot ship these parcels on this route (empty: it can)."""
    name = option.name or option.code
    problems = []
    for index, weight in enumerate(weights or (), start=1):
        if weight is not None and weight > 0 and not route.takes_weight(Decimal(str(weight))):
            problems.append(
                _(
                    "“%(option)s” takes %(range)s from %(origin)s to %(country)s; parcel "
                    "%(index)s weighs %(weight)s."
                )
                % {
                    "option": name,
                    "range": formatting.weight_range_kg(
                        route.min_weight_kg, shown_limit(route.max_weight_kg)
                    ),
                    "origin": route.from_country,
                    "country": route.to_country,
                    "index": index,
                    "weight": formatting.weight_kg(weight),
                }
            )
    if len(weights or ()) > 1 and not route.multicollo:
        problems.append(
            _("“%(option)s” cannot ship %(count)s parcels in one shipment.")
            % {"option": name, "count": len(weights)}
        )
    if not _size_fits(route, dimensions):
        problems.append(
            _("“%(option)s” takes parcels of at most %(limit)s cm.")
            % {
                "option": name,
                "limit": " × ".join(formatting.number(v) for v in route.max_dimensions_cm),
            }
        )
    if service_point is True and not route.delivers_to_service_point:
        problems.append(
            _("“%(option)s” delivers to the door; the shipping method delivers to service points.")
            % {"option": name}
        )
    elif service_point is False and route.delivers_to_service_point:
        problems.append(
            _("“%(option)s” delivers to service points; the shipping method delivers to the door.")
            % {"option": name}
        )
    return problems


def option_fit(
    option: ShippingOption,
    *,
    country: str,
    origin: str = "",
    weights=(),
    dimensions=(),
    service_point: bool | None = None,
    lookups: dict | None = None,
) -> tuple[Fit | None, list[str]]:
    """The fit of one option (None and the reasons when it does not fit). Without an origin,
    any route of the company's integration to the country counts."""
    name = option.name or option.code
    country, origin = (country or "").upper(), (origin or "").upper()
    if option.archived_at is not None:
        return None, [_("“%(option)s” is no longer offered by Sendcloud.") % {"option": name}]
    if option.supports_returns:
        return None, [_("“%(option)s” is a return option.") % {"option": name}]
    if not country:
        return None, []  # nothing to judge the route by (no address yet)
    if not routes_to(option.integration_id, country, origin, lookups):
        return None, [no_route_text(country, origin)]
    if origin:
        candidates = [option_route(option, origin, country, lookups)]
    else:
        candidates = [
            r for r in routes_to(option.integration_id, country, "", lookups)
            if r.option_code == option.code
        ]  # fmt: skip
    candidates = [r for r in candidates if r is not None]
    if not candidates:
        if origin:
            text = _("“%(option)s” does not ship from %(origin)s to %(country)s.") % {
                "option": name,
                "origin": origin,
                "country": country,
            }
        else:
            text = _("“%(option)s” does not ship to %(country)s.") % {
                "option": name,
                "country": country,
            }
        return None, [text]
    first_problems: list[str] = []
    for route in candidates:
        problems = route_problems(
            option, route, weights=weights, dimensions=dimensions, service_point=service_point
        )
        if not problems:
            weights_known = [w for w in weights or () if w is not None and w > 0]
            price = route_price(route, weights_known) if weights_known else None
            return Fit(option, route, price, route_lead_hours(route, weights_known)), []
        first_problems = first_problems or problems
    return None, first_problems


def option_fit_problems(
    option: ShippingOption, *, country: str, origin: str = "", weight: Decimal | None = None, **kw
) -> list[str]:
    """Why the option cannot ship this order (empty: it fits, or there is no address yet)."""
    weights = kw.pop("weights", None) or ([weight] if weight else [])
    fit, problems = option_fit(option, country=country, origin=origin, weights=weights, **kw)
    return problems


def fits_for(
    options, *, country: str, origin: str = "", weights=(), dimensions=(), service_point=None,
    lookups: dict | None = None,
) -> list[Fit]:  # fmt: skip
    """The options that fit, each with its route, price and lead time."""
    lookups = {} if lookups is None else lookups
    out = []
    for option in options:
        fit, _problems = option_fit(
            option, country=country, origin=origin, weights=weights, dimensions=dimensions,
            service_point=service_point, lookups=lookups,
        )  # fmt: skip
        if fit is not None:
            out.append(fit)
    return out


def _price_key(fit: Fit):
    return fit.price.amount if fit.price is not None else Decimal("1e9")


def _lead_key(fit: Fit):
    return fit.lead_hours if fit.lead_hours is not None else 10**6


def fits_pick(fits: list[Fit], strategy: str, carrier: str = "") -> Fit | None:
    """The cheapest (ties: faster), the fastest (ties: cheaper), or the cheapest of a carrier."""
    if strategy == ChoiceStrategy.CHEAPEST_OF_CARRIER:
        fits = [f for f in fits if f.option.carrier_code == carrier]
    if not fits:
        return None
    if strategy == ChoiceStrategy.FASTEST:
        return min(fits, key=lambda f: (_lead_key(f), _price_key(f), f.option.code))
    return min(fits, key=lambda f: (_price_key(f), _lead_key(f), f.option.code))


def choice_reason(strategy: str, fit: Fit, count: int, carrier: str = "") -> str:
    values = {"option": fit.label(), "count": count, "carrier": carrier}
    if strategy == ChoiceStrategy.FASTEST:
        return _("automatically: fastest fitting option %(option)s (of %(count)s fitting)") % values
    if strategy == ChoiceStrategy.CHEAPEST_OF_CARRIER:
        return (
            _("automatically: cheapest fitting option of %(carrier)s %(option)s (of %(count)s)")
            % values
        )
    return _("automatically: cheapest fitting option %(option)s (of %(count)s fitting)") % values


def delivery_parcels(delivery: DeliveryOrder) -> tuple[list, list]:
    """(weights, dimensions) per parcel: the packages, else one parcel of the lines' weight."""
    packages = list(delivery.packages.all().order_by("pk"))
    if packages:
        return (
            [p.weight_kg for p in packages],
            [(p.length_cm, p.width_cm, p.height_cm) for p in packages],
        )
    weight = sum((line.weight_kg * line.quantity for line in delivery.lines.all()), Decimal(0))
    return [weight], [None]


def delivery_order_fits(
    delivery: DeliveryOrder, integration: Integration, lookups: dict | None = None
) -> list[Fit]:
    """The integration's outbound options that ship this delivery order."""
    weights, dimensions = delivery_parcels(delivery)
    method = delivery.shipping_method
    options = lookups.get(("outbound", integration.pk)) if lookups is not None else None
    if options is None:
        options = list(
            ShippingOption.objects.filter(
                integration=integration, archived_at=None, supports_returns=False
            )
        )
        if lookups is not None:
            lookups[("outbound", integration.pk)] = options
    return fits_for(
        options,
        country=str(delivery.country or ""),
        origin=delivery_origin(delivery, integration, lookups),
        weights=weights,
        dimensions=dimensions,
        service_point=method.uses_service_point if method is not None else None,
        lookups=lookups,
    )


def delivery_order_auto_choice(
    delivery: DeliveryOrder,
    integration: Integration,
    strategy: str,
    carrier: str = "",
    lookups: dict | None = None,
) -> tuple[Fit | None, str]:
    """The fit the strategy picks and why; (None, why none fits) when nothing does."""
    # A delivery order is a parcel: letters (Sendcloud's free test letter among them) are never
    # chosen for it automatically, though a person may still choose one on the order.
    fits = [
        f
        for f in delivery_order_fits(delivery, integration, lookups)
        if (f.option.functionalities or {}).get("form_factor") != "letter"
    ]
    picked = fits_pick(fits, strategy, carrier)
    if picked is not None:
        count = len([f for f in fits if strategy != "cheapest_of_carrier" or
                     f.option.carrier_code == carrier])  # fmt: skip
        return picked, choice_reason(strategy, picked, count, carrier)
    country = str(delivery.country or "")
    origin = delivery_origin(delivery, integration, lookups)
    if not routes_to(integration.pk, country, origin, lookups):
        return None, no_route_text(country, origin)
    if strategy == ChoiceStrategy.CHEAPEST_OF_CARRIER and fits:
        return None, _("No option of the carrier %(carrier)s fits; %(count)s of others do.") % {
            "carrier": carrier,
            "count": len(fits),
        }
    values = {"origin": origin, "country": country}
    if delivery.shipping_method and delivery.shipping_method.uses_service_point:
        return None, _(
            "No Sendcloud option delivers this order from %(origin)s to %(country)s to a service "
            "point at its weight and size; check the parcels or the shipping method."
        ) % values
    return None, _(
        "No Sendcloud option delivers this order from %(origin)s to %(country)s to the door at "
        "its weight and size; check the parcels or the shipping method."
    ) % values


def delivery_order_shipping_choice(
    delivery: DeliveryOrder,
    integration: Integration,
    lookups: dict | None = None,
    *,
    with_reason: bool = True,
) -> Choice:
    """The option that ships the delivery order and why: its own or its sales order's choice
    (with the reason stored when it was chosen automatically), else the shipping method's
    mapping (a fixed option, or its strategy applied now)."""
    chosen = delivery_order_option_for(delivery, integration, lookups)
    if chosen is not None:
        return Choice(chosen, delivery_order_choice_reason(delivery) if with_reason else "")
    mapping = delivery_order_mapping(delivery, integration, lookups)
    if mapping is None:
        return Choice(None)
    if mapping.strategy == ChoiceStrategy.FIXED:
        option = mapping.shipping_option
        if option is None or option.archived_at is not None:
            return Choice(None)
        return Choice(option)
    fit, reason = delivery_order_auto_choice(
        delivery, integration, mapping.strategy, mapping.strategy_carrier, lookups
    )
    return Choice(fit.option if fit else None, reason, fit.route if fit else None)


def delivery_order_shipping_option(
    delivery: DeliveryOrder, integration: Integration, lookups: dict | None = None
) -> ShippingOption | None:
    return delivery_order_shipping_choice(delivery, integration, lookups, with_reason=False).option


def delivery_order_service_point_pick(
    delivery: DeliveryOrder, integration: Integration, route: ShippingRoute
) -> Problem | None:
    """The automatic choice's service point for an option that needs one: the nearest point of
    the option's carrier that is open (a Packstation is left out: it needs the customer's
    Postnummer, which nobody has given). None when the order has or needs none."""
    if not route.service_point_required or delivery.service_point_id:
        return None
    name = route.option_name or route.option_code
    option = ShippingOption.objects.filter(integration=integration, code=route.option_code).first()
    try:
        point = (
            delivery_order_service_point_nearest(delivery, integration, option) if option else None
        )
    except (ApplicationError, SendcloudError) as exc:
        return Problem(
            _("No service point could be looked up for %(option)s: %(error)s")
            % {"option": name, "error": exc},
            object=delivery.number,
            field="service_point_id",
        )
    if point is not None:
        return None
    return Problem(
        _(
            "%(option)s delivers to a service point, and none of its carrier is open near the "
            "delivery address; choose one on the delivery order."
        )
        % {"option": name},
        object=delivery.number,
        field="service_point_id",
    )


def delivery_order_choose(
    delivery: DeliveryOrder,
    integration: Integration,
    strategy: str,
    *,
    carrier: str = "",
    lookups: dict | None = None,
) -> Choice:
    """`--choose`: for an order without an explicit choice, apply the strategy and store the
    option on the delivery order with its reason. Raises ApplicationError when none fits."""
    explicit = delivery_order_option_chosen(delivery, lookups)
    if explicit is not None and explicit.integration_id == integration.pk:
        return Choice(explicit)
    method = delivery.shipping_method
    if method is None or method.provider != ShippingMethod.Provider.SENDCLOUD:
        raise ApplicationError(
            _("%(number)s: no Sendcloud option could be chosen.") % {"number": delivery.number},
            [
                Problem(
                    _(
                        "The shipping method “%(method)s” is not shipped with Sendcloud; choose a "
                        "Sendcloud one on the delivery order."
                    )
                    % {"method": method or "–"},
                    object=delivery.number,
                    field="shipping_method",
                )
            ],
        )
    fit, reason = delivery_order_auto_choice(delivery, integration, strategy, carrier, lookups)
    if fit is None:
        raise ApplicationError(
            _("%(number)s: no Sendcloud option could be chosen.") % {"number": delivery.number},
            [Problem(reason, object=delivery.number, field="sendcloud_option")],
        )
    delivery_order_option_save(delivery, fit.option, reason)
    if lookups is not None:
        lookups.pop((CHOSEN, delivery.pk), None)
    problem = delivery_order_service_point_pick(delivery, integration, fit.route)
    if problem is not None:
        raise ApplicationError(
            _("%(number)s cannot get a label yet.") % {"number": delivery.number}, [problem]
        )
    return Choice(fit.option, reason, fit.route)

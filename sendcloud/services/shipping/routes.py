"""Routes as the Abgleich mirrors them: lookups, price for parcels, lead time in working days."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sendcloud import formatting
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration, ShippingOption, ShippingRoute

from ..warehouse_addresses import sender_address_for_delivery


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return formatting.money(self.amount, self.currency)


def delivery_origin(delivery, integration: Integration, lookups: dict | None = None) -> str:
    """The country a delivery order ships from: its warehouse's sender address, else the
    warehouse's own country."""
    try:
        sender = sender_address_for_delivery(delivery, integration, lookups=lookups)
    except ApplicationError:
        sender = None
    if sender is not None and sender.country:
        return sender.country.upper()
    return str(delivery.warehouse.country or "").upper() if delivery.warehouse_id else ""


def integration_routes(integration_id: int, lookups: dict | None = None) -> list[ShippingRoute]:
    """Every active route of the integration (one query per batch of orders)."""
    key = ("routes", integration_id)
    if lookups is not None and key in lookups:
        return lookups[key]
    routes = list(ShippingRoute.objects.filter(integration_id=integration_id, archived_at=None))
    if lookups is not None:
        lookups[key] = routes
    return routes


def routes_to(
    integration_id: int, destination: str, origin: str = "", lookups: dict | None = None
) -> list[ShippingRoute]:
    """Active routes to `destination` (from `origin`, or from anywhere when it is empty)."""
    destination, origin = destination.upper(), origin.upper()
    return [
        r
        for r in integration_routes(integration_id, lookups)
        if r.to_country == destination and (not origin or r.from_country == origin)
    ]


def option_route(
    option: ShippingOption, origin: str, destination: str, lookups: dict | None = None
) -> ShippingRoute | None:
    for route in routes_to(option.integration_id, destination, origin, lookups):
        if route.option_code == option.code:
            return route
    return None


def route_price(route: ShippingRoute | None, weights) -> Price | None:
    """The sum over the parcels of the band each weight falls in; None if one has no band."""
    if route is None or not route.bands:
        return None
    total, currency = Decimal("0"), ""
    for weight in weights:
        band = route.band_for(Decimal(str(weight)))
        if band is None or band.get("price") in (None, ""):
            return None
        total += Decimal(str(band["price"]))
        currency = band.get("currency") or currency
    return Price(total, currency or "EUR")


def route_lead_hours(route: ShippingRoute | None, weights=()) -> int | None:
    """The longest lead time of the parcels' bands (the route's shortest when no weights)."""
    if route is None:
        return None
    hours = [(route.band_for(Decimal(str(w))) or {}).get("lead_time_hours") for w in weights] or [
        route.lead_time_hours()
    ]
    hours = [h for h in hours if h]
    return max(hours) if hours else None


def working_days_text(hours: int | None) -> str:
    if not hours:
        return ""
    days = max(1, math.ceil(hours / 24))
    return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}


def route_weight_text(route: ShippingRoute) -> str:
    return formatting.weight_range_kg(route.min_weight_kg or 0, route.max_weight_kg)


def no_route_text(destination: str, origin: str = "") -> str:
    if origin:
        return _(
            "Sendcloud offers no shipping option from %(origin)s to %(country)s (shipping routes "
            "of the last sync); run the sync of shipping routes or correct the country."
        ) % {"origin": origin, "country": destination}
    return _(
        "Sendcloud offers no shipping option to %(country)s (shipping routes of the last sync); "
        "run the sync of shipping routes or correct the country."
    ) % {"country": destination}

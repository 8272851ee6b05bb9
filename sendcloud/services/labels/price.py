"""What a label costs: the price of its route's weight bands, stored when the label is claimed.

The Abgleich of shipping routes keeps Sendcloud's quotes per route and weight band, so a label
needs no quote request of its own (one write per single-parcel label). A route without a band
for a parcel's weight leaves the price empty; the pre-flight has refused such a parcel already.
"""

from __future__ import annotations

from decimal import Decimal

from sendcloud.client.types.shipping import Quote
from sendcloud.services.shipping.routes import Price, route_price
from sendcloud.sync.base import kilograms


def option_price_for(countries: list | None, country: str) -> tuple[Decimal | None, str]:
    """The stored price of a shipping option for `country`: the entry naming that destination,
    or the only entry when it names none; never another country's price."""
    entries = [c for c in countries or () if isinstance(c, dict) and c.get("price") is not None]
    matching = [c for c in entries if (c.get("to") or c.get("iso_2")) == country]
    if not matching and len(entries) == 1 and not (entries[0].get("to") or entries[0].get("iso_2")):
        matching = entries
    if not matching:
        return None, ""
    try:
        return Decimal(str(matching[0]["price"])), str(matching[0].get("currency") or "")
    except ArithmeticError:
        return None, ""


def _in_band(quote: Quote, weight: Decimal) -> bool:
    low, high = kilograms(quote.min_weight), kilograms(quote.max_weight)
    return (low is None or low <= weight) and (high is None or weight <= high)


def quoted_total(quotes, weights: list[Decimal]) -> tuple[Decimal | None, str]:
    """The sum over the parcels of the quote whose weight band holds each; None if any has none."""
    quotes = [q for q in quotes or () if q.total is not None and q.total.value is not None]
    if not quotes or not weights:
        return None, ""
    total, currency = Decimal("0"), quotes[0].total.currency or ""
    for weight in weights:
        fitting = [q for q in quotes if _in_band(q, weight)] or (quotes if len(quotes) == 1 else [])
        if not fitting:
            return None, ""
        total += fitting[0].total.value
    return total, currency


def shipment_route_price(plan) -> Price | None:
    """What the label costs: the synced route's band for each parcel's weight, summed (no quote
    request: the Abgleich of shipping routes keeps the prices)."""
    if plan.route is None:
        return None
    return route_price(plan.route, [package[0] for package in plan.packages])

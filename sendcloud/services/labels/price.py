"""What a label costs: the price Sendcloud quotes for its shipping option, route and parcels.

The mirrored shipping options carry no prices (Sendcloud quotes only for a route, and the sync
asks for none), so a label would show "–". Once the label exists, its own route and weights are
quoted (`POST /shipping-options`, a read) and the total is kept on the shipment. A quote that
cannot be had leaves the price empty and says why on the timeline; the label stands.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudClient, SendcloudError
from sendcloud.client.types.shipping import ParcelSpec, Quote, ShippingOptionsQuery
from sendcloud.models import Shipment
from sendcloud.models.shipments import shipment_event as event
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


def shipment_price_quote(
    shipment: Shipment, client: SendcloudClient, delivery: DeliveryOrder, plan
) -> Shipment:
    """Ask Sendcloud what the label costs and keep it on the shipment, unless it has a price."""
    if shipment.price is not None or not shipment.shipping_option_code or plan.sender is None:
        return shipment
    weights = [Decimal(str(package[0])) for package in plan.packages]
    query = ShippingOptionsQuery(
        from_country_code=plan.sender.country or None,
        to_country_code=str(delivery.country or "") or None,
        from_postal_code=plan.sender.postal_code or None,
        to_postal_code=delivery.postal_code or None,
        parcels=tuple(
            ParcelSpec(weight=weight, length=length, width=width, height=height)
            for weight, length, width, height, _package in plan.packages
        ),
        shipping_option_code=shipment.shipping_option_code,
        calculate_quotes=True,
    )
    try:
        result = client.shipping_options(query)
    except SendcloudError as exc:
        event(shipment, "price", _("No price: %(error)s") % {"error": exc})
        return shipment
    option = next((o for o in result.options if o.code == shipment.shipping_option_code), None)
    price, currency = quoted_total(option.quotes if option else None, weights)
    if price is None:
        event(
            shipment,
            "price",
            _("Sendcloud quoted no price for %(option)s from %(source)s to %(destination)s.")
            % {
                "option": shipment.shipping_option_name or shipment.shipping_option_code,
                "source": plan.sender.country,
                "destination": str(delivery.country or ""),
            },
        )
        return shipment
    shipment.price, shipment.currency = price, currency
    shipment.save(update_fields=["price", "currency", "updated_at"])
    return shipment

"""Shipping routes: which option ships from which country to which, at what price per weight band.

v3 `POST /shipping-options` (§8.1) with `from_country_code`, `to_country_code` and
`calculate_quotes: true`, once per route the company needs: from each warehouse's country (its
mapped sender address's, else its own) to each country it ships to (its delivery orders', its
customers' addresses', its warehouses'). No `parcels` are sent, so every weight band comes back
with its quote (the sandbox does so; the reference does not say whether real Sendcloud narrows the
quotes to the parcels' band when parcels are sent, so none are). A route missing from a complete
walk is archived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backoffice.inventory.models import Warehouse
from backoffice.sales.models import CustomerAddress, DeliveryOrder
from sendcloud.client import Malformed
from sendcloud.client.types.shipping import ShippingOptionsQuery
from sendcloud.models import ObjectType, ShippingRoute, WarehouseSenderAddress
from sendcloud.models.routes import route_key

from .base import Page, SyncContext, TypeSync, clip, decimal_or_none, kilograms


@dataclass(frozen=True)
class RouteItem:
    option: Any  # client ShippingOption
    from_country: str
    to_country: str

    @property
    def raw(self) -> dict:
        return {"from": self.from_country, "to": self.to_country, "option": self.option.raw}


def route_origins(integration) -> list[str]:
    """The countries the company's active warehouses ship from (sender address first)."""
    senders = dict(
        WarehouseSenderAddress.objects.filter(
            integration=integration, sender_address__archived_at__isnull=True
        ).values_list("warehouse_id", "sender_address__country")
    )
    countries = set()
    for pk, country in Warehouse.objects.filter(
        company_id=integration.company_id, is_active=True
    ).values_list("pk", "country"):
        origin = (senders.get(pk) or str(country or "")).upper()
        if origin:
            countries.add(origin)
    return sorted(countries)


def route_destinations(integration) -> list[str]:
    """Every country the company ships to or might: orders, customer addresses, warehouses."""
    company = integration.company_id
    countries = set(
        DeliveryOrder.objects.filter(company_id=company).values_list("country", flat=True)
    )
    countries |= set(
        CustomerAddress.objects.filter(customer__company_id=company).values_list(
            "country", flat=True
        )
    )
    countries |= set(Warehouse.objects.filter(company_id=company).values_list("country", flat=True))
    return sorted({str(c).upper() for c in countries if c})


def route_pairs(integration) -> list[tuple[str, str]]:
    destinations = route_destinations(integration)
    return [(o, d) for o in route_origins(integration) for d in destinations]


class RouteSync(TypeSync):
    object_type = ObjectType.ROUTES
    model = ShippingRoute
    key = "key"

    def run(self, ctx: SyncContext) -> None:
        # Read here: the pages are fetched in another thread, which must not touch the database.
        ctx.scratch["pairs"] = route_pairs(ctx.integration)
        super().run(ctx)

    def batches(self, ctx: SyncContext, token: str | None):
        """One page per route pair; the token is the index of the next pair (pairs sorted, so a
        resumed run asks the same list)."""
        pairs = ctx.scratch["pairs"]
        start = int(token) if token and token.isdigit() else 0
        for index in range(start, len(pairs)):
            source, destination = pairs[index]
            query = ShippingOptionsQuery(
                from_country_code=source, to_country_code=destination, calculate_quotes=True
            )
            options = ctx.client.v3.shipping_options(query, tolerant=True).options
            items = tuple(
                o if isinstance(o, Malformed) else RouteItem(o, source, destination)
                for o in options
            )
            following = str(index + 1) if index + 1 < len(pairs) else None
            yield Page(items, next_token=following)
        if not pairs:
            yield Page((), next_token=None)

    def raw_keys(self, raw: Any) -> list:
        return []  # an unreadable option's route is not known, so it is not offered

    def item_ref(self, item):
        option = getattr(item, "option", None)
        return f"{getattr(item, 'from_country', '?')}>{getattr(item, 'to_country', '?')}>" + (
            getattr(option, "code", "?")
        )

    def rows(self, item: RouteItem):
        option = item.option
        functionalities = option.functionalities or {}
        if functionalities.get("returns"):
            return  # return options ship returns, never an order
        requirements = option.requirements or {}
        bands = [_band(q) for q in option.quotes or ()]
        bands = sorted((b for b in bands if b is not None), key=lambda b: float(b["min_kg"]))
        yield {
            "key": clip(route_key(option.code, item.from_country, item.to_country), 260),
            "option_code": clip(option.code, 200),
            "option_name": clip(option.name, 300),
            "carrier_code": clip(option.carrier.code if option.carrier else "", 60),
            "from_country": item.from_country,
            "to_country": item.to_country,
            "min_weight_kg": kilograms(option.min_weight),
            "max_weight_kg": kilograms(option.max_weight),
            "bands": bands,
            "max_dimensions_cm": _dimensions(option.max_dimensions),
            "required_fields": [str(f) for f in requirements.get("fields") or ()],
            "export_documents": bool(requirements.get("export_documents")),
            "service_point_required": bool(requirements.get("is_service_point_required")),
            "last_mile": clip(functionalities.get("last_mile"), 40),
            "multicollo": bool(functionalities.get("multicollo")),
            "raw": item.raw,
        }


def _band(quote) -> dict | None:
    if quote.total is None or quote.total.value is None:
        return None
    low, high = kilograms(quote.min_weight), kilograms(quote.max_weight)
    return {
        "min_kg": str(low if low is not None else 0),
        "max_kg": str(high) if high is not None else None,
        "price": str(quote.total.value),
        "currency": quote.total.currency or "",
        "lead_time_hours": quote.lead_time_hours,
    }


def _dimensions(dims) -> list[str]:
    """Largest first, in cm; empty when Sendcloud names none or another unit."""
    if dims is None or (dims.unit or "cm") != "cm":
        return []
    values = [decimal_or_none(v, 2) for v in (dims.length, dims.width, dims.height)]
    if any(v is None or v <= 0 for v in values):
        return []
    return [str(v) for v in sorted(values, reverse=True)]

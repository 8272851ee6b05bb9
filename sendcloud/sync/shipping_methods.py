"""Shipping methods: v3 shipping options (§18), outbound and return; carriers come with them."""

from __future__ import annotations

from sendcloud.models import Carrier, ObjectType, ShippingOption
from sendcloud.models.sync import Counts

from .base import Page, SyncContext, TypeSync, clip, kilograms

RETURNS = "returns"  # resume token: the outbound options are written


class CarrierSync(TypeSync):
    object_type = ObjectType.SHIPPING_METHODS
    model = Carrier
    key = "code"

    def rows(self, item):
        code, name = item
        yield {"code": clip(code, 60), "name": clip(name, 200), "raw": {"code": code, "name": name}}


class ShippingMethodSync(TypeSync):
    object_type = ObjectType.SHIPPING_METHODS
    model = ShippingOption
    key = "code"
    carriers = CarrierSync()

    def batches(self, ctx: SyncContext, token: str | None):
        """v3 `POST /shipping-options` without filters: every option of the account's contracts,
        then the return options, which only come back when asked for."""
        if token != RETURNS:
            yield Page(
                ctx.client.v3.shipping_options({}, tolerant=True).options, next_token=RETURNS
            )
        query = {"functionalities": {"returns": True}}
        yield Page(ctx.client.v3.shipping_options(query, tolerant=True).options)

    def write_batch(self, ctx: SyncContext, batch, *, counts: Counts | None = None) -> None:
        """The options, then the carriers they name (v3 has no carrier list of its own)."""
        super().write_batch(ctx, batch, counts=counts)
        carriers: dict[str, str] = {}
        for option in batch.items:
            carrier = getattr(option, "carrier", None)
            if carrier and carrier.code:
                carriers[carrier.code] = carrier.name or carriers.get(carrier.code) or ""
        page = Page(tuple(sorted(carriers.items())), next_token=batch.next_token)
        self.carriers.write_batch(ctx, page, counts=ctx.progress.carriers)

    def archive(self, ctx: SyncContext, *, counts: Counts | None = None) -> None:
        super().archive(ctx, counts=counts)
        self.carriers.archive(ctx, counts=ctx.progress.carriers)

    def item_ref(self, item):
        return getattr(item, "code", "?")

    def rows(self, option):
        functionalities = option.functionalities or {}
        yield {
            "code": clip(option.code, 200),
            "name": clip(option.name, 300),
            "carrier_code": clip(option.carrier.code if option.carrier else "", 60),
            "carrier_name": clip(option.carrier.name if option.carrier else "", 200),
            "product_code": clip(option.product_code, 200),
            "product_name": clip(option.product_name, 300),
            "contract_id": option.contract_id,
            "min_weight_kg": kilograms(option.min_weight),
            "max_weight_kg": kilograms(option.max_weight),
            "service_point_required": option.is_service_point_required,
            "supports_returns": bool(functionalities.get("returns")),
            "functionalities": functionalities,
            "requirements": option.requirements or {},
            "countries": _countries(option),
            "raw": option.raw,
        }


def _countries(option) -> list[dict]:
    """Prices per route only exist when Sendcloud quoted them (they are not asked for here)."""
    out = []
    for quote in option.quotes or ():
        if quote.total is not None:
            out.append({"price": str(quote.total.value), "currency": quote.total.currency or ""})
    return out

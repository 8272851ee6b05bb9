"""Returns: v3 `GET /returns` (§18).

The list filters by creation date only, so incremental runs fetch the returns created since the
newest one seen; status changes of older returns arrive by webhook (return_delivered, …) and are
reconciled by the daily full walk, which also archives returns gone from Sendcloud.
"""

from __future__ import annotations

from datetime import datetime

from sendcloud.models import ObjectType, Return

from .base import SyncContext, TypeSync, clip, decimal_or_none
from .parcels import full_pass_due


class ReturnSync(TypeSync):
    object_type = ObjectType.RETURNS
    model = Return
    incremental = True

    def mode_for(self, ctx: SyncContext) -> str:
        return "full" if full_pass_due(ctx.state) else "incremental"

    def batches(self, ctx: SyncContext, token):
        since = None if ctx.full else ctx.state.watermark
        return ctx.client.v3.returns_pages(from_date=since, resume=token, tolerant=True)

    def seen_at(self, item) -> datetime | None:
        return item.created_at

    def rows(self, item):
        if item.id is None:
            raise ValueError("return without an id")
        history = [h.at for h in item.status_history if h.at]
        refund = item.raw.get("refund") if isinstance(item.raw.get("refund"), dict) else {}
        yield {
            "sendcloud_id": item.id,
            "status": clip(item.status, 60),
            "reason": clip(item.reason, 200),
            "order_number": clip(item.order_number, 100),
            "refund_status": clip(item.refund_type, 60),
            "refund_total": decimal_or_none(refund.get("total_refund"), 2, 10**8),
            "incoming_parcel_id": item.parcel_id,
            "items": [
                {
                    "description": i.description,
                    "quantity": i.quantity,
                    "sku": i.sku,
                    "hs_code": i.hs_code,
                    "price": str(i.price.value) if i.price and i.price.value is not None else None,
                }
                for i in item.items
            ],
            "incoming_tracking_number": clip(item.tracking_number, 100),
            "sendcloud_created_at": item.created_at,
            "sendcloud_updated_at": max(history) if history else item.created_at,
            "raw": item.raw,
        }

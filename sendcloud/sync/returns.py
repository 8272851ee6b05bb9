"""Returns: v3 `GET /returns` (§18).

The list filters by creation date only, so incremental runs fetch the returns created since the
newest one seen; status changes of older returns arrive by webhook (return_delivered, …) and are
reconciled by the daily full walk, which also archives returns gone from Sendcloud.
"""

from __future__ import annotations

from datetime import datetime

from sendcloud.client.v3_returns import label_parcel_id
from sendcloud.models import ObjectType, Return

from .base import SyncContext, TypeSync, clip, decimal_or_none
from .parcels import full_pass_due


class ReturnSync(TypeSync):
    object_type = ObjectType.RETURNS
    model = Return
    incremental = True
    # A return created in the back office is the same row (issue 22): its link to the delivery
    # order, its state, label and Retoure are ours, not Sendcloud's.
    local_fields = (
        "state", "delivery_order", "warehouse", "external_reference", "reason_id",
        "refund_type", "delivery_option", "shipping_option_code", "tracking_url",
        "parcel_status_id", "parcel_status", "status_changed_at", "delivered_at", "label_pdf",
        "emailed_at", "emailed_to", "error_message", "cancel_message", "retoure", "created_by",
        "created_at", "updated_at",
    )  # fmt: skip

    def mirrored(self, ctx: SyncContext):
        # Attempts of the back office without a Sendcloud id are not the Abgleich's to archive.
        return super().mirrored(ctx).exclude(sendcloud_id=None)

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
            "incoming_parcel_id": label_parcel_id(item),
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

"""The parcel status catalogue: v3 codes joined with v2 ids (§11.1, §18: both)."""

from __future__ import annotations

from sendcloud.models import ObjectType, ParcelStatus

from .base import Batch, TypeSync, clip

# The phase column of the reference's §11.1 table, by v3 code.
GROUPS = {
    "NO_LABEL": "created",
    "READY_TO_SEND": "created",
    "ANNOUNCING": "created",
    "ANNOUNCEMENT_FAILED": "failed",
    "ANNOUNCED": "announced",
    "ANNOUNCED_UNCOLLECTED": "announced",
    "COLLECT_ERROR": "exception",
    "UNSORTED": "exception",
    "DELAYED": "exception",
    "DELIVERY_FAILED": "exception",
    "UNDELIVERABLE": "exception",
    "EXCEPTION": "exception",
    "ADDRESS_INVALID": "exception",
    "REFUSED_BY_RECIPIENT": "exception",
    "AWAITING_CUSTOMER_PICKUP": "delivery",
    "DELIVERED": "delivered",
    "COLLECTED_BY_CUSTOMER": "delivered",
    "RETURNED_TO_SENDER": "returned",
    "CANCELLING": "cancelled",
    "CANCELLING_UPSTREAM": "cancelled",
    "CANCELLED_UPSTREAM": "cancelled",
    "CANCELLED": "cancelled",
    "CANCELLATION_FAILED": "exception",
    "UNKNOWN": "unknown",
}


def status_key(code: str | None, v2_id: int | None) -> str:
    return code or f"v2:{v2_id}"


class ParcelStatusSync(TypeSync):
    object_type = ObjectType.PARCEL_STATUSES
    model = ParcelStatus
    key = "key"

    def batches(self, ctx, token):
        yield Batch(ctx.client.parcel_statuses())

    def item_ref(self, item):
        return status_key(item.code, item.v2_id)

    def rows(self, item):
        if not item.code and item.v2_id is None:
            raise ValueError("status without code and id")
        yield {
            "key": clip(status_key(item.code, item.v2_id), 80),
            "v2_id": item.v2_id,
            "v3_code": clip(item.code, 60),
            "message": clip(item.message, 200),
            "group": GROUPS.get(item.code or "", "in_transit" if item.code else ""),
            "raw": {
                "code": item.code,
                "v2_id": item.v2_id,
                "message": item.message,
                "source": item.source,
            },
        }

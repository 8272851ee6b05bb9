"""The parcel status catalogue: v3 codes joined with v2 ids (§11.1, §18: both)."""

from __future__ import annotations

from sendcloud.client.types.statuses import GROUP_BY_CODE
from sendcloud.models import ObjectType, ParcelStatus

from .base import Page, TypeSync, clip


def status_key(code: str | None, v2_id: int | None) -> str:
    return code or f"v2:{v2_id}"


class ParcelStatusSync(TypeSync):
    object_type = ObjectType.PARCEL_STATUSES
    model = ParcelStatus
    key = "key"

    def batches(self, ctx, token):
        yield Page(tuple(ctx.client.parcel_statuses()))

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
            "group": GROUP_BY_CODE.get(item.code or "", "in_transit" if item.code else ""),
            "raw": {
                "code": item.code,
                "v2_id": item.v2_id,
                "message": item.message,
                "source": item.source,
            },
        }

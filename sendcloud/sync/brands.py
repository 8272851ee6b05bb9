"""Brands: v2 `GET /brands` (no v3 brands API, §18)."""

from __future__ import annotations

from sendcloud.models import Brand, ObjectType

from .base import TypeSync, clip


class BrandSync(TypeSync):
    object_type = ObjectType.BRANDS
    model = Brand

    def batches(self, ctx, token):
        return ctx.client.v2.brands_pages(resume=token, tolerant=True)

    def rows(self, item):
        yield {
            "sendcloud_id": item.id,
            "name": clip(item.name, 200),
            "domain": clip(item.domain, 200),
            "color": clip(item.color, 20),
            "raw": item.raw,
        }

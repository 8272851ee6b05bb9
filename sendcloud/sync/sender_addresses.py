"""Sender addresses: v3 list (§18), completed with v2's `brand_id` and `label`."""

from __future__ import annotations

from collections.abc import Iterator

from sendcloud.client.types import SenderAddress as ApiSenderAddress
from sendcloud.models import ObjectType, SenderAddress

from .base import Page, SyncContext, TypeSync, clip


class SenderAddressSync(TypeSync):
    object_type = ObjectType.SENDER_ADDRESSES
    model = SenderAddress

    def batches(self, ctx: SyncContext, token: str | None) -> Iterator[Page]:
        # v2 alone knows brand and label; the list is small and unpaginated (one more request).
        ctx.scratch["v2"] = {a.id: a for a in ctx.client.v2.sender_addresses()}
        return ctx.client.v3.sender_addresses_pages(resume=token, tolerant=True)

    def rows(self, item: ApiSenderAddress):
        yield self.row(item)

    def write_batch(self, ctx, batch, *, counts=None):
        v2 = ctx.scratch.get("v2", {})
        items = [
            item.with_v2_details(v2[item.id]) if getattr(item, "id", None) in v2 else item
            for item in batch.items
        ]
        super().write_batch(ctx, Page(tuple(items), next_token=batch.next_token), counts=counts)

    @staticmethod
    def row(a: ApiSenderAddress) -> dict:
        return {
            "sendcloud_id": a.id,
            "company_name": clip(a.company_name, 200),
            "contact_name": clip(a.name, 200),
            "street": clip(a.address_line_1, 200),
            "house_number": clip(a.house_number, 30),
            "address_line_2": clip(a.address_line_2, 200),
            "postal_code": clip(a.postal_code, 20),
            "city": clip(a.city, 100),
            "country": clip(a.country_code, 2).upper(),
            "state_code": clip(a.state_province_code, 10),
            "email": clip(a.email, 200),
            "phone": clip(a.phone_number, 50),
            "brand_id": a.brand_id,
            "label": clip(a.label, 200),
            "tax_numbers": [
                {"name": t.name, "country_code": t.country_code, "value": t.value}
                for t in a.tax_numbers
            ],
            "raw": {**a.raw, "brand_id": a.brand_id, "label": a.label},
        }

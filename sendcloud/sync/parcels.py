"""Parcels: v3 `GET /shipments` (§18), one row per parcel of each shipment.

After the first full walk, runs ask only for shipments updated after the watermark (the newest
`updated_at` seen). Once a day a full walk archives parcels gone from Sendcloud; it ends with a
short catch-up walk over everything updated since it began, because a parcel changed during a
long walk may sit on a page that was already passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from sendcloud.models import ObjectType, Parcel

from . import fetch
from .base import SyncContext, TypeSync, clip, kilograms

FULL_PASS_EVERY = timedelta(hours=24)
CATCH_UP_MARGIN = timedelta(minutes=1)


def full_pass_due(state) -> bool:
    """No watermark yet, or the last full walk (which catches deletions) is a day old."""
    if state.watermark is None or state.last_full_at is None:
        return True
    return state.last_full_at < timezone.now() - FULL_PASS_EVERY


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class ParcelSync(TypeSync):
    object_type = ObjectType.PARCELS
    model = Parcel
    incremental = True
    guard_fields = ("status_changed_at", "status_id", "status_code", "status_message")

    def mode_for(self, ctx: SyncContext) -> str:
        return "full" if full_pass_due(ctx.state) else "incremental"

    def run(self, ctx: SyncContext) -> None:
        entry = ctx.entry
        if self.begin(ctx):
            entry["phase"] = "walk"
            entry["walk_started"] = timezone.now().isoformat()
            watermark = None if ctx.full else ctx.state.watermark
            entry["updated_after"] = watermark.isoformat() if watermark else None
        if entry["phase"] == "walk":
            if not entry["walked"]:
                after = _when(entry["updated_after"])
                self.walk(ctx, self.shipments(ctx, entry["token"], after))
            if not ctx.full:
                return
            self.archive(ctx)
            elapsed = timezone.now() - datetime.fromisoformat(entry["walk_started"])
            newest = _when(entry["max_seen"])
            since = newest - elapsed - CATCH_UP_MARGIN if newest else None
            entry.update(phase="catch_up", token=None, walked=since is None)
            entry["updated_after"] = since.isoformat() if since else None
            if ctx.heartbeat:
                ctx.heartbeat()
        if entry["phase"] == "catch_up" and not entry["walked"]:
            after = _when(entry["updated_after"])
            self.walk(ctx, self.shipments(ctx, entry["token"], after))

    def shipments(self, ctx: SyncContext, token, after):
        """Only this integration's shipments: the Abgleich never mirrors another's parcels."""
        own = ctx.integration.sendcloud_id
        return fetch.shipments(ctx.client, token, updated_after=after, integration_id=own)

    def item_ref(self, item) -> str:
        return str(getattr(item, "id", "?"))

    def raw_keys(self, raw) -> list:
        parcels = raw.get("parcels") if isinstance(raw, dict) else None
        return [p.get("id") for p in parcels or [] if isinstance(p, dict) and p.get("id")]

    def seen_at(self, shipment) -> datetime | None:
        stamps = [p.updated_at for p in shipment.parcels if p.updated_at]
        return max(stamps) if stamps else None

    def guard(self, row: dict, old: dict) -> None:
        """A newer status from a webhook is never overwritten by an older list entry."""
        if old["status_changed_at"] and (
            row["status_changed_at"] is None or old["status_changed_at"] > row["status_changed_at"]
        ):
            for name in self.guard_fields:
                row[name] = old[name]

    def rows(self, shipment):
        head = {k: v for k, v in shipment.raw.items() if k != "parcels"}
        to = shipment.to_address
        carrier = shipment.carrier.code if shipment.carrier else ""
        for parcel in shipment.parcels:
            status = parcel.status
            yield {
                "sendcloud_id": parcel.id,
                "shipment_id": clip(shipment.id, 64),
                "tracking_number": clip(parcel.tracking_number, 100),
                "tracking_url": clip(parcel.tracking_url, 500),
                "status_id": status.id if status else None,
                "status_code": clip(status.code if status else "", 60),
                "status_message": clip(status.message if status else "", 200),
                "status_changed_at": parcel.updated_at,
                "carrier_code": clip(carrier, 60),
                "shipping_method": clip(shipment.shipping_option_code, 200),
                "order_number": clip(shipment.order_number, 100),
                "external_reference": clip(shipment.external_reference_id, 200),
                "weight_kg": kilograms(parcel.weight),
                "to_name": clip(to.name if to else "", 200),
                "to_city": clip(to.city if to else "", 100),
                "to_country": clip(to.country_code if to else "", 2).upper(),
                "is_return": False,
                "documents": [
                    {"type": d.type, "size": d.size, "link": d.link} for d in parcel.documents
                ],
                "sendcloud_created_at": parcel.created_at,
                "sendcloud_updated_at": parcel.updated_at,
                "raw": {**parcel.raw, "shipment": head},
            }

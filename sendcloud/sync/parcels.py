"""Parcels: v3 `GET /shipments` (§18), one row per parcel of each shipment.

After the first full walk, runs ask only for shipments updated after the watermark (the newest
`updated_at` seen). Once a day a full walk archives parcels gone from Sendcloud; it ends with a
short catch-up walk over everything updated since it began, because a parcel changed during a
long walk may sit on a page that was already passed.

`parcel_row` is the one mapping of a parcel to its row: the sync feeds it v3 shipments, status
webhooks feed it v2 parcels (`parcel_row_from_v2`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from sendcloud.client.types import ParcelV2
from sendcloud.models import ObjectType, Parcel
from sendcloud.models.parcels import status_wins

from .base import SyncContext, TypeSync, decimal_or_none, fit, kilograms

FULL_PASS_EVERY = timedelta(hours=24)
CATCH_UP_MARGIN = timedelta(minutes=1)
CATCH_UP = "catch_up"


def full_pass_due(state) -> bool:
    """No watermark yet, or the last full walk (which catches deletions) is a day old."""
    if state.watermark is None or state.last_full_at is None:
        return True
    return state.last_full_at < timezone.now() - FULL_PASS_EVERY


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def parcel_row(parcel_id: int, *, status, changed_at, to, documents=(), **values) -> dict:
    """The columns of a Parcel row; `values` are the plain text, date and number columns."""
    return fit(
        Parcel,
        {
            "sendcloud_id": parcel_id,
            "status_id": status.id if status else None,
            "status_code": status.code if status else "",
            "status_message": status.message if status else "",
            "status_changed_at": changed_at,
            "to_name": to.name if to else "",
            "to_city": to.city if to else "",
            "to_country": (to.country_code or "").upper() if to else "",
            "documents": [{"type": d.type, "size": d.size, "link": d.link} for d in documents],
            **values,
        },
    )


def parcel_row_from_v2(parcel: ParcelV2, *, changed_at: datetime | None) -> dict:
    return parcel_row(
        parcel.id,
        status=parcel.status,
        changed_at=changed_at,
        to=parcel.recipient,
        raw=parcel.raw,
        documents=parcel.documents,
        shipment_id=parcel.shipment_uuid,
        tracking_number=parcel.tracking_number,
        tracking_url=parcel.tracking_url,
        carrier_code=parcel.carrier_code,
        shipping_method=parcel.shipping_method_name,
        order_number=parcel.order_number,
        external_reference=parcel.external_reference,
        weight_kg=decimal_or_none(parcel.weight),
        is_return=bool(parcel.is_return),
        sendcloud_created_at=parcel.date_created,
        sendcloud_updated_at=parcel.date_updated,
    )


class ParcelSync(TypeSync):
    object_type = ObjectType.PARCELS
    model = Parcel
    incremental = True
    guard_fields = ("status_changed_at", "status_id", "status_code", "status_message")

    def mode_for(self, ctx: SyncContext) -> str:
        return "full" if full_pass_due(ctx.state) else "incremental"

    def begin(self, ctx: SyncContext) -> None:
        first = not ctx.progress.begun
        super().begin(ctx)
        if first:
            watermark = None if ctx.full else ctx.state.watermark
            ctx.progress.updated_after = watermark.isoformat() if watermark else None

    def batches(self, ctx: SyncContext, token: str | None):
        # Only this integration's shipments: the reference scopes the list to the calling
        # credentials (v3 §6.5), but a connector has seen every shipment of the account there,
        # and a shipment names no integration to filter on afterwards.
        return ctx.client.v3.shipments_pages(
            updated_after=_when(ctx.progress.updated_after),
            integration_id=ctx.integration.sendcloud_id,
            resume=token,
            tolerant=True,
        )

    def next_phase(self, ctx: SyncContext) -> bool:
        """After a full walk: catch up with what changed on pages already passed."""
        progress = ctx.progress
        if not ctx.full or progress.phase == CATCH_UP:
            return False
        elapsed = timezone.now() - datetime.fromisoformat(progress.walk_started)
        newest = _when(progress.max_seen)
        since = newest - elapsed - CATCH_UP_MARGIN if newest else None
        progress.phase, progress.token, progress.walked = CATCH_UP, None, since is None
        progress.updated_after = since.isoformat() if since else None
        return True

    def raw_keys(self, raw) -> list:
        parcels = raw.get("parcels") if isinstance(raw, dict) else None
        return [p.get("id") for p in parcels or [] if isinstance(p, dict) and p.get("id")]

    def seen_at(self, shipment) -> datetime | None:
        stamps = [p.updated_at for p in shipment.parcels if p.updated_at]
        return max(stamps) if stamps else None

    def guard(self, row: dict, old: dict) -> None:
        """A newer status from a webhook is never overwritten by an older list entry."""
        if not status_wins(old["status_changed_at"], row["status_changed_at"]):
            for name in self.guard_fields:
                row[name] = old[name]

    def rows(self, shipment):
        head = {k: v for k, v in shipment.raw.items() if k != "parcels"}
        for parcel in shipment.parcels:
            yield parcel_row(
                parcel.id,
                status=parcel.status,
                changed_at=parcel.updated_at,
                to=shipment.to_address,
                raw={**parcel.raw, "shipment": head},
                documents=parcel.documents,
                shipment_id=shipment.id,
                tracking_number=parcel.tracking_number,
                tracking_url=parcel.tracking_url,
                carrier_code=shipment.carrier.code if shipment.carrier else "",
                shipping_method=shipment.shipping_option_code,
                order_number=shipment.order_number,
                external_reference=shipment.external_reference_id,
                weight_kg=kilograms(parcel.weight),
                is_return=False,
                sendcloud_created_at=parcel.created_at,
                sendcloud_updated_at=parcel.updated_at,
            )

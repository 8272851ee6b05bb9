"""Apply pushed Sendcloud objects (webhooks) to the mirrored rows, never letting old news win."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sendcloud.client import as_decimal, as_int
from sendcloud.client.parsers import parse_parcel_v2
from sendcloud.models import Integration, Parcel, Return
from sendcloud.models.parcels import status_wins
from sendcloud.sync.parcels import parcel_row_from_v2

from .returns import retoure_for_return
from .sql import rows_insert_new, rows_update


@transaction.atomic
def parcel_status_apply(integration: Integration, data: dict, *, timestamp: datetime | None):
    """Upsert the parcel of a status webhook; returns (parcel, whether the status was applied).

    Values the event leaves empty keep what the sync stored; the status always comes along."""
    row = parcel_row_from_v2(parse_parcel_v2(data), changed_at=timestamp)
    parcel, _created = Parcel.objects.select_for_update().get_or_create(
        integration=integration, sendcloud_id=row.pop("sendcloud_id")
    )
    if not status_wins(parcel.status_changed_at, timestamp):
        return parcel, False
    for name, value in row.items():
        if value not in ("", None, []) or name.startswith("status_"):
            setattr(parcel, name, value)
    parcel.status_changed_at = timestamp
    parcel.archived_at = None
    parcel.save()
    return parcel, True


def parcel_statuses_apply(
    integration: Integration, items: list[tuple[dict, datetime | None]]
) -> list[tuple[Parcel, bool]]:
    """`parcel_status_apply` for many events of one integration in one transaction: the same
    outcome as applying them one after the other, with a few statements for the whole batch
    (parcels new to the mirror are inserted with their values, known ones updated)."""
    rows = [parcel_row_from_v2(parse_parcel_v2(data), changed_at=when) for data, when in items]
    ids = [row.pop("sendcloud_id") for row in rows]
    mine = Parcel.objects.select_for_update().filter(integration=integration)
    with transaction.atomic():
        parcels = {p.sendcloud_id: p for p in mine.filter(sendcloud_id__in=set(ids))}
        # Inserted in id order, so two workers inserting the same new parcels wait in turn
        # instead of each holding a key the other needs.
        missing = sorted(set(ids) - parcels.keys())
        new = {pk: Parcel(integration=integration, sendcloud_id=pk) for pk in missing}
        parcels.update(new)
        outcomes, changed = [], {}
        for pk, row, (_data, timestamp) in zip(ids, rows, items, strict=True):
            parcel = parcels[pk]
            applied = status_wins(parcel.status_changed_at, timestamp)
            if applied:
                for name, value in row.items():
                    if value not in ("", None, []) or name.startswith("status_"):
                        setattr(parcel, name, value)
                parcel.status_changed_at = timestamp
                parcel.archived_at = None
                changed[pk] = parcel
            outcomes.append((parcel, applied))
        stored = rows_insert_new(list(new.values()), ("integration", "sendcloud_id"))
        rows_update([parcel for pk, parcel in changed.items() if pk not in new])
        if lost := {pk for pk in new if (integration.pk, pk) not in stored}:
            # Another writer (a sync run) stored these parcels after the SELECT above: apply
            # their events once more, now to the rows it stored.
            again = [i for i, pk in enumerate(ids) if pk in lost]
            redone = parcel_statuses_apply(integration, [items[i] for i in again])
            for i, outcome in zip(again, redone, strict=True):
                outcomes[i] = outcome
    return outcomes


@transaction.atomic
def return_event_apply(integration: Integration, action: str, payload: dict, *, timestamp):
    """Record return_created / return_delivered / refund_requested on the Return row."""
    data = payload.get("data") or payload.get("refund") or {}
    return_id = data.get("id") or payload.get("return_id")
    if return_id is None:
        # return_delivered carries no return id (v2 ref §7.2), only its parcels; a return the
        # sync has mirrored is found by its incoming parcel. Otherwise the event stays stored.
        incoming = as_int((payload.get("refund") or {}).get("incoming_parcel"))
        known = Return.objects.filter(integration=integration, incoming_parcel_id=incoming)
        return_id = known.values_list("sendcloud_id", flat=True).first() if incoming else None
    if return_id is None:
        return None
    returned, _created = Return.objects.select_for_update().get_or_create(
        integration=integration, sendcloud_id=int(return_id)
    )
    if returned.event_changed_at and timestamp and timestamp < returned.event_changed_at:
        return returned
    if action == "return_created":
        returned.order_number = str(data.get("order_number") or returned.order_number)[:100]
        returned.status = returned.status or "created"
    elif action == "return_delivered":
        returned.status = "delivered"
        refund = payload.get("refund") or {}
        returned.refund_status = str(refund.get("status") or "")[:60]
        returned.refund_total = as_decimal(refund.get("total_refund"))
    elif action == "refund_requested":
        returned.refund_status = "requested"
        returned.reason = str(payload.get("refund_reason") or returned.reason)[:200]
    returned.event_changed_at = timestamp or timezone.now()
    returned.raw = {**returned.raw, action: payload}
    if action == "return_delivered" and returned.delivered_at is None:
        returned.delivered_at = returned.event_changed_at
    returned.save()
    retoure_for_return(returned)  # a return created here gets its Retoure once delivered
    return returned

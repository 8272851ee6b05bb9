"""Status of returns the back office knows: from `parcel_status_changed` of their incoming
parcel (webhook), or from the return object (reconciliation, after a create). A return
delivered to the warehouse gets its Retoure (return receipt) — once."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backoffice.sales.models import Retoure, RetoureLine
from sendcloud.client.types import Return as ReturnObject
from sendcloud.models import Integration, Return
from sendcloud.models.parcels import status_wins
from sendcloud.vocabulary import V2_STATUS

DELIVERED = 11
CANCELLED = (2000, 1998)
FINAL = (DELIVERED, *CANCELLED)
ID_BY_CODE = {code: sid for sid, code in V2_STATUS.items()}


def _slug_to_id(slug: str | None) -> int | None:
    """The return list's parent status slug (`delivered`, v3 §10.4) → v2 status id."""
    return ID_BY_CODE.get((slug or "").upper().replace("-", "_").replace(" ", "_"))


def _apply(returned: Return, status_id: int | None, message: str, at: datetime | None) -> bool:
    if status_id is None or not status_wins(returned.status_changed_at, at):
        return False
    if returned.parcel_status_id in FINAL and at == returned.status_changed_at:
        # Events of one moment arrive in any order; of those, the final status stays.
        return False
    returned.parcel_status_id = status_id
    returned.parcel_status = message[:200]
    returned.status_changed_at = at
    if status_id == DELIVERED and returned.delivered_at is None:
        returned.delivered_at = at or timezone.now()
    if status_id in CANCELLED and returned.state in Return.OPEN_STATES:
        returned.state = Return.State.CANCELLED
    return True


@transaction.atomic
def return_status_apply(
    integration: Integration, parcel: dict, *, timestamp: datetime | None
) -> Return | None:
    """The incoming parcel's status on its return (None when no return has that parcel)."""
    try:
        parcel_id = int(parcel.get("id"))
    except (TypeError, ValueError):
        return None
    returned = (
        Return.objects.select_for_update()
        .filter(integration=integration, incoming_parcel_id=parcel_id)
        .first()
    )
    if returned is None:
        return None
    status = parcel.get("status") or {}
    applied = _apply(returned, status.get("id"), str(status.get("message") or ""), timestamp)
    if applied:
        returned.incoming_tracking_number = str(
            parcel.get("tracking_number") or returned.incoming_tracking_number
        )[:100]
        returned.tracking_url = str(parcel.get("tracking_url") or returned.tracking_url)[:1000]
        returned.save()
        retoure_for_return(returned)
    return returned


@transaction.atomic
def return_object_apply(returned: Return, found: ReturnObject) -> Return:
    """What `GET /returns/{id}` (or a list item) says: tracking, label link, parent status."""
    returned = Return.objects.select_for_update().get(pk=returned.pk)
    returned.incoming_tracking_number = (found.tracking_number or "")[:100] or (
        returned.incoming_tracking_number
    )
    returned.tracking_url = (found.tracking_url or returned.tracking_url)[:1000]
    returned.status = (found.status or returned.status)[:60]
    returned.sendcloud_created_at = returned.sendcloud_created_at or found.created_at
    last = found.status_history[-1] if found.status_history else None
    if last is not None:
        status_id = _slug_to_id(last.parent_status)
        _apply(returned, status_id, last.carrier_message or last.parent_status or "", last.at)
    if found.delivered_at and returned.delivered_at is None:
        returned.delivered_at = found.delivered_at
    returned.raw = {**returned.raw, "return": found.raw}
    returned.save()
    retoure_for_return(returned)
    return returned


def retoure_for_return(returned: Return) -> Retoure | None:
    """The Retoure of a return delivered to the warehouse, created once with a line per
    returned delivery order line (the caller holds the return's row lock)."""
    if returned.delivered_at is None or returned.retoure_id or returned.delivery_order_id is None:
        return None
    delivery = returned.delivery_order
    count = Retoure.objects.filter(delivery_order=delivery).count()
    retoure = Retoure.objects.create(
        company_id=delivery.company_id,
        number=f"RT-{delivery.number}-{count + 1}",
        delivery_order=delivery,
        warehouse=returned.warehouse or delivery.warehouse,
        received_at=returned.delivered_at,
    )
    RetoureLine.objects.bulk_create(
        RetoureLine(
            retoure=retoure,
            delivery_order_line_id=line.delivery_order_line_id,
            quantity_expected=line.quantity,
        )
        for line in returned.lines.all()
    )
    returned.retoure = retoure
    returned.save(update_fields=["retoure", "updated_at"])
    return retoure

"""A parcel's status reaches its label and delivery order (from webhooks and reconciliation).

Consequences are configured per status group on the integration (`status_actions`), with
`STATUS_ACTIONS` as defaults: `deliver` sets the delivery order to delivered (once every parcel
of its label is delivered), `flag` puts the shipment on the worklist with the carrier's message.
Unknown codes change the status text only: an unknown status never marks anything delivered.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud import jobs
from sendcloud.client.parsers import parse_status
from sendcloud.models import Integration, Label, Shipment
from sendcloud.models.parcels import status_wins
from sendcloud.models.shipments import shipment_event as event

from .label_jobs import label_job_items_follow, tracking_text

STATUS_GROUPS = {
    "delivered": {11, 93},
    "exception": {15, 6, 4, 8, 80, 62991, 62996, 94},
    "returned": {62992},
    "address_invalid": {62997},
    "cancelled": {2000, 1998},
    "announced": {1000, 1},
}
STATUS_ACTIONS = {
    "delivered": "deliver",
    "exception": "flag",
    "returned": "flag",
    "address_invalid": "flag",
}
ANNOUNCEMENT_FAILED = 1002
ANNOUNCING_CODES = ("ANNOUNCING", "NO_LABEL")
FINAL_IDS = {11, 93, 2000, 1998, 62992}


def status_group(status_id: int | None) -> str:
    for group, ids in STATUS_GROUPS.items():
        if status_id in ids:
            return group
    return ""


def status_action(integration: Integration, group: str) -> str:
    configured = (integration.status_actions or {}).get(group)
    return (
        configured if configured in ("deliver", "flag", "none") else STATUS_ACTIONS.get(group, "")
    )


def label_status_apply(
    integration: Integration, parcel: dict, *, timestamp: datetime | None
) -> Label | None:
    """Apply one parcel's status (v2-shaped webhook parcel, or a v3 parcel) to its label.

    Idempotent by timestamp (`status_wins`, the rule of the mirrored parcel): an event older
    than the status stored changes nothing, so a replayed or out-of-order webhook is harmless.
    Parcels of other integrations are not found.
    """
    try:
        parcel_id = int(parcel.get("id"))
    except (TypeError, ValueError):
        return None
    status = parse_status(parcel.get("status"))
    if status is None:
        return None
    with transaction.atomic():
        label = (
            Label.objects.select_for_update()
            .select_related("shipment__delivery_order", "shipment__integration")
            .filter(shipment__integration=integration, sendcloud_parcel_id=parcel_id)
            .first()
        )
        if label is None:
            return None
        # The mirrored parcel's rule: a status without a time never replaces one that has a
        # time, and it is stored without one (not "now"), so the next event that has a time, or
        # the reconciliation, still wins over it.
        if not status_wins(label.status_changed_at, timestamp):
            return None
        if label.status_id == status.id and label.status_changed_at == timestamp:
            return None  # the same news again: no second status event, no second consequence
        label.status_id = status.id
        label.status_code = status.code or ""
        label.status_message = status.message or label.status_message
        label.status_changed_at = timestamp
        label.tracking_number = label.tracking_number or str(parcel.get("tracking_number") or "")
        label.tracking_url = label.tracking_url or str(parcel.get("tracking_url") or "")[:1000]
        label.save()
        _consequences(label, status.id, parcel)
    return label


def _consequences(label: Label, status_id: int | None, parcel: dict) -> None:
    shipment = label.shipment
    delivery = shipment.delivery_order
    group = status_group(status_id)
    action = status_action(shipment.integration, group)
    event(shipment, "status", f"{label.tracking_number or label.sendcloud_parcel_id}: "
          f"{label.status_message}")  # fmt: skip
    if shipment.state == Shipment.State.ANNOUNCING and status_id == ANNOUNCEMENT_FAILED:
        shipment.state = Shipment.State.FAILED
        shipment.error_message = label.status_message or _("The carrier refused the parcel.")
        shipment.save(update_fields=["state", "error_message", "updated_at"])
        event(shipment, "refused", shipment.error_message)
        label_job_items_follow(shipment)
    elif (
        shipment.state == Shipment.State.ANNOUNCING
        and group == "announced"
        and not (
            shipment.labels.exclude(pk=label.pk).filter(status_code__in=ANNOUNCING_CODES).exists()
        )
    ):  # live once every parcel is announced: the documents are fetched for all of them
        shipment.state = Shipment.State.LIVE
        shipment.save(update_fields=["state", "updated_at"])
        event(shipment, "created", tracking_text(shipment))
        jobs.enqueue(jobs.LABEL_DOCUMENTS_FETCH, shipment.pk)
        label_job_items_follow(shipment)
    elif group == "cancelled" and shipment.state != Shipment.State.CANCELLED:
        shipment.state = Shipment.State.CANCELLED
        shipment.cancelled_at = shipment.cancelled_at or timezone.now()
        shipment.save(update_fields=["state", "cancelled_at", "updated_at"])
    if action == "flag":
        carrier_text = str(parcel.get("carrier_message") or "")
        shipment.needs_attention = True
        shipment.attention_message = " – ".join(
            t for t in (label.status_message, carrier_text) if t
        )
        shipment.save(update_fields=["needs_attention", "attention_message", "updated_at"])
    elif action == "deliver":
        others = shipment.labels.exclude(pk=label.pk).exclude(status_id__in=STATUS_GROUPS[group])
        if not others.exists() and delivery.state != DeliveryOrder.State.DELIVERED:
            delivery.state = DeliveryOrder.State.DELIVERED
            delivery.save(update_fields=["state", "updated_at"])
            event(shipment, "status", _("Delivery order delivered."))

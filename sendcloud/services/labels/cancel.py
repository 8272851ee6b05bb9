"""Cancel a label in the generation that created it, with Sendcloud's own outcome."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import CancelOutcome, SendcloudClient
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Integration, Shipment
from sendcloud.models.shipments import shipment_event as event

from .resolve import blocking_shipment, shipment_resolve

OUTCOME_TEXT = {
    "cancelled": _("cancelled"),
    "deleted": _("cancelled"),
    "queued": _("cancellation requested"),
    "rejected": _("too late to cancel"),
    "not_found": _("unknown at Sendcloud"),
}
RANK = {"rejected": 0, "queued": 1, "not_found": 2, "cancelled": 3, "deleted": 3}


def _result_text(status: str, message: str) -> str:
    text = str(OUTCOME_TEXT.get(status, status))
    # Sendcloud's message (English) matters only where it says why it refused; "cancelled"
    # and "requested" are said in the reader's language already.
    if message and status not in ("cancelled", "deleted", "queued"):
        return f"{text}: {message}"
    return text


def outcome_text(outcome: CancelOutcome) -> str:
    return _result_text(outcome.status, outcome.message)


def cancel_result_text(shipment: Shipment) -> str:
    """The last cancellation's result in words (cancelled / requested / too late: reason)."""
    return _result_text(shipment.cancel_status, shipment.cancel_message)


def shipment_cancel_now(shipment: Shipment, client: SendcloudClient) -> str:
    """Cancel every parcel of the shipment; returns the result in words (also stored)."""
    if shipment.generation == "v2":
        outcomes = [
            client.labels_v2.cancel(parcel_id)
            for parcel_id in shipment.labels.exclude(sendcloud_parcel_id=None).values_list(
                "sendcloud_parcel_id", flat=True
            )
        ]
        outcome = min(outcomes, key=lambda o: RANK.get(o.status, 0)) if outcomes else None
    else:
        outcome = client.labels_v3.cancel(shipment.sendcloud_shipment_id)
    if outcome is None:
        return ""
    shipment.cancel_status = outcome.status
    shipment.cancel_message = outcome.message
    if outcome.status in ("cancelled", "deleted", "not_found"):
        shipment.state = Shipment.State.CANCELLED
        shipment.cancelled_at = timezone.now()
    elif outcome.status == "queued":
        shipment.state = Shipment.State.CANCEL_REQUESTED
    shipment.save()
    text = outcome_text(outcome)
    event(shipment, "cancel", text)
    return text


def delivery_order_label_cancel(
    delivery: DeliveryOrder, integration: Integration, *, client: SendcloudClient | None = None
) -> Shipment:
    """Cancel the delivery order's label; the result is on the returned shipment
    (`cancel_status`: cancelled / queued / rejected with Sendcloud's reason)."""
    client = client or client_for(integration, reference=delivery.number)
    shipment = blocking_shipment(delivery)
    if shipment is not None and shipment.state == Shipment.State.CREATING:
        shipment = shipment_resolve(shipment, client)
    if shipment is None or shipment.state not in (Shipment.State.LIVE, Shipment.State.ANNOUNCING):
        raise ApplicationError(
            str(_("%(number)s has no label to cancel.")) % {"number": delivery.number}
        )
    shipment_cancel_now(shipment, client)
    return shipment

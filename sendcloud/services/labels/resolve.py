"""Attempts whose outcome is open: a lost answer (asked by reference) or an async announce."""

import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud import jobs
from sendcloud.client import SendcloudClient
from sendcloud.errors import ApplicationError
from sendcloud.models import Shipment
from sendcloud.models.shipments import shipment_event as event
from sendcloud.webhooks.label_jobs import label_job_items_follow, tracking_text

from .records import shipment_apply_v2, shipment_apply_v3


class LabelPending(ApplicationError):
    """An earlier attempt's answer is unknown; it is resolved before anything new is created."""


def lookup_after() -> timedelta:
    """How old a "creating" row of another process must be before we ask Sendcloud about it
    (longer than a request can take, so we never look while its request is still running)."""
    default = settings.SENDCLOUD_TIMEOUT_SECONDS * 2 + 10
    return timedelta(seconds=getattr(settings, "SENDCLOUD_LABEL_LOOKUP_AFTER_SECONDS", default))


def blocking_shipment(delivery: DeliveryOrder) -> Shipment | None:
    """The delivery order's shipment that is being created, announcing or live (at most one)."""
    return (
        Shipment.objects.filter(delivery_order=delivery, state__in=Shipment.BLOCKING)
        .select_related("delivery_order", "integration")
        .first()
    )


def shipment_fail(shipment: Shipment, message: str, kind: str = "failed") -> None:
    shipment.state = Shipment.State.FAILED
    shipment.error_message = message
    shipment.save(update_fields=["state", "error_message", "updated_at"])
    event(shipment, kind, message)


def shipment_resolve(shipment: Shipment, client: SendcloudClient, *, ours: bool = False):
    """Find out what happened to an attempt whose answer was lost: ask Sendcloud by reference.

    Found → adopted (live, announcing or failed as Sendcloud says). Not found → failed, so a new
    attempt may go — but only once no request of that attempt can still be under way."""
    if not ours and timezone.now() - shipment.created_at < lookup_after():
        raise LabelPending(
            _("%(number)s: the label is being created; try again in a minute.")
            % {"number": shipment.delivery_order.number}
        )
    if shipment.generation == "v2":
        found = client.labels_v2.find_by_reference(shipment.external_reference)
        if found:
            shipment_apply_v2(shipment, found)
    else:
        found = client.labels_v3.find_by_reference(shipment.external_reference)
        if found is not None:
            shipment_apply_v3(shipment, found)
    if found:
        event(shipment, "adopted", _("Sendcloud had created it; the lost answer was recovered."))
        return shipment
    if ours:
        raise LabelPending(
            _(
                "%(number)s: Sendcloud did not answer and does not show the label yet; it is "
                "checked again before another is created."
            )
            % {"number": shipment.delivery_order.number}
        )
    shipment_fail(
        shipment, _("Sendcloud has no shipment for this attempt; a new one may be created.")
    )
    return shipment


def shipment_poll(
    shipment: Shipment,
    client: SendcloudClient,
    *,
    tries: int | None = None,
    queue_documents: bool = True,
):
    """Follow an asynchronous create until its parcels left ANNOUNCING (or give up quietly:
    the webhook and the reconciliation finish it). When it ends here, the job item waiting for
    it follows and (`queue_documents`) the worker fetches the documents of a live one."""
    tries = getattr(settings, "SENDCLOUD_LABEL_POLL_TRIES", 5) if tries is None else tries
    delay = getattr(settings, "SENDCLOUD_LABEL_POLL_SECONDS", 1.0)
    was = shipment.state
    for attempt in range(tries):
        if shipment.state != Shipment.State.ANNOUNCING:
            break
        if attempt:
            time.sleep(delay)
        shipment_apply_v3(shipment, client.labels_v3.get(shipment.sendcloud_shipment_id))
    if was == Shipment.State.ANNOUNCING and shipment.state != was:
        shipment_announced(shipment, queue_documents=queue_documents)
    return shipment


def shipment_announced(shipment: Shipment, *, queue_documents: bool = True) -> None:
    """An announcement ended (live or refused) without a webhook: say so on the timeline, queue
    the documents of a live one, and let the job item waiting for it follow."""
    if shipment.state == Shipment.State.FAILED:
        event(shipment, "refused", shipment.error_message)
    elif shipment.state == Shipment.State.LIVE and queue_documents:
        event(shipment, "created", tracking_text(shipment))
        jobs.enqueue(jobs.LABEL_DOCUMENTS_FETCH, shipment.pk)
    label_job_items_follow(shipment)

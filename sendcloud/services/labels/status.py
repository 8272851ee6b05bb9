"""Reconciliation: parcel statuses that no webhook brought, read one list page at a time.

Applying a status (and its consequences for the delivery order) is `webhooks/labels.py`, shared
with the `parcel_status_changed` handler.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from sendcloud.client import SendcloudClient
from sendcloud.clients import client_for
from sendcloud.models import Integration, Label, LabelJob, Shipment
from sendcloud.webhooks.label_jobs import label_job_settle
from sendcloud.webhooks.labels import FINAL_IDS, label_status_apply

from .resolve import lookup_after, shipment_resolve
from .sweep import announcing_shipments_poll, documents_missing_queue

OPEN_STATES = (Shipment.State.LIVE, Shipment.State.ANNOUNCING, Shipment.State.CANCEL_REQUESTED)


def labels_reconcile(integration: Integration, *, client: SendcloudClient | None = None) -> int:
    """Catch what webhooks missed: one list request per page of shipments changed since the
    oldest open label's last news (`updated_after`), never one per parcel. Also resolves
    attempts whose answer was lost, asks about announcements no webhook ended, queues the
    documents live labels lack and ends label jobs nothing waits for. Returns list pages read."""
    client = client or client_for(integration, reference="reconcile")
    stale = timezone.now() - lookup_after()
    for shipment in Shipment.objects.filter(
        integration=integration, state=Shipment.State.CREATING, created_at__lt=stale
    ).select_related("delivery_order"):
        shipment_resolve(shipment, client)
    announcing_shipments_poll(integration, client)
    documents_missing_queue(integration)
    for job_id in LabelJob.objects.filter(
        integration=integration, state=LabelJob.State.WAITING
    ).values_list("pk", flat=True):
        label_job_settle(job_id)
    open_labels = Label.objects.filter(
        shipment__integration=integration, shipment__state__in=OPEN_STATES
    ).exclude(status_id__in=FINAL_IDS)
    by_generation: dict[str, dict[int, Label]] = {"v2": {}, "v3": {}}
    since: datetime | None = None
    for label in open_labels.select_related("shipment").exclude(sendcloud_parcel_id=None):
        by_generation[label.shipment.generation][label.sendcloud_parcel_id] = label
        known = label.status_changed_at or label.shipment.created_at
        since = known if since is None or known < since else since
    if since is None:
        return 0
    since -= timedelta(minutes=5)
    pages = 0
    if by_generation["v3"]:
        for page in client.v3.shipments_pages(updated_after=since):
            pages += 1
            for shipment in page:
                for parcel in shipment.parcels:
                    if parcel.id in by_generation["v3"] and parcel.status is not None:
                        status = parcel.status
                        data = {
                            "id": parcel.id,
                            "status": {
                                "id": status.id,
                                "code": status.code,
                                "message": status.message,
                            },
                        }
                        label_status_apply(integration, data, timestamp=parcel.updated_at)
    if by_generation["v2"]:
        for page in client.v2.parcels_pages(updated_after=since):
            pages += 1
            for parcel in page:
                if parcel.id in by_generation["v2"]:
                    label_status_apply(integration, parcel.raw, timestamp=parcel.date_updated)
    return pages

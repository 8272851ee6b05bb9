"""The reconciliation's other half, independent of webhooks: announcements nobody ended, and
live labels whose documents were never fetched.

Both are bounded per pass (`SWEEP_LIMIT`, oldest first) so one pass over a big account stays
short; what is left waits for the next pass (every 15 minutes).
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sendcloud import jobs
from sendcloud.client import NotFound, SendcloudClient, SendcloudError
from sendcloud.models import Integration, Label, Shipment
from sendcloud.services.orders.mapping import EU_COUNTRIES, SPECIAL_TERRITORIES, needs_customs

from .resolve import shipment_poll

SWEEP_LIMIT = 50
# An async announcement usually ends within seconds, announced by a webhook; after this long
# without news it is asked for (and again this long after each answer that it still runs).
ANNOUNCING_POLL_AFTER = timedelta(minutes=2)
# Missing documents are queued at most once per this interval per shipment, and only for labels
# of the last weeks: a carrier that makes no customs document must not be asked every pass.
DOCUMENTS_RECHECK_AFTER = timedelta(hours=1)
DOCUMENTS_WINDOW = timedelta(days=14)


def announcing_shipments_poll(
    integration: Integration, client: SendcloudClient, *, limit: int = SWEEP_LIMIT
) -> int:
    """Ask Sendcloud about async creates still "being announced" that no webhook ended; a poll
    that ends one queues its documents and ends its job item. Returns shipments asked."""
    stale = timezone.now() - ANNOUNCING_POLL_AFTER
    waiting = (
        Shipment.objects.filter(
            integration=integration,
            state=Shipment.State.ANNOUNCING,
            generation="v3",
            updated_at__lt=stale,
        )
        .exclude(sendcloud_shipment_id="")
        .select_related("delivery_order")
        .order_by("updated_at")[:limit]
    )
    asked = 0
    for shipment in waiting:
        asked += 1
        try:
            shipment_poll(shipment, client, tries=1)
        except NotFound:
            shipment.save(update_fields=["updated_at"])  # asked again after the others
        except SendcloudError:
            break  # Sendcloud is not answering: the next pass tries again
    return asked


def _label_files_missing():
    return Label.objects.filter(
        shipment=OuterRef("pk"), label_pdf="", label_zpl="", sendcloud_parcel_id__isnull=False
    )


def _customs_missing():
    return Label.objects.filter(shipment=OuterRef("pk"), collo=1, customs_pdf="")


def shipments_missing_documents(integration: Integration, *, limit: int = SWEEP_LIMIT):
    """Live shipments of the last weeks whose label files (PDF or ZPL) are missing, or whose
    customs documents are missing where the destination needs them; oldest first."""
    now = timezone.now()
    candidates = (
        Shipment.objects.filter(
            integration=integration,
            state=Shipment.State.LIVE,
            created_at__gte=now - DOCUMENTS_WINDOW,
        )
        .filter(
            Q(documents_checked_at=None) | Q(documents_checked_at__lt=now - DOCUMENTS_RECHECK_AFTER)
        )
        .annotate(files_missing=Exists(_label_files_missing()))
        .annotate(customs_missing=Exists(_customs_missing()))
        .filter(
            Q(files_missing=True)
            | Q(customs_missing=True)
            & (
                ~Q(delivery_order__country__in=EU_COUNTRIES)
                | Q(delivery_order__country__in=list(SPECIAL_TERRITORIES))
            )
        )
        .select_related("delivery_order")
        .order_by("created_at")
    )
    found = []
    for shipment in candidates.iterator(chunk_size=200):
        delivery = shipment.delivery_order
        if shipment.files_missing or needs_customs(delivery.country.code, delivery.postal_code):
            found.append(shipment)
            if len(found) >= limit:
                break
    return found


def documents_missing_queue(integration: Integration, *, limit: int = SWEEP_LIMIT) -> int:
    """Queue the documents fetch (the one documents function, through the worker) for live
    shipments that lack them, whatever the webhooks did. Returns shipments queued."""
    found = shipments_missing_documents(integration, limit=limit)
    Shipment.objects.filter(pk__in=[s.pk for s in found]).update(
        documents_checked_at=timezone.now()
    )
    for shipment in found:
        jobs.enqueue(jobs.LABEL_DOCUMENTS_FETCH, shipment.pk)
    return len(found)

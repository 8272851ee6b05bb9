"""Reads for the label screens and thin entry points for the tasks."""

import hashlib

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.clients import client_for
from sendcloud.models import Integration, Label, LabelJob, LabelJobItem, Shipment, ShipmentEvent
from sendcloud.models.shipments import shipment_event as event

from .cancel import shipment_cancel_now
from .documents import label_documents_fetch
from .status import labels_reconcile


def delivery_order_labels(delivery: DeliveryOrder) -> QuerySet[Shipment]:
    """Every label attempt of a delivery order, newest first, with its parcels."""
    return delivery.sendcloud_shipments.prefetch_related("labels").order_by("-created_at")


def label_timeline(delivery: DeliveryOrder) -> QuerySet[ShipmentEvent]:
    return delivery.label_events.order_by("-created_at", "-id")


def label_worklist(company) -> dict:
    """What needs a person: shipments flagged by a parcel status (with the carrier's message)
    and delivery orders whose last label attempt needs fixing (with the problems)."""
    flagged = Shipment.objects.filter(
        integration__company=company, needs_attention=True
    ).select_related("delivery_order")
    latest_items = (
        LabelJobItem.objects.filter(
            job__integration__company=company, state=LabelJobItem.State.NEEDS_FIXING
        )
        .exclude(Q(delivery_order__sendcloud_shipments__state__in=Shipment.BLOCKING))
        .select_related("delivery_order")
    )
    return {"flagged": flagged, "needs_fixing": latest_items}


def shipment_documents_fetch(shipment_id: int) -> int:
    """The worker's fetch of a live shipment's missing documents (queued by the webhook, a
    poll or the reconciliation's sweep); a test label is cancelled once they are kept."""
    shipment = Shipment.objects.select_related("integration", "delivery_order").get(pk=shipment_id)
    if shipment.state != Shipment.State.LIVE:
        return 0
    with client_for(shipment.integration, reference=shipment.delivery_order.number) as client:
        requests = label_documents_fetch(shipment, client)
        if shipment.test_mode and not shipment.cancel_status:
            # An async test label went live after its job: cancelled now, like every test label.
            text = shipment_cancel_now(shipment, client)
            event(shipment, "cancel", _("Test mode: %(result)s") % {"result": text})
        return requests


def labels_reconcile_all() -> int:
    """Reconcile every usable integration that has open labels or a label job waiting for
    Sendcloud (the beat task)."""
    pages = 0
    open_integrations = Shipment.objects.filter(
        state__in=("creating", "announcing", "live", "cancel_requested")
    ).values_list("integration_id", flat=True)
    waiting = LabelJob.objects.filter(state=LabelJob.State.WAITING).values("integration_id")
    for integration in Integration.objects.filter(
        Q(pk__in=open_integrations.distinct()) | Q(pk__in=waiting)
    ):
        if integration.is_usable:
            pages += labels_reconcile(integration)
    return pages


def label_documents_missing(shipments) -> bool:
    """True while a live shipment among `shipments` lacks a label file (PDF or ZPL)."""
    return Label.objects.filter(
        shipment__in=[s for s in shipments if s.state == Shipment.State.LIVE],
        label_pdf="",
        label_zpl="",
    ).exists()


def label_section_state(delivery: DeliveryOrder) -> dict:
    """What the refreshing label section of a delivery order asks: is anything still on its
    way (a job working on it, an announcement, documents of a live label), and a version that
    changes whenever what the section shows changes."""
    shipments = list(delivery.sendcloud_shipments.prefetch_related("labels"))
    items = list(
        LabelJobItem.objects.filter(delivery_order=delivery).values_list(
            "pk", "state", "updated_at"
        )
    )
    active = any(state in LabelJobItem.ACTIVE for _pk, state, _at in items)
    announcing = any(s.state == Shipment.State.ANNOUNCING for s in shipments)
    parts = [f"i{pk}:{state}:{at.timestamp()}" for pk, state, at in items]
    for shipment in shipments:
        parts.append(f"s{shipment.pk}:{shipment.state}:{shipment.updated_at.timestamp()}")
        for label in shipment.labels.all():
            parts.append(
                f"l{label.pk}:{bool(label.label_pdf)}:{bool(label.label_zpl)}:"
                f"{bool(label.customs_pdf)}:{label.status_id}:{label.printed_at}"
            )
    return {
        "pending": active or announcing or label_documents_missing(shipments),
        "version": hashlib.sha1("|".join(parts).encode()).hexdigest()[:16],
    }

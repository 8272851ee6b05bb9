"""Reads for the label screens and thin entry points for the tasks."""

from django.db.models import Q, QuerySet

from backoffice.sales.models import DeliveryOrder
from sendcloud.clients import client_for
from sendcloud.models import Integration, Label, LabelJobItem, Shipment, ShipmentEvent

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
    shipment = Shipment.objects.select_related("integration", "delivery_order").get(pk=shipment_id)
    if shipment.state != Shipment.State.LIVE:
        return 0
    with client_for(shipment.integration, reference=shipment.delivery_order.number) as client:
        return label_documents_fetch(shipment, client)


def labels_reconcile_all() -> int:
    """Reconcile every usable integration that has open labels (the beat task)."""
    pages = 0
    open_integrations = Shipment.objects.filter(
        state__in=("creating", "announcing", "live", "cancel_requested")
    ).values_list("integration_id", flat=True)
    for integration in Integration.objects.filter(pk__in=open_integrations.distinct()):
        if integration.is_usable:
            pages += labels_reconcile(integration)
    return pages


__all__ = ["Label"]

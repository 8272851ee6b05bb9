"""The browser's print dialog as a printer: one PDF of a shipment's labels (A6) or of its
customs documents (A4), for a packing station without a printer. Reading needs view_sendcloud;
another company's shipment answers 404."""

import tempfile

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sendcloud.models import Shipment
from sendcloud.services.labels import customs_merge, labels_merge

from .base import company_of

KINDS = ("labels", "customs")


def shipment_print_file(request, pk, kind):
    """All labels of a shipment as one A6 PDF (`labels`), or its customs documents (`customs`);
    shown inline, for the browser's print dialog. Marks nothing printed."""
    if kind not in KINDS:
        raise Http404
    shipment = get_object_or_404(
        Shipment.objects.select_related("delivery_order"),
        pk=pk,
        integration__company=company_of(request),
        state__in=Shipment.BLOCKING,
    )
    labels = list(shipment.labels.order_by("collo"))
    if kind == "labels":
        labels = [label for label in labels if label.label_pdf]
    else:
        labels = [label for label in labels if label.customs_pdf]
    if not labels:
        raise Http404
    out = tempfile.TemporaryFile()
    if kind == "labels":
        labels_merge(labels, out, customs=False)
    else:
        customs_merge(labels, out)
    out.seek(0)
    number = shipment.delivery_order.number
    name = f"{number}-{_('labels') if kind == 'labels' else _('customs')}.pdf"
    return FileResponse(out, as_attachment=False, filename=name, content_type="application/pdf")

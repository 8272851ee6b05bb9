"""Versandlabels: a delivery order's label section, create / cancel, files, bulk jobs, worklist.

Reading (the section, files, job pages, worklist) needs view_sendcloud; creating, cancelling and
retrying need create_labels (the routes in sendcloud/urls.py say which). Every object is looked
up within the user's company, so another company's ids answer 404.
"""

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as render_fragment
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudError
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Label, LabelJob, LabelJobItem, Shipment
from sendcloud.selectors import integration_default
from sendcloud.services.labels import (
    PAPER_A4,
    PAPER_A6,
    cancel_result_text,
    delivery_order_label_cancel,
    delivery_order_labels,
    label_documents_missing,
    label_job_create,
    label_job_retry_failed,
    label_job_retryable,
    label_preflight,
    label_section_state,
    label_timeline,
    label_worklist,
    label_zpl_fetch,
    labels_mark_printed,
    labels_merge,
)

from .base import company_of, render

FILE_KINDS = ("pdf", "zpl", "customs")


def _delivery_for(request, pk) -> DeliveryOrder:
    return get_object_or_404(DeliveryOrder, pk=pk, company=company_of(request))


def _job_for(request, pk) -> LabelJob:
    return get_object_or_404(
        LabelJob.objects.select_related("integration"),
        pk=pk,
        integration__company=company_of(request),
    )


def label_section_context(request, delivery: DeliveryOrder) -> dict:
    """What the Sendcloud section of a delivery order shows (also used by its admin page)."""
    shipments = list(delivery_order_labels(delivery))
    live = next((s for s in shipments if s.is_live), None)
    current = live or (shipments[0] if shipments else None)
    pending = (
        LabelJobItem.objects.filter(delivery_order=delivery, state__in=LabelJobItem.ACTIVE)
        .select_related("job")
        .first()
    )
    last_item = (
        LabelJobItem.objects.filter(delivery_order=delivery).select_related("job").last()
        if not pending
        else None
    )
    # A retry that left a refused order out (unchanged) keeps showing why it was refused.
    refused = last_item and last_item.state in ("needs_fixing", "skipped")
    problems = last_item.problems if refused else []
    state = label_section_state(delivery)
    return {
        "delivery": delivery,
        "integration": integration_default(company_of(request)),
        "current": current,
        "earlier": [s for s in shipments if s is not current],
        "pending": pending,
        "last_item": last_item,
        "problems": problems,
        "events": label_timeline(delivery).select_related("shipment")[:200],
        "can_label": request.user.has_perm("sendcloud.create_labels"),
        "cancel_text": _cancel_text(current),
        # Refreshes itself while a job, an announcement or documents are on their way.
        "refreshing": state["pending"],
        "version": state["version"],
    }


def _cancel_text(current) -> str:
    """The cancellation's result beside the label state, unless it says the same words."""
    if current is None or not current.cancel_status:
        return ""
    text = cancel_result_text(current)
    return "" if text.lower() == str(current.get_state_display()).lower() else text


def delivery_labels(request, pk):
    delivery = _delivery_for(request, pk)
    return render(
        request,
        "sendcloud/labels_delivery.html",
        label_section_context(request, delivery),
        title=_("Shipping label of %(number)s") % {"number": delivery.number},
    )


def delivery_labels_status(request, pk):
    """For the refreshing section: is anything still on its way (a label job, an announcement,
    the documents of a live label), and has what the section shows changed (`version`)?"""
    return JsonResponse(label_section_state(_delivery_for(request, pk)))


def delivery_labels_section(request, pk):
    """The label section alone, swapped into the page in place when its version changed."""
    delivery = _delivery_for(request, pk)
    return render_fragment(
        request, "sendcloud/labels_section.html", label_section_context(request, delivery)
    )


def delivery_label_create(request, pk):
    """GET: confirm (with the pre-flight's problems, if any); POST: queue a label job."""
    delivery = _delivery_for(request, pk)
    integration = integration_default(company_of(request))
    problems = []
    unmapped_method = False  # the fix is on the shipping method: link it
    needs_point = False  # the fix is a service point: link the lookup
    if integration is None:
        problems = [_("No Sendcloud integration is connected.")]
    elif delivery.sendcloud_shipments.filter(state__in=Shipment.BLOCKING).exists():
        problems = [_("This delivery order already has a label; cancel it to create another.")]
    else:
        _plan, found = label_preflight(delivery, integration)
        problems = [str(p) for p in found]
        unmapped_method = any(p.field == "shipping_method" for p in found)
        needs_point = any(p.field == "service_point_id" for p in found)
    if request.method == "POST" and not problems:
        job = label_job_create(integration, [delivery], user=request.user)
        item = job.items.get()
        if item.state == LabelJobItem.State.SKIPPED:
            messages.warning(request, item.message)
        else:
            messages.success(
                request,
                _("The label for %(number)s is being created.") % {"number": delivery.number},
            )
        return redirect("sendcloud:labels-delivery", pk=delivery.pk)
    return render(
        request,
        "sendcloud/labels_create.html",
        {
            "delivery": delivery,
            "integration": integration,
            "problems": problems,
            "unmapped_method": unmapped_method,
            "needs_point": needs_point,
        },
        title=_("Create label for %(number)s") % {"number": delivery.number},
        status=400 if request.method == "POST" else 200,
    )


def delivery_label_cancel(request, pk):
    """GET: confirm; POST: cancel now and show Sendcloud's result in words."""
    delivery = _delivery_for(request, pk)
    integration = integration_default(company_of(request))
    shipment = delivery.sendcloud_shipments.filter(state__in=Shipment.BLOCKING).first()
    result, error = None, ""
    if request.method == "POST":
        if integration is None:
            error = _("No Sendcloud integration is connected.")
        else:
            try:
                shipment = delivery_order_label_cancel(delivery, shipment_integration(shipment))
            except ApplicationError as exc:
                error = exc.message
            except SendcloudError as exc:
                error = _("Sendcloud did not answer the cancellation: %(error)s") % {"error": exc}
            else:
                result = cancel_result_text(shipment)
    return render(
        request,
        "sendcloud/labels_cancel.html",
        {"delivery": delivery, "shipment": shipment, "result": result, "error": error},
        title=_("Cancel label of %(number)s") % {"number": delivery.number},
    )


def shipment_integration(shipment: Shipment | None):
    """A label is cancelled through the integration that created it."""
    if shipment is None:
        raise ApplicationError(_("There is no label to cancel."))
    return shipment.integration


def _file_name(label: Label, kind: str) -> str:
    number = label.shipment.delivery_order.number
    tail = label.tracking_number or str(label.sendcloud_parcel_id or label.pk)
    if kind == "customs":
        return f"{number}-{_('customs')}-{tail}.pdf"
    return f"{number}-{label.collo}-{tail}.{'zpl' if kind == 'zpl' else 'pdf'}"


def label_file(request, pk, kind):
    """A label's PDF, ZPL or customs documents, for users of its company only."""
    if kind not in FILE_KINDS:
        raise Http404
    label = get_object_or_404(
        Label.objects.select_related("shipment__delivery_order", "shipment__integration"),
        pk=pk,
        shipment__integration__company=company_of(request),
    )
    name = _file_name(label, kind)
    if kind == "zpl":
        if not label.label_zpl and not label.sendcloud_parcel_id:
            raise Http404
        if not label.label_zpl:
            try:
                with client_for(label.shipment.integration) as client:
                    label_zpl_fetch(label, client)
            except SendcloudError as exc:
                text = _("Sendcloud has no ZPL for this label: %(e)s") % {"e": exc}
                messages.error(request, text)
                return redirect("sendcloud:labels-delivery", pk=label.shipment.delivery_order_id)
        return FileResponse(
            label.label_zpl.open("rb"),
            as_attachment=True,
            filename=name,
            content_type="application/zpl",
        )
    field = label.label_pdf if kind == "pdf" else label.customs_pdf
    if not field:
        raise Http404
    # Opening the file marks nothing: a look at a label (or a reader's download) is not a print.
    # Marking is the POST of `labels_printed` below, from the button beside the link.
    return FileResponse(
        field.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
    )


def label_job_detail(request, pk):
    job = _job_for(request, pk)
    items = job.items.select_related("delivery_order", "shipment").order_by("id")
    state = request.GET.get("state", "")
    if state:
        items = items.filter(state=state)
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    labels = job_labels(job)
    retry, unchanged = label_job_retryable(job)
    return render(
        request,
        "sendcloud/labels_job.html",
        {
            "job": job,
            "page": page,
            "state": state,
            "states": LabelJobItem.State.choices,
            "labels_total": len(labels),
            "labels_printed": sum(1 for label in labels if label.printed_at),
            "labels_unprinted": [label.pk for label in labels if not label.printed_at],
            "finished": not job.active,
            "can_label": request.user.has_perm("sendcloud.create_labels"),
            "retryable": len(retry),
            "unchanged": len(unchanged),
            "documents_missing": job_documents_missing(job),
        },
        title=_("Label job #%(id)s") % {"id": job.pk},
    )


def label_job_status(request, pk):
    job = _job_for(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "done": job.done,
            "total": job.total,
            "counts": job.counts,
            "waiting": job_documents_missing(job),
        }
    )


def job_documents_missing(job: LabelJob) -> bool:
    """True while a live label of the job has no file yet (its page keeps refreshing)."""
    shipments = Shipment.objects.filter(
        pk__in=job.items.exclude(shipment=None).values("shipment_id")
    )
    return label_documents_missing(list(shipments))


@require_POST
def label_job_retry(request, pk):
    job = _job_for(request, pk)
    retry = label_job_retry_failed(job, user=request.user)
    if retry is None:
        messages.info(
            request,
            _(
                "Nothing to retry: no delivery order failed, and the refused ones are unchanged "
                "– correct them first."
            ),
        )
        return redirect("sendcloud:labels-job", pk=job.pk)
    return redirect("sendcloud:labels-job", pk=retry.pk)


def job_labels(job: LabelJob) -> list[Label]:
    """The parcels of the job's live labels, in the job's order (what the merged PDF prints)."""
    shipment_ids = job.items.exclude(shipment=None).values_list("shipment_id", flat=True)
    return list(
        Label.objects.filter(
            shipment_id__in=list(shipment_ids), shipment__state__in=Shipment.BLOCKING
        )
        .exclude(label_pdf="")
        .order_by("shipment_id", "collo")
    )


def label_job_merged(request, pk):
    """One PDF of the job's labels: A6 as they are, or A4 with four per page.
    `only=unprinted` leaves out what was printed before (a reprint takes all). Marks nothing
    printed: that is the deliberate POST of `labels_printed` from the job page."""
    job = _job_for(request, pk)
    paper = PAPER_A4 if request.GET.get("paper") == PAPER_A4 else PAPER_A6
    labels = job_labels(job)
    if request.GET.get("only") == "unprinted":
        labels = [label for label in labels if not label.printed_at]
    if not labels:
        messages.warning(request, _("There are no labels to print."))
        return redirect("sendcloud:labels-job", pk=job.pk)
    out = tempfile.TemporaryFile()  # pages are written to disk, not held in memory
    labels_merge(labels, out, paper=paper)
    out.seek(0)
    name = _("labels-%(id)s-%(paper)s.pdf") % {"id": job.pk, "paper": paper.upper()}
    return FileResponse(out, as_attachment=False, filename=name, content_type="application/pdf")


@require_POST
def labels_printed(request):
    """Mark the posted labels printed (the button after a download): only labels of the user's
    company that have a PDF; the page names them, so a label that came after the download is
    not marked by it."""
    ids = [int(value) for value in request.POST.getlist("label") if value.isdigit()]
    labels = list(
        Label.objects.filter(
            pk__in=ids, shipment__integration__company=company_of(request)
        ).exclude(label_pdf="")
    )
    marked = labels_mark_printed(labels)
    messages.success(
        request,
        ngettext("%(count)s label marked printed.", "%(count)s labels marked printed.", marked)
        % {"count": marked},
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("sendcloud:labels-worklist")


def labels_worklist(request):
    worklist = label_worklist(company_of(request))
    latest = {}
    for item in worklist["needs_fixing"].order_by("id"):
        latest[item.delivery_order_id] = item  # the newest attempt per delivery order
    return render(
        request,
        "sendcloud/labels_worklist.html",
        {
            "flagged": worklist["flagged"].prefetch_related("labels").order_by("-updated_at")[:500],
            "needs_fixing": sorted(latest.values(), key=lambda i: i.delivery_order.number),
            "jobs": LabelJob.objects.filter(integration__company=company_of(request))[:10],
        },
        title=_("Labels that need attention"),
    )

"""Printing at a packing station: a shipment's labels and customs documents to the station's
printers, a reprint of the same bytes, a test page.

    shipment_print(shipment, station, *, user=None) -> PrintOutcome
        raises PrintFailed (an ApplicationError; `.outcome` has what did print) when a printer
        did not take a document; every document sent or tried is a PrintJob row
    shipment_reprint(shipment, station, *, user=None) -> PrintOutcome
        the same label bytes again: no Sendcloud write, never a new label
    shipment_browser_urls(shipment) -> [url]   (no station at all: the browser's print dialog)
    printer_test_print(printer, *, user=None) -> PrintJob   (state sent or failed, never raises)
    printing_demo_setup(company) -> Printer | None   (the sandbox printer and "Packtisch 1")

What has no printer (a station without one, or an inactive one) comes back as
`outcome.browser_urls`, for the page to open in the browser's print dialog: at most one URL for
the labels (the label's file, or the shipment's merged A6 PDF of several parcels) and one for the
customs documents. The label service knows nothing of printers; this module knows
nothing of HTTP requests; `sendcloud.printers` knows nothing of Django.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sendcloud import printers
from sendcloud.client import SendcloudClient, SendcloudError
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.metrics import print_job_observe
from sendcloud.models import Label, PackingStation, Printer, PrintJob, Shipment, ShipmentEvent
from sendcloud.models.shipments import shipment_event

from .labels.documents import label_documents_fetch, label_zpl_fetch, labels_mark_printed
from .printer_setup import printing_demo_setup, test_page_pdf, test_page_zpl

__all__ = [
    "PrintFailed",
    "PrintOutcome",
    "printer_test_print",
    "printing_demo_setup",
    "shipment_browser_urls",
    "shipment_print",
    "shipment_reprint",
]

logger = logging.getLogger(__name__)


@dataclass
class PrintOutcome:
    """What a print did: the PrintJob rows (sent and failed), the URLs the browser prints,
    and how many documents a printer took."""

    jobs: list[PrintJob] = field(default_factory=list)
    browser_urls: list[str] = field(default_factory=list)
    printed: int = 0

    @property
    def failed(self) -> list[PrintJob]:
        return [job for job in self.jobs if job.state == PrintJob.State.FAILED]


class PrintFailed(ApplicationError):
    """A printer did not take a document. The label is bought and kept; a reprint sends the
    same bytes. `outcome` holds what did print and the failed PrintJob rows."""

    def __init__(self, message: str, outcome: PrintOutcome):
        super().__init__(message)
        self.outcome = outcome


@dataclass
class _Document:
    kind: str
    label: Label | None
    printer: Printer
    data: bytes


def _timeout() -> float:
    return float(getattr(settings, "PRINTER_TIMEOUT_SECONDS", 5.0))


def _usable(printer: Printer | None) -> Printer | None:
    return printer if printer is not None and printer.is_active else None


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def _failure_text(printer: Printer, exc: printers.PrinterError, *, kind: str) -> str:
    values = {"name": printer.name, "address": printer.display_address}
    if isinstance(exc, printers.PrinterRefused):
        text = (
            _(
                "Printer “%(name)s” (%(address)s) refused the job – check its paper, ribbon and "
                "error light, and that it is set up for this format."
            )
            % values
        )
    else:
        text = (
            _(
                "Printer “%(name)s” (%(address)s) does not answer – is it switched on and on the "
                "network?"
            )
            % values
        )
    if kind == PrintJob.Kind.TEST:
        return text
    return " ".join(
        (
            text,
            _("The label is bought; “Print again” prints the same label without buying a new one."),
        )
    )


def _send(
    document: _Document, *, station: PackingStation | None, user, job_name: str
) -> tuple[PrintJob, str]:
    """Send one document and record it; a failure is recorded, not raised. Returns the job and,
    when it failed, what to tell people (the job's error adds the technical reason)."""
    printer = document.printer
    error = text = ""
    try:
        printers.send(
            printer.connection,
            printer.address,
            document.data,
            content_type=printer.content_type,
            timeout=_timeout(),
            job_name=job_name,
        )
    except printers.PrinterError as exc:
        logger.warning("print to %s failed: %s", printer.display_address, exc)
        # For people first; the adapter's technical reason after it, for whoever sets up the
        # printer (the printer page lists it). PrintFailed says only the first part.
        text = _failure_text(printer, exc, kind=document.kind)
        detail = _("technical: %(reason)s") % {"reason": exc}
        error = f"{text} ({detail})"
    job = PrintJob.objects.create(
        company_id=printer.company_id,
        printer=printer,
        printer_name=printer.name,
        station=station,
        label=document.label,
        kind=document.kind,
        label_format=printer.label_format,
        state=PrintJob.State.FAILED if error else PrintJob.State.SENT,
        error=error,
        byte_count=len(document.data),
        user=user if user is not None and user.is_authenticated else None,
    )
    print_job_observe(job)
    return job, text


def _labels(shipment: Shipment) -> list[Label]:
    if not shipment.is_live:
        raise ApplicationError(_("This shipment has no valid label to print."))
    labels = list(shipment.labels.order_by("collo"))
    if not labels:
        raise ApplicationError(_("This shipment has no label yet."))
    return labels


class _Documents:
    """Collects the bytes of a shipment's documents, reading from Sendcloud at most once, and
    only what was never stored (ZPL on first use, a PDF not fetched yet)."""

    def __init__(self, shipment: Shipment, client: SendcloudClient | None):
        self.shipment = shipment
        self.client = client
        self.own_client = None
        self.fetched = False

    def _client(self) -> SendcloudClient:
        if self.client is None:
            self.own_client = client_for(
                self.shipment.integration, reference=self.shipment.delivery_order.number
            )
            self.client = self.own_client
        return self.client

    def _fetch_pdfs(self) -> None:
        if not self.fetched:
            self.fetched = True
            label_documents_fetch(self.shipment, self._client())

    def pdf_ready(self, label: Label) -> bool:
        """The label's PDF is stored (fetched now if it was not yet)."""
        if not label.label_pdf and label.sendcloud_parcel_id:
            self._fetch_pdfs()
            label.refresh_from_db()
        return bool(label.label_pdf)

    def label(self, label: Label, printer: Printer) -> bytes:
        if printer.label_format == Printer.Format.ZPL:
            if label.label_zpl:
                return _read(label.label_zpl)
            return label_zpl_fetch(label, self._client())
        if not self.pdf_ready(label):
            raise ApplicationError(
                _("The label PDF of parcel %(collo)s is not there yet; try again in a moment.")
                % {"collo": label.collo}
            )
        return _read(label.label_pdf)

    def close(self) -> None:
        if self.own_client is not None:
            self.own_client.close()


def _browser_urls(shipment: Shipment, labels: list[Label], file_kind: str, kind: str) -> list:
    """One URL for the browser to print: the label's own file, or the shipment's merged PDF
    when there are several (a page may open one window, not one per parcel)."""
    if not labels:
        return []
    if len(labels) == 1:
        return [reverse("sendcloud:labels-file", args=[labels[0].pk, file_kind])]
    return [reverse("sendcloud:labels-shipment-pdf", args=[shipment.pk, kind])]


def _print(
    shipment: Shipment,
    station: PackingStation,
    *,
    user,
    client: SendcloudClient | None,
    only: set[tuple[int, str]] | None = None,
) -> PrintOutcome:
    labels = _labels(shipment)
    label_printer = _usable(station.label_printer)
    document_printer = _usable(station.document_printer)
    outcome = PrintOutcome()
    number = shipment.delivery_order.number

    def wanted(label: Label, kind: str) -> bool:
        return only is None or (label.pk, kind) in only

    failed_printers: set[int] = set()
    failures: list[str] = []  # what to tell people, one per failed job
    printed_labels: list[Label] = []
    for_browser: list[Label] = []
    customs_for_browser: list[Label] = []
    reader = _Documents(shipment, client)
    try:
        for label in labels:
            if not wanted(label, PrintJob.Kind.LABEL):
                continue
            if label_printer is None:
                if reader.pdf_ready(label):
                    for_browser.append(label)
                continue
            if label_printer.pk in failed_printers:
                continue  # one failure says it; the next parcels would only wait for it again
            try:
                data = reader.label(label, label_printer)
            except SendcloudError as exc:
                text = _(
                    "Sendcloud did not hand out the label of parcel %(collo)s (%(reason)s); it "
                    "was not printed. “Print again” in a moment fetches it again."
                ) % {"collo": label.collo, "reason": exc}
                raise PrintFailed(text, outcome) from exc
            document = _Document(PrintJob.Kind.LABEL, label, label_printer, data)
            job, text = _send(
                document, station=station, user=user, job_name=f"{number}-{label.collo}"
            )
            outcome.jobs.append(job)
            failures.append(text)
            if job.state == PrintJob.State.SENT:
                outcome.printed += 1
                printed_labels.append(label)
            else:
                failed_printers.add(label_printer.pk)
        for label in labels:
            if not label.customs_pdf or not wanted(label, PrintJob.Kind.CUSTOMS):
                continue
            if document_printer is None:
                customs_for_browser.append(label)
                continue
            if document_printer.pk in failed_printers:
                continue
            document = _Document(
                PrintJob.Kind.CUSTOMS, label, document_printer, _read(label.customs_pdf)
            )
            job, text = _send(
                document, station=station, user=user, job_name=f"{number}-{label.collo}-customs"
            )
            outcome.jobs.append(job)
            failures.append(text)
            if job.state == PrintJob.State.SENT:
                outcome.printed += 1
            else:
                failed_printers.add(document_printer.pk)
    finally:
        reader.close()
    outcome.browser_urls += _browser_urls(shipment, for_browser, "pdf", "labels")
    outcome.browser_urls += _browser_urls(shipment, customs_for_browser, "customs", "customs")
    if printed_labels:
        labels_mark_printed(printed_labels)
    sent = [job for job in outcome.jobs if job.state == PrintJob.State.SENT]
    if sent:
        printers_used = ", ".join(dict.fromkeys(job.printer_name for job in sent))
        text = ngettext(
            "%(count)s document sent to %(printers)s.",
            "%(count)s documents sent to %(printers)s.",
            len(sent),
        ) % {"count": len(sent), "printers": printers_used}
        shipment_event(shipment, ShipmentEvent.Kind.PRINTED, text)
    if outcome.failed:
        raise PrintFailed(" ".join(dict.fromkeys(text for text in failures if text)), outcome)
    return outcome


def shipment_print(
    shipment: Shipment,
    station: PackingStation,
    *,
    user=None,
    client: SendcloudClient | None = None,
) -> PrintOutcome:
    """Every label of the shipment (all parcels) to the station's label printer, customs
    documents to its document printer; without a printer, their URLs for the browser.

    ZPL is fetched from Sendcloud once and kept (a read, never a write); PDFs are the stored
    ones. Raises PrintFailed when a printer did not take a document (the failed PrintJobs are
    recorded, the rest printed), ApplicationError when the shipment has no live label."""
    return _print(shipment, station, user=user, client=client)


def shipment_browser_urls(shipment: Shipment) -> list[str]:
    """Where the browser prints a shipment's documents when there is no station (or printer)
    at all: one URL for the labels, one for the customs documents, as `shipment_print` gives
    for a station without printers. Reads nothing from Sendcloud."""
    labels = _labels(shipment)
    with_label = [label for label in labels if label.label_pdf or label.sendcloud_parcel_id]
    with_customs = [label for label in labels if label.customs_pdf]
    return _browser_urls(shipment, with_label, "pdf", "labels") + _browser_urls(
        shipment, with_customs, "customs", "customs"
    )


def shipment_reprint(
    shipment: Shipment,
    station: PackingStation,
    *,
    user=None,
    client: SendcloudClient | None = None,
) -> PrintOutcome:
    """The same label bytes again, never a new label and no Sendcloud write.

    After a failed print only what failed is printed again (the customs documents that did
    print are not printed twice); otherwise everything is."""
    labels = _labels(shipment)
    last: dict[tuple[int, str], str] = {}
    for job in PrintJob.objects.filter(
        Q(kind=PrintJob.Kind.LABEL) | Q(kind=PrintJob.Kind.CUSTOMS),
        label__in=labels,
    ).order_by("created_at", "id"):
        last[(job.label_id, job.kind)] = job.state
    failed = {key for key, state in last.items() if state == PrintJob.State.FAILED}
    return _print(shipment, station, user=user, client=client, only=failed or None)


def printer_test_print(printer: Printer, *, user=None) -> PrintJob:
    """A small test page (ZPL text, or a one-page PDF in the printer's paper size) saying
    "Test print", the printer's name and address and the time. Returns the PrintJob, sent or
    failed (its `error` says why, for people); never raises for a printer that fails."""
    when = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    if printer.label_format == Printer.Format.ZPL:
        data = test_page_zpl(printer, when)
    else:
        data = test_page_pdf(printer, when)
    document = _Document(PrintJob.Kind.TEST, None, printer, data)
    job, _text = _send(document, station=None, user=user, job_name=_("Test print"))
    return job

"""Printers and packing stations of a warehouse, and one row per document sent to a printer.

The printer adapter itself (`sendcloud/printers/`) knows nothing of these rows; the printing
service (`sendcloud/services/printing.py`) reads a station, sends the bytes and records a
`PrintJob`. A reprint is a new PrintJob of the same label bytes, never a new label.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.companies.models import CompanyOwned
from backoffice.inventory.models import Warehouse
from sendcloud.printers.raw import raw_address

from .shipments import Label

IPP_SCHEMES = ("ipp", "ipps", "http", "https")


class Printer(CompanyOwned):
    """A printer of a warehouse: a network label printer (raw TCP, port 9100) or an IPP/CUPS
    queue. `label_format` is what it is sent: ZPL, an A6 label PDF, or A4 PDFs (documents)."""

    class Connection(models.TextChoices):
        RAW_TCP = "raw_tcp", _("Network label printer (RAW, port 9100)")
        IPP = "ipp", _("IPP/CUPS")

    class Format(models.TextChoices):
        ZPL = "zpl", _("ZPL (Zebra label printer)")
        PDF_A6 = "pdf_a6", _("PDF, A6 label")
        PDF_A4 = "pdf_a4", _("PDF, A4 (documents)")

    LABEL_FORMATS = ("zpl", "pdf_a6")

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="printers"
    )
    name = models.CharField(_("name"), max_length=100)
    connection = models.CharField(
        _("connection"), max_length=10, choices=Connection.choices, default=Connection.RAW_TCP
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        help_text=_(
            "RAW: host or IP address, optionally with the port (192.168.1.50:9100; default "
            "9100). IPP: the printer's URL (ipp://cups.local:631/printers/Labels)."
        ),
    )
    label_format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ZPL
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("printer")
        verbose_name_plural = _("printers")
        ordering = ["warehouse", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "name"],
                name="printer_name_unique_per_warehouse",
                violation_error_message=_("This warehouse already has a printer of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        address = (self.address or "").strip()
        self.address = address
        if self.connection == self.Connection.RAW_TCP:
            try:
                raw_address(address)
            except ValueError:
                errors["address"] = _(
                    "Enter the printer's host name or IP address, optionally with the port "
                    "(for example 192.168.1.50 or 192.168.1.50:9100)."
                )
        elif address:
            parts = urlsplit(address)
            if parts.scheme not in IPP_SCHEMES or not parts.hostname:
                errors["address"] = _(
                    "Enter the printer's IPP address as a URL starting with ipp://, ipps://, "
                    "http:// or https:// (for example ipp://cups.local:631/printers/Labels)."
                )
        # Kept simple on purpose: ZPL goes only over raw TCP. A CUPS queue could pass ZPL on as
        # a raw job, but whether it does depends on the queue's driver, and a label printer
        # that answers on 9100 is the normal case; IPP carries PDFs.
        if self.label_format == self.Format.ZPL and self.connection != self.Connection.RAW_TCP:
            errors["label_format"] = _(
                "ZPL can only be sent to a network label printer (RAW, port 9100); choose PDF "
                "for an IPP/CUPS printer."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def display_address(self) -> str:
        """The address as people type it (raw printers with their port)."""
        if self.connection == self.Connection.RAW_TCP:
            try:
                host, port = raw_address(self.address)
            except ValueError:
                return self.address
            return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return self.address

    @property
    def content_type(self) -> str:
        return "application/zpl" if self.label_format == self.Format.ZPL else "application/pdf"


class PackingStation(CompanyOwned):
    """A packing table of a warehouse and the printers its labels and documents go to.
    No printer means the browser's print dialog."""

    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("warehouse"),
        on_delete=models.CASCADE,
        related_name="packing_stations",
    )
    name = models.CharField(_("name"), max_length=100)
    label_printer = models.ForeignKey(
        Printer,
        verbose_name=_("label printer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: labels open in the browser's print dialog."),
    )
    document_printer = models.ForeignKey(
        Printer,
        verbose_name=_("document printer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For A4 documents (customs). Empty: they open in the browser's print dialog."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("packing station")
        verbose_name_plural = _("packing stations")
        ordering = ["warehouse", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "name"],
                name="packing_station_name_unique_per_warehouse",
                violation_error_message=_(
                    "This warehouse already has a packing station of this name."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        for field in ("label_printer", "document_printer"):
            printer = getattr(self, field)
            if (
                printer is not None
                and self.warehouse_id
                and printer.warehouse_id != (self.warehouse_id)
            ):
                errors[field] = _("Choose a printer of the station's warehouse.")
        label_printer = self.label_printer
        if label_printer is not None and "label_printer" not in errors:
            if label_printer.label_format not in Printer.LABEL_FORMATS:
                errors["label_printer"] = _(
                    "The label printer must print ZPL or A6 PDF labels; this one prints A4."
                )
        document_printer = self.document_printer
        if document_printer is not None and "document_printer" not in errors:
            if document_printer.label_format == Printer.Format.ZPL:
                errors["document_printer"] = _(
                    "Customs documents are A4 PDFs; choose a printer that prints PDF."
                )
        if errors:
            raise ValidationError(errors)


class PrintJob(CompanyOwned):
    """One document sent (or tried) to a printer: a label, customs documents, a test page."""

    class Kind(models.TextChoices):
        LABEL = "label", _("Shipping label")  # "label" alone is "Bezeichnung" in German
        CUSTOMS = "customs", _("customs documents")
        TEST = "test", _("test print")

    class State(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    printer = models.ForeignKey(
        Printer,
        verbose_name=_("printer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    printer_name = models.CharField(_("printer"), max_length=100)  # kept when it is deleted
    station = models.ForeignKey(
        PackingStation,
        verbose_name=_("packing station"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="print_jobs",
    )
    label = models.ForeignKey(
        Label,
        verbose_name=_("Shipping label"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="print_jobs",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label_format = models.CharField(
        _("format"), max_length=10, choices=Printer.Format.choices, blank=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    error = models.TextField(_("error"), blank=True)
    byte_count = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.printer_name} ({self.get_state_display()})"

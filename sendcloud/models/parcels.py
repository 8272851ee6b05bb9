from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.inventory.models import Warehouse
from backoffice.sales.models import DeliveryOrder, DeliveryOrderLine, Retoure

from .integration import Integration
from .shipments import private_label_storage


def status_wins(current: datetime | None, incoming: datetime | None) -> bool:
    """Newer status wins: an incoming status replaces the stored one unless the stored one is
    newer, and a status without a time never replaces one that has a time."""
    return current is None or (incoming is not None and incoming >= current)


class MirroredObject(models.Model):
    """A Sendcloud object copied into the back office, keyed by (integration, Sendcloud id)."""

    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="+"
    )
    raw = models.JSONField(_("as Sendcloud sent it"), default=dict)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True)
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("Set when the object disappeared from Sendcloud; cleared if it returns."),
    )
    # Change detection and the archive pass of the Abgleich (sendcloud.sync): a digest of what
    # Sendcloud sent, and the sync run that last saw the object in a full pass.
    fingerprint = models.CharField(max_length=40, blank=True, editable=False)
    seen_run = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Parcel(MirroredObject):
    sendcloud_id = models.BigIntegerField(_("parcel id"))
    shipment_id = models.CharField(_("shipment id"), max_length=64, blank=True, db_index=True)
    tracking_number = models.CharField(
        _("tracking number"), max_length=100, blank=True, db_index=True
    )
    tracking_url = models.URLField(_("tracking URL"), max_length=500, blank=True)
    status_id = models.IntegerField(_("status id"), null=True, blank=True)
    status_code = models.CharField(_("status code"), max_length=60, blank=True)
    status_message = models.CharField(_("status"), max_length=200, blank=True)
    status_changed_at = models.DateTimeField(
        _("status time"),
        null=True,
        blank=True,
        help_text=_("Time of the newest status applied; older events never overwrite it."),
    )
    carrier_code = models.CharField(_("carrier"), max_length=60, blank=True, db_index=True)
    shipping_method = models.CharField(_("shipping method"), max_length=200, blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True, db_index=True)
    external_reference = models.CharField(
        _("external reference"), max_length=200, blank=True, db_index=True
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    to_name = models.CharField(_("recipient"), max_length=200, blank=True)
    to_city = models.CharField(_("city"), max_length=100, blank=True)
    to_country = models.CharField(_("country"), max_length=2, blank=True)
    is_return = models.BooleanField(_("return parcel"), default=False)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    sendcloud_created_at = models.DateTimeField(
        _("created at Sendcloud"), null=True, blank=True, db_index=True
    )
    sendcloud_updated_at = models.DateTimeField(_("updated at Sendcloud"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["-sendcloud_created_at", "-sendcloud_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "sendcloud_id"], name="parcel_unique_per_integration"
            )
        ]
        indexes = [
            # The dashboard's parcels by status: the index alone answers it (no table rows read).
            models.Index(
                fields=["integration", "sendcloud_created_at", "archived_at", "status_code",
                        "status_id"],
                name="parcel_dashboard_status",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.tracking_number or str(self.sendcloud_id)


def return_upload_to(returned: "Return", filename: str) -> str:
    return f"returns/{returned.integration.company_id}/{returned.pk}/{filename}"


class Return(MirroredObject):
    """One Sendcloud return: mirrored by the Abgleich, moved by webhooks, and — when the back
    office created it — tied to its delivery order, lines, label and Retoure. Created here, the
    row exists (state "creating", external reference set) before Sendcloud is asked."""

    class State(models.TextChoices):
        SYNCED = "", _("from Sendcloud")
        CREATING = "creating", _("being created")  # reference stored, answer not (yet) known
        LIVE = "live", _("return label created")
        FAILED = "failed", _("failed")
        CANCEL_REQUESTED = "cancel_requested", _("cancellation requested")
        CANCELLED = "cancelled", _("cancelled")

    class Refund(models.TextChoices):
        MONEY = "money", _("refund the money")
        CREDIT = "credit", _("store credit")
        EXCHANGE = "exchange", _("exchange")

    OPEN_STATES = ("creating", "live", "cancel_requested")

    sendcloud_id = models.BigIntegerField(_("return id"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True, db_index=True)
    refund_status = models.CharField(_("refund"), max_length=60, blank=True)
    refund_total = models.DecimalField(
        _("refund amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    incoming_parcel_id = models.BigIntegerField(_("incoming parcel"), null=True, blank=True)
    outgoing_parcel_id = models.BigIntegerField(_("outgoing parcel"), null=True, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    incoming_tracking_number = models.CharField(
        _("return tracking number"), max_length=100, blank=True
    )
    event_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sendcloud_updated_at = models.DateTimeField(_("updated at Sendcloud"), null=True, blank=True)
    sendcloud_created_at = models.DateTimeField(_("created at Sendcloud"), null=True, blank=True)
    # -- created by the back office (issue 22) ---------------------------------------------------
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default="", blank=True, db_index=True
    )
    delivery_order = models.ForeignKey(
        DeliveryOrder, verbose_name=_("delivery order"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="sendcloud_returns",
    )  # fmt: skip
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("return to warehouse"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    external_reference = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        help_text=_("Stored before the request; a lost answer is looked up by it."),
    )
    reason_id = models.PositiveSmallIntegerField(_("return reason"), null=True, blank=True)
    refund_type = models.CharField(
        _("refund preference"), max_length=10, choices=Refund.choices, blank=True
    )
    delivery_option = models.CharField(_("return method"), max_length=30, blank=True)
    shipping_option_code = models.CharField(_("shipping option"), max_length=200, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=1000, blank=True)
    parcel_status_id = models.IntegerField(_("parcel status id"), null=True, blank=True)
    parcel_status = models.CharField(_("parcel status"), max_length=200, blank=True)
    status_changed_at = models.DateTimeField(_("status time"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered to the warehouse"), null=True, blank=True)
    label_pdf = models.FileField(
        _("return label (PDF)"), storage=private_label_storage, upload_to=return_upload_to,
        blank=True,
    )  # fmt: skip
    emailed_at = models.DateTimeField(_("label e-mailed"), null=True, blank=True)
    emailed_to = models.EmailField(_("e-mailed to"), blank=True)
    error_message = models.TextField(_("error"), blank=True)
    cancel_message = models.TextField(_("cancellation result"), blank=True)
    retoure = models.OneToOneField(
        Retoure, verbose_name=_("return receipt"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="sendcloud_return",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Nullable: the Abgleich and the webhook batches insert mirrored returns in bulk SQL.
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, null=True, blank=True, db_index=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, null=True, blank=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-sendcloud_created_at", "-sendcloud_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "sendcloud_id"], name="return_unique_per_integration"
            ),
            models.UniqueConstraint(
                fields=["integration", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="return_reference_unique_per_integration",
            ),
            # One attempt in flight per delivery order: a double click or a second worker
            # fails here instead of sending a second request.
            models.UniqueConstraint(
                fields=["delivery_order"],
                condition=models.Q(state="creating"),
                name="one_creating_return_per_delivery_order",
            ),
        ]

    def __str__(self):
        return str(self.sendcloud_id or self.external_reference or self.pk)

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ReturnLine(models.Model):
    """Which delivery order line goes back, and how many pieces."""

    returned = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    delivery_order_line = models.ForeignKey(
        DeliveryOrderLine, verbose_name=_("delivery line"), on_delete=models.PROTECT,
        related_name="sendcloud_return_lines",
    )  # fmt: skip
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.quantity} × {self.delivery_order_line.product}"

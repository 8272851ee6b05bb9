"""Labels of delivery orders: one Shipment per attempt, one Label per parcel, jobs, timeline.

Never a second paid label is enforced here, in the database, twice over:
* `one_live_shipment_per_delivery_order` — a delivery order has at most one shipment that is
  being created, announcing or live; a second worker's insert fails;
* `one_active_label_job_item_per_delivery_order` — at most one queued/running job item.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backoffice.sales.models import DeliveryOrder, Package

from .integration import Integration
from .runs import Run


class PrivateStorage(FileSystemStorage):
    """Files with no public URL: they carry customer addresses and are served only by a view
    that checks the user's company."""

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view")


def private_label_storage() -> FileSystemStorage:
    """Label files live under VAR_DIR/private, outside static and media."""
    return PrivateStorage(location=settings.VAR_DIR / "private")


def label_upload_to(label: "Label", filename: str) -> str:
    return f"labels/{label.shipment.integration.company_id}/{label.shipment_id}/{filename}"


class Generation(models.TextChoices):
    V3 = "v3", _("API v3")
    V2 = "v2", _("API v2")


class LabelJob(Run):
    """One "create labels" (or cancel) run over one or many delivery orders.

    It shares the run lifecycle (`models/runs.py`): claimed once, a heartbeat per order, failed
    at once when it crashes, continued by the dispatcher when its worker died. Unlike sync and
    order runs, several jobs of one integration may run side by side; what must not happen twice
    (two jobs on one delivery order) is a constraint on the items."""

    class State(models.TextChoices):
        # The run states (`models/runs.py`) and one of a label job's own: every order was sent,
        # some shipments are still being announced (async create); the webhook, a poll or the
        # reconciliation ends them and the job with them. Not active: no worker works on it.
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        WAITING = "waiting", _("waiting for Sendcloud")
        SUCCEEDED = "succeeded", _("succeeded")
        PARTIAL = "partial", _("partly failed")
        FAILED = "failed", _("failed")

    busy_message = _("A label job is still running.")
    resumed_message = _("An earlier label job stopped unexpectedly; it continues where it stopped.")

    class Kind(models.TextChoices):
        CREATE = "create", _("create labels")
        CANCEL = "cancel", _("cancel labels")

    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CREATE)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retry_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    use_shipping_rules = models.BooleanField(_("Sendcloud shipping rules"), default=False)
    choose = models.CharField(
        _("choose options"),
        max_length=30,
        blank=True,
        help_text=_(
            "For orders without an explicit choice: cheapest or fastest fitting option "
            "(empty: the shipping method's mapping)."
        ),
    )
    total = models.PositiveIntegerField(_("delivery orders"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("label job")
        verbose_name_plural = _("label jobs")
        ordering = ["-queued_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class LabelJobItem(models.Model):
    """The result of one delivery order in a job (the per-order line of progress and retries)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        ANNOUNCING = "announcing", _("being announced")  # sent; its shipment is not live yet
        SUCCEEDED = "succeeded", _("succeeded")
        SKIPPED = "skipped", _("skipped")
        NEEDS_FIXING = "needs_fixing", _("correction needed")
        FAILED = "failed", _("failed")

    ACTIVE = ("queued", "running")

    job = models.ForeignKey(LabelJob, on_delete=models.CASCADE, related_name="items")
    delivery_order = models.ForeignKey(
        DeliveryOrder, on_delete=models.CASCADE, related_name="label_job_items"
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default="queued")
    message = models.TextField(_("result"), blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    carrier_text = models.TextField(
        _("Sendcloud's words"),
        blank=True,
        help_text=_("What Sendcloud or the carrier answered when it refused the label."),
    )
    refused_input = models.CharField(
        _("refused input"),
        max_length=64,
        blank=True,
        help_text=_(
            "Fingerprint of the delivery order as it was refused; it is retried only once it "
            "changed."
        ),
    )
    shipment = models.ForeignKey(
        "Shipment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("label job result")
        verbose_name_plural = _("label job results")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_order"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_active_label_job_item_per_delivery_order",
            )
        ]

    def __str__(self):
        return f"{self.delivery_order_id} {self.state}"


class Shipment(models.Model):
    """One attempt at a label for a delivery order, in the generation that made it."""

    class State(models.TextChoices):
        CREATING = "creating", _("being created")  # reference stored, answer not (yet) known
        ANNOUNCING = "announcing", _("being announced")  # async: accepted, no label yet
        LIVE = "live", _("label created")
        FAILED = "failed", _("failed")
        CANCEL_REQUESTED = "cancel_requested", _("cancellation requested")
        CANCELLED = "cancelled", _("cancelled")

    BLOCKING = ("creating", "announcing", "live")

    class Mode(models.TextChoices):
        ANNOUNCE = "announce", _("synchronous announce")
        CREATE = "create", _("asynchronous create")
        ORDER = "order", _("from the pushed order")
        V2 = "v2", _("v2 parcel")

    delivery_order = models.ForeignKey(
        DeliveryOrder, verbose_name=_("delivery order"), on_delete=models.PROTECT,
        related_name="sendcloud_shipments",
    )  # fmt: skip
    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.PROTECT, related_name="+"
    )
    job = models.ForeignKey(
        LabelJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="shipments"
    )
    generation = models.CharField(_("API"), max_length=2, choices=Generation.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    external_reference = models.CharField(
        _("external reference"),
        max_length=100,
        help_text=_("Stored before the request; a lost answer is looked up by it."),
    )
    attempt = models.PositiveIntegerField(_("attempt"), default=1)
    sendcloud_shipment_id = models.CharField(_("shipment id"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.CREATING, db_index=True
    )
    carrier_code = models.CharField(_("carrier code"), max_length=60, blank=True)
    carrier_name = models.CharField(_("carrier"), max_length=200, blank=True)
    shipping_option_code = models.CharField(_("shipping option"), max_length=200, blank=True)
    shipping_option_name = models.CharField(_("shipping option name"), max_length=300, blank=True)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    test_mode = models.BooleanField(_("test label"), default=False)
    error_message = models.TextField(_("error"), blank=True)
    documents_checked_at = models.DateTimeField(
        _("documents last looked for"),
        null=True,
        blank=True,
        help_text=_("When the reconciliation last queued a fetch of missing label documents."),
    )
    needs_attention = models.BooleanField(_("needs attention"), default=False, db_index=True)
    attention_message = models.TextField(_("carrier message"), blank=True)
    cancel_status = models.CharField(_("cancellation"), max_length=20, blank=True)
    cancel_message = models.TextField(_("cancellation result"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    raw = models.JSONField(_("as Sendcloud sent it"), default=dict, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_order"],
                condition=models.Q(state__in=["creating", "announcing", "live"]),
                name="one_live_shipment_per_delivery_order",
            ),
            models.UniqueConstraint(
                fields=["integration", "external_reference"],
                name="shipment_reference_unique_per_integration",
            ),
        ]

    def __str__(self):
        return self.external_reference

    @property
    def is_live(self) -> bool:
        return self.state in self.BLOCKING


class Label(models.Model):
    """One parcel of a shipment with its tracking, status and (private) label files."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="labels")
    package = models.ForeignKey(
        Package, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    collo = models.PositiveSmallIntegerField(_("parcel no."), default=1)
    sendcloud_parcel_id = models.BigIntegerField(_("parcel id"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=1000, blank=True)
    status_id = models.IntegerField(_("status id"), null=True, blank=True)
    status_code = models.CharField(_("status code"), max_length=60, blank=True)
    status_message = models.CharField(_("status"), max_length=200, blank=True)
    status_changed_at = models.DateTimeField(
        _("status time"),
        null=True,
        blank=True,
        help_text=_("Time of the newest status applied; older events never overwrite it."),
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    label_pdf = models.FileField(
        _("label (PDF)"), storage=private_label_storage, upload_to=label_upload_to, blank=True
    )
    label_zpl = models.FileField(
        _("label (ZPL)"), storage=private_label_storage, upload_to=label_upload_to, blank=True
    )
    customs_pdf = models.FileField(
        _("customs documents"),
        storage=private_label_storage,
        upload_to=label_upload_to,
        blank=True,
    )
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("shipping label", "label")
        verbose_name_plural = pgettext_lazy("shipping label", "labels")
        ordering = ["shipment", "collo"]
        indexes = [models.Index(fields=["sendcloud_parcel_id"], name="label_parcel_id_idx")]

    def __str__(self):
        return self.tracking_number or str(self.sendcloud_parcel_id or self.pk)


class ShipmentEvent(models.Model):
    """One line of a delivery order's label timeline."""

    class Kind(models.TextChoices):
        PREFLIGHT = "preflight", _("check")
        REQUESTED = "requested", _("requested")
        CREATED = "created", _("label created")
        ADOPTED = "adopted", _("found at Sendcloud")
        FAILED = "failed", _("failed")
        DOCUMENTS = "documents", _("documents")
        STATUS = "status", _("parcel status")
        CANCEL = "cancel", _("cancellation")
        PRINTED = "printed", _("printed")
        REFUSED = "refused", _("refused")
        PRICE = "price", _("price")
        CHOSEN = "chosen", _("chosen automatically")

    delivery_order = models.ForeignKey(
        DeliveryOrder, on_delete=models.CASCADE, related_name="label_events"
    )
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("label event")
        verbose_name_plural = _("label events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.delivery_order_id} {self.kind}"


def shipment_event(shipment_or_delivery, kind: str, message: str = "") -> "ShipmentEvent":
    """A step on the delivery order's timeline, of one shipment or of the order itself."""
    if isinstance(shipment_or_delivery, Shipment):
        return ShipmentEvent.objects.create(
            delivery_order_id=shipment_or_delivery.delivery_order_id,
            shipment=shipment_or_delivery,
            kind=kind,
            message=message,
        )
    return ShipmentEvent.objects.create(
        delivery_order=shipment_or_delivery, kind=kind, message=message
    )

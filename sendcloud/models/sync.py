"""Sync runs (Abgleich), their per-object progress, and the per-type sync state."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .integration import Integration


class ObjectType(models.TextChoices):
    SENDER_ADDRESSES = "sender_addresses", _("sender addresses")
    SHIPPING_METHODS = "shipping_methods", _("shipping methods")
    PARCEL_STATUSES = "parcel_statuses", _("parcel statuses")
    PARCELS = "parcels", _("parcels")
    RETURNS = "returns", _("returns")
    INVOICES = "invoices", _("invoices")
    BRANDS = "brands", _("brands")


class SyncRun(models.Model):
    class Trigger(models.TextChoices):
        MANUAL = "manual", _("manual")
        SCHEDULE = "schedule", _("schedule")
        WEBHOOK = "webhook", _("webhook reconciliation")
        CLI = "cli", _("command line")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        PARTIAL = "partial", _("partly failed")
        FAILED = "failed", _("failed")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.CASCADE,
        related_name="sync_runs",
    )
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_types = models.JSONField(_("object types"), default=list)
    full = models.BooleanField(_("full sync"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    progress = models.JSONField(
        _("progress"),
        default=dict,
        help_text=_(
            "Per object type: state, pages, objects, created, updated, archived, "
            "failed, failed ids, error, resume cursor."
        ),
    )
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    requests = models.PositiveIntegerField(_("API requests"), default=0)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-queued_at", "-id"]
        constraints = [
            # One run per integration at a time, enforced by the database itself.
            models.UniqueConstraint(
                fields=["integration"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_active_sync_run_per_integration",
            )
        ]

    def __str__(self):
        return f"{self.integration} #{self.pk}"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class SyncState(models.Model):
    """What the next incremental run of one object type starts from."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="sync_states"
    )
    object_type = models.CharField(max_length=30, choices=ObjectType.choices)
    watermark = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Newest `updated_at` seen; next run asks for objects updated after it."),
    )
    last_full_at = models.DateTimeField(null=True, blank=True)
    last_run = models.ForeignKey(
        SyncRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_outcome = models.CharField(max_length=20, blank=True)
    last_error = models.TextField(blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    schedule_enabled = models.BooleanField(_("scheduled"), default=True)
    interval_minutes = models.PositiveIntegerField(_("every (minutes)"), null=True, blank=True)
    last_scheduled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "object_type"], name="sync_state_unique")
        ]

    def __str__(self):
        return f"{self.integration} {self.object_type}"

"""Sync runs (Abgleich), their per-object progress, and the per-type sync state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .integration import Integration
from .runs import Run


class ObjectType(models.TextChoices):
    """In the order a run syncs them: cheap catalogues first, so a long parcel walk does not
    hold them back."""

    BRANDS = "brands", _("brands")
    SENDER_ADDRESSES = "sender_addresses", _("sender addresses")
    SHIPPING_METHODS = "shipping_methods", _("shipping methods")
    ROUTES = "routes", _("shipping routes")
    PARCEL_STATUSES = "parcel_statuses", _("parcel statuses")
    INVOICES = "invoices", _("invoices")
    RETURNS = "returns", _("returns")
    PARCELS = "parcels", _("parcels")


class TypeState(models.TextChoices):
    """Where one object type of a run stands."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


@dataclass
class Counts:
    """What a walk did to the mirrored rows."""

    objects: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    failed: int = 0


@dataclass
class TypeProgress(Counts):
    """One object type's progress in a run, stored as JSON in `SyncRun.progress`.

    `token` resumes the walk after the last committed page; `phase` names the walk a type with
    several (parcels: the walk, then a catch-up) is in, `updated_after` that walk's lower bound.
    """

    state: str = TypeState.PENDING
    mode: str = ""
    phase: str = ""
    pages: int = 0
    failed_ids: list = field(default_factory=list)
    error: str = ""
    token: str | None = None
    walked: bool = False
    begun: bool = False
    estimate: int | None = None
    max_seen: str | None = None
    updated_after: str | None = None
    walk_started: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    carriers: Counts = field(default_factory=Counts)  # shipping methods: the carriers named

    @classmethod
    def load(cls, data: dict | None) -> TypeProgress:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in known}
        values["carriers"] = Counts(**values.get("carriers") or {})
        return cls(**values)

    def dump(self) -> dict:
        return asdict(self)

    @property
    def finished(self) -> bool:
        return self.state in (TypeState.DONE, TypeState.FAILED)

    def fail(self, message: str) -> None:
        self.state = TypeState.FAILED
        self.error = message[:1000]


class SyncRun(Run):
    class Trigger(models.TextChoices):
        MANUAL = "manual", _("manual")
        SCHEDULE = "schedule", _("schedule")
        CLI = "cli", _("command line")

    busy_message = _("A sync of this integration is already running; it was not started twice.")
    resumed_message = _("A sync that stopped unexpectedly continues from where it stopped.")

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
    progress = models.JSONField(
        _("progress"),
        default=dict,
        help_text=_(
            "Per object type: state, pages, objects, created, updated, archived, "
            "failed, failed ids, error, resume cursor."
        ),
    )
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

    def type_progress(self) -> dict[str, TypeProgress]:
        """Each object type's progress, in the run's order."""
        return {t: TypeProgress.load(self.progress.get(t)) for t in self.object_types}


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
    run_at = models.TimeField(
        _("time of day"),
        null=True,
        blank=True,
        help_text=_(
            "For daily and weekly schedules: the local time the run starts at or after. "
            "Empty: the interval counts from the last run."
        ),
    )
    last_scheduled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "object_type"], name="sync_state_unique")
        ]

    def __str__(self):
        return f"{self.integration} {self.object_type}"


class ScheduleTick(models.Model):
    """One row per minute the scheduled-sync dispatcher ran: its unique minute is the claim, so a
    second beat started by mistake finds the minute taken and starts nothing."""

    minute = models.DateTimeField(unique=True)
    dispatched_at = models.DateTimeField(auto_now_add=True)
    runs_started = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.minute:%Y-%m-%d %H:%M}"

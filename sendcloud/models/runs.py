"""The lifecycle every background run shares: sync runs, order push runs, and label jobs next.

queued → running → succeeded | partial | failed. One active run per integration is a partial
unique constraint in each concrete model; a worker takes a run with one UPDATE (`claim`), so a
redelivered task finds it taken and does nothing. A running run beats (`heartbeat_at`); one
silent for `STALE_AFTER` lost its worker and may be claimed again, continuing from what it
committed. A run whose work raises is failed at once with the reason (`sendcloud.runs`).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STALE_AFTER = timedelta(minutes=5)


class RunQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=Run.ACTIVE_STATES)

    def stale(self, now=None):
        """Active runs nobody works on any more (worker killed, task message lost)."""
        cutoff = (now or timezone.now()) - STALE_AFTER
        return self.filter(
            Q(state=Run.State.RUNNING, heartbeat_at__lt=cutoff)
            | Q(state=Run.State.QUEUED, queued_at__lt=cutoff)
        )

    def claim(self, pk: int, now=None) -> bool:
        """Take a queued run, or a running one whose worker went silent; False if not ours."""
        now = now or timezone.now()
        claimable = Q(state=Run.State.QUEUED) | Q(
            state=Run.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER
        )
        taken = (
            self.filter(pk=pk).filter(claimable).update(state=Run.State.RUNNING, heartbeat_at=now)
        )
        if taken:
            self.filter(pk=pk, started_at__isnull=True).update(started_at=now)
        return bool(taken)


class Run(models.Model):
    """Fields and state changes of a background run; concrete models add what they work on."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        PARTIAL = "partial", _("partly failed")
        FAILED = "failed", _("failed")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)
    # What `RunActive` says; each concrete run names itself.
    busy_message: str
    resumed_message: str

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def duration(self):
        done = self.started_at and self.finished_at
        return self.finished_at - self.started_at if done else None

    def is_stale(self, now=None) -> bool:
        last = self.heartbeat_at or self.started_at or self.queued_at
        return last is not None and last < (now or timezone.now()) - STALE_AFTER

    def beat(self, **fields) -> None:
        """A sign of life, saved with `fields` (progress) without touching anything else."""
        fields["heartbeat_at"] = timezone.now()
        self.__dict__.update(fields)
        type(self).objects.filter(pk=self.pk).update(**fields)

    def finish(self, state: str, error: str = "", **fields) -> None:
        now = timezone.now()
        fields.update(state=state, error=error[:5000], finished_at=now, heartbeat_at=now)
        self.__dict__.update(fields)
        self.save(update_fields=list(fields))

"""What every object type's sync shares: change detection, one bulk upsert per page, progress
committed in the same transaction as the page, and the archive pass after a full walk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sendcloud.client import Malformed, Page, SendcloudClient
from sendcloud.client.pagination import prefetched
from sendcloud.models import Integration, SyncRun, SyncState
from sendcloud.models.sync import Counts, TypeProgress

from .upsert import Upsert

FAILED_IDS_KEPT = 50


@dataclass
class SyncContext:
    """Everything one object type's sync needs during one run."""

    run: SyncRun
    integration: Integration
    client: SendcloudClient
    progress: TypeProgress
    state: SyncState
    heartbeat: Callable[[], None] = lambda: None  # saves the run's progress and sign of life
    scratch: dict = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.progress.mode == "full"


def clip(value: Any, length: int) -> str:
    return "" if value is None else str(value)[:length]


def fit(model: type[models.Model], row: dict) -> dict:
    """The row with its text values cut to their columns' lengths (None becomes "")."""
    lengths = {f.name: f.max_length for f in model._meta.fields if isinstance(f, models.CharField)}
    return {k: clip(v, lengths[k]) if k in lengths else v for k, v in row.items()}


def decimal_or_none(value: Any, places: int = 3, limit: int = 10**6) -> Decimal | None:
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None
    if number is None or not number.is_finite() or abs(number) >= limit:
        return None
    return round(number, places)


def kilograms(weight) -> Decimal | None:
    """A client `Weight` in kilograms."""
    if weight is None or weight.value is None:
        return None
    unit = (weight.unit or "kg").lower()
    value = weight.value / 1000 if unit in ("g", "gram", "grams") else weight.value
    return decimal_or_none(value, 3)


class TypeSync:
    """One object type. Subclasses name the model and key, fetch pages and map items to rows."""

    object_type: str = ""
    model: type[models.Model]
    key: str = "sendcloud_id"
    # Fields the back office owns on a mirrored row: never overwritten by the sync.
    local_fields: tuple[str, ...] = ()
    incremental = False
    guard_fields: tuple[str, ...] = ()

    # -- to implement ------------------------------------------------------------------------
    def batches(self, ctx: SyncContext, token: str | None) -> Iterator[Page]:
        """The list's pages from `token` on (lists read in one piece: one `Page`)."""
        raise NotImplementedError

    def rows(self, item: Any) -> Iterable[dict]:
        """Column values (with the key and `raw`) of the rows one item stands for."""
        raise NotImplementedError

    def item_ref(self, item: Any) -> str:
        return str(getattr(item, "id", "?"))

    def seen_at(self, item: Any) -> datetime | None:
        """The item's `updated_at`-like time, for the watermark of incremental types."""
        return None

    def guard(self, row: dict, old: dict) -> None:
        """Adjust a row before it overwrites `old` (values of `guard_fields`)."""

    def next_phase(self, ctx: SyncContext) -> bool:
        """After a walk (and its archive pass): set up another walk and say so, or False."""
        return False

    # -- the walk ----------------------------------------------------------------------------
    def mode_for(self, ctx: SyncContext) -> str:
        return "full"

    def begin(self, ctx: SyncContext) -> None:
        """Settle the mode once per run (a resumed run keeps it)."""
        progress = ctx.progress
        if progress.begun:
            return
        progress.mode = progress.mode or self.mode_for(ctx)
        progress.estimate = self.estimate(ctx)
        progress.walk_started = timezone.now().isoformat()
        progress.begun = True

    def run(self, ctx: SyncContext) -> None:
        """Walk the list from the last committed page, archive after a full walk, and go on
        while `next_phase` sets up another walk."""
        progress = ctx.progress
        self.begin(ctx)
        while True:
            if not progress.walked:
                self.walk(ctx, self.batches(ctx, progress.token))
            if ctx.full and not progress.phase:
                self.archive(ctx)
            if not self.next_phase(ctx):
                return
            ctx.heartbeat()

    def walk(self, ctx: SyncContext, batches: Iterator[Any], *, counts: Counts | None = None):
        for batch in prefetched(batches, ctx.client.transport):
            self.write_batch(ctx, batch, counts=counts)

    def estimate(self, ctx: SyncContext) -> int | None:
        """Objects expected in this walk (the mirror's size for a full pass), for the bar."""
        if ctx.progress.mode != "full":
            return None
        count = self.mirrored(ctx).filter(archived_at__isnull=True).count()
        return count or None

    def mirrored(self, ctx: SyncContext):
        return self.model.objects.filter(integration=ctx.integration)

    def write_batch(self, ctx: SyncContext, batch, *, counts: Counts | None = None) -> None:
        """Upsert one page in bulk and commit it together with the run's progress."""
        progress = ctx.progress
        counts = progress if counts is None else counts
        rows: dict[Any, dict] = {}
        failed: list[dict] = []
        failed_keys: list = []
        newest = datetime.fromisoformat(progress.max_seen) if progress.max_seen else None
        objects = 0
        for item in batch.items:
            objects += 1
            if isinstance(item, Malformed):
                failed.append({"id": item.ref, "error": item.error[:200]})
                failed_keys.extend(self.raw_keys(item.raw))
                continue
            try:
                for row in self.rows(item):
                    rows[row[self.key]] = row
                stamp = self.seen_at(item)
            except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
                failed.append({"id": self.item_ref(item), "error": str(exc)[:200]})
                failed_keys.extend(self.raw_keys(getattr(item, "raw", None)))
                continue
            if stamp is not None and (newest is None or stamp > newest):
                newest = stamp.astimezone(UTC)
        known = {f["id"] for f in progress.failed_ids}
        failed = [f for f in failed if f["id"] == "?" or f["id"] not in known]  # seen twice
        now = timezone.now()
        with transaction.atomic():
            created, updated, unchanged = self.upsert(ctx, rows, now)
            if ctx.full:
                self.mark_seen(ctx, unchanged + failed_keys)
            counts.created += created
            counts.updated += updated
            counts.unchanged += len(unchanged)
            counts.failed += len(failed)
            counts.objects += objects
            if counts is progress:
                progress.pages += 1
            progress.failed_ids = (progress.failed_ids + failed)[:FAILED_IDS_KEPT]
            progress.token = batch.next_token
            progress.walked = batch.next_token is None
            progress.max_seen = newest.isoformat() if newest else None
            ctx.heartbeat()

    def raw_keys(self, raw: Any) -> list:
        """Keys of the rows a malformed item stands for, so a full pass does not archive them."""
        if not isinstance(raw, dict):
            return []
        value = raw.get("id" if self.key == "sendcloud_id" else self.key)
        return [value] if value not in (None, "") else []

    def mark_seen(self, ctx: SyncContext, keys: list) -> None:
        if self.model._meta.get_field(self.key).get_internal_type().endswith("IntegerField"):
            keys = [int(k) for k in keys if str(k).lstrip("-").isdigit()]
        if not keys:
            return
        self.mirrored(ctx).filter(**{f"{self.key}__in": keys}).update(seen_run=ctx.run.pk)

    def upsert(self, ctx: SyncContext, rows: dict, now: datetime) -> tuple[int, int, list]:
        """Write new and changed rows in one statement; returns (created, updated, unchanged)."""
        if not rows:
            return 0, 0, []
        wanted = [self.key, "fingerprint", "archived_at", *self.guard_fields]
        existing = {
            values[self.key]: values
            for values in self.mirrored(ctx)
            .filter(**{f"{self.key}__in": list(rows)})
            .values(*wanted)
        }
        writer = self.writer()
        changed, unchanged, created = [], [], 0
        for key, row in rows.items():
            prepared, digest = writer.prepare(row)
            old = existing.get(key)
            if old and old["fingerprint"] == digest and old["archived_at"] is None:
                unchanged.append(key)
                continue
            created += old is None
            if old and self.guard_fields:
                self.guard(prepared, old)
            changed.append((prepared, digest))
        writer.execute(changed, integration_id=ctx.integration.pk, now=now, run_id=ctx.run.pk)
        return created, len(changed) - created, unchanged

    def writer(self) -> Upsert:
        cached = self.__dict__.get("_writer")
        if cached is None:
            cached = self.__dict__["_writer"] = Upsert(self.model, self.key, self.local_fields)
        return cached

    def archive(self, ctx: SyncContext, *, counts: Counts | None = None) -> None:
        """After a complete full walk: what was not seen is gone from Sendcloud."""
        counts = ctx.progress if counts is None else counts
        counts.archived += (
            self.mirrored(ctx)
            .filter(archived_at__isnull=True)
            .exclude(seen_run=ctx.run.pk)
            .update(archived_at=timezone.now())
        )
        ctx.heartbeat()

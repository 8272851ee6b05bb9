"""What every object type's sync shares: change detection, one bulk upsert per page, progress
committed in the same transaction as the page, and the archive pass after a full walk."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sendcloud.client import SendcloudClient
from sendcloud.models import Integration, SyncRun, SyncState

from .upsert import Upsert

FAILED_IDS_KEPT = 50


@dataclass(frozen=True)
class Malformed:
    """An object Sendcloud sent that could not be read; skipped and counted as failed."""

    raw: Any
    error: str

    @property
    def ref(self) -> str:
        if isinstance(self.raw, dict):
            for key in ("id", "code", "return_id"):
                if self.raw.get(key) not in (None, ""):
                    return str(self.raw[key])
        return "?"


@dataclass
class Batch:
    """One page of a list: its items and the token that continues the list after it."""

    items: Iterable[Any]
    next_token: str | None


@dataclass
class SyncContext:
    """Everything one object type's sync needs during one run."""

    run: SyncRun
    integration: Integration
    client: SendcloudClient
    object_type: str
    entry: dict
    state: SyncState
    heartbeat: Any = None  # callable saving the run's progress and sign of life
    scratch: dict = field(default_factory=dict)
    started: datetime = field(default_factory=timezone.now)

    @property
    def full(self) -> bool:
        return self.entry.get("mode") == "full"


def new_entry() -> dict:
    return {
        "state": "pending",
        "mode": "",
        "phase": "",
        "pages": 0,
        "objects": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "archived": 0,
        "failed": 0,
        "failed_ids": [],
        "error": "",
        "token": None,
        "walked": False,
        "estimate": None,
        "max_seen": None,
    }


def clip(value: Any, length: int) -> str:
    return "" if value is None else str(value)[:length]


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


def prefetched(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Fetch and parse the next page in a thread while this one is written to the database.

    Only HTTP and parsing run in the thread; the database stays in the caller's thread (the
    call records the client makes there are handed over by `Heartbeat`)."""
    channel: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(message) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            for batch in batches:
                if not hand_over(("batch", batch)):
                    return
            hand_over(("end", None))
        except BaseException as exc:  # handed to the caller, who decides
            hand_over(("error", exc))

    worker = threading.Thread(target=fetch, name="sync-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = channel.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join(timeout=30)


class TypeSync:
    """One object type. Subclasses name the model and key, fetch pages and map items to rows."""

    object_type: str = ""
    model: type[models.Model]
    key: str = "sendcloud_id"
    incremental = False
    guard_fields: tuple[str, ...] = ()

    # -- to implement ------------------------------------------------------------------------
    def batches(self, ctx: SyncContext, token: str | None) -> Iterator[Batch]:
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

    # -- the walk ----------------------------------------------------------------------------
    def mode_for(self, ctx: SyncContext) -> str:
        return "full"

    def begin(self, ctx: SyncContext) -> bool:
        """Settle the mode once per run (a resumed run keeps it); True the first time."""
        entry = ctx.entry
        if entry.get("begun"):
            return False
        entry["mode"] = entry["mode"] or self.mode_for(ctx)
        entry["estimate"] = self.estimate(ctx)
        entry["begun"] = True
        return True

    def run(self, ctx: SyncContext) -> None:
        entry = ctx.entry
        self.begin(ctx)
        if not entry["walked"]:
            self.walk(ctx, self.batches(ctx, entry["token"]))
        if ctx.full:
            self.archive(ctx)

    def walk(self, ctx: SyncContext, batches: Iterator[Batch], *, counts: dict | None = None):
        for batch in prefetched(batches):
            self.write_batch(ctx, batch, counts=counts)

    def estimate(self, ctx: SyncContext) -> int | None:
        """Objects expected in this walk (the mirror's size for a full pass), for the bar."""
        if ctx.entry["mode"] != "full":
            return None
        count = self.mirrored(ctx).filter(archived_at__isnull=True).count()
        return count or None

    def mirrored(self, ctx: SyncContext):
        return self.model.objects.filter(integration=ctx.integration)

    def write_batch(self, ctx: SyncContext, batch: Batch, *, counts: dict | None = None) -> None:
        """Upsert one page in bulk and commit it together with the run's progress."""
        entry = ctx.entry
        counts = entry if counts is None else counts
        rows: dict[Any, dict] = {}
        failed: list[dict] = []
        failed_keys: list = []
        newest = datetime.fromisoformat(entry["max_seen"]) if entry.get("max_seen") else None
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
        known = {f["id"] for f in entry["failed_ids"]}
        failed = [f for f in failed if f["id"] == "?" or f["id"] not in known]  # seen twice
        now = timezone.now()
        with transaction.atomic():
            created, updated, unchanged = self.upsert(ctx, rows, now)
            if ctx.full:
                self.mark_seen(ctx, unchanged + failed_keys)
            counts["created"] = counts.get("created", 0) + created
            counts["updated"] = counts.get("updated", 0) + updated
            counts["unchanged"] = counts.get("unchanged", 0) + len(unchanged)
            counts["failed"] = counts.get("failed", 0) + len(failed)
            counts["objects"] = counts.get("objects", 0) + objects
            if counts is entry:
                entry["pages"] += 1
            entry["failed_ids"] = (entry["failed_ids"] + failed)[:FAILED_IDS_KEPT]
            entry["token"] = batch.next_token
            entry["walked"] = batch.next_token is None
            entry["max_seen"] = newest.isoformat() if newest else None
            if ctx.heartbeat:
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
            cached = self.__dict__["_writer"] = Upsert(self.model, self.key)
        return cached

    def archive(self, ctx: SyncContext, *, counts: dict | None = None) -> None:
        """After a complete full walk: what was not seen is gone from Sendcloud."""
        counts = ctx.entry if counts is None else counts
        archived = (
            self.mirrored(ctx)
            .filter(archived_at__isnull=True)
            .exclude(seen_run=ctx.run.pk)
            .update(archived_at=timezone.now())
        )
        counts["archived"] = counts.get("archived", 0) + archived
        if ctx.heartbeat:
            ctx.heartbeat()

"""Process stored webhook events in the worker: idempotent, oldest first, replayable.

A drain claims a few events at a time with a lease, in a short transaction, and then processes
each one on its own, as the order outbox does: no lock is held while a handler calls Sendcloud,
and a worker that dies leaves its claimed events to the next drain once the lease runs out.
"""

import json
import logging
import time
from datetime import datetime, timedelta

import structlog
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from sendcloud import jobs
from sendcloud.client import parse_epoch_ms
from sendcloud.client.errors import SendcloudError
from sendcloud.client.webhooks import verify_signature
from sendcloud.crypto import secret_decrypt
from sendcloud.metrics import webhook_processed
from sendcloud.models import Integration, Label, WebhookEvent

from .handlers import HANDLERS, parcel_label_status_apply, parcel_status_outcome
from .mirror import parcel_statuses_apply
from .sql import rows_update
from .validation import webhook_payload_refusal

logger = logging.getLogger(__name__)
# A claim takes up to CLAIM_BATCH events, at most PER_INTEGRATION of one integration; the
# parcel status events among them are applied as one batch per integration.
CLAIM_BATCH = 200
PER_INTEGRATION = 100
INTEGRATIONS_PER_CLAIM = 20
BATCHED_ACTION = "parcel_status_changed"
LEASE = timedelta(minutes=5)
RENEW_AFTER = timedelta(minutes=1)  # of a lease's time used up, before a group renews it
# A worker's drain pass gives the worker back after this long and queues the rest as a new pass:
# with webhooks arriving all the time a pass never finds the inbox empty, and on `make run`'s
# single worker (every queue) it kept syncs, order pushes and labels waiting for minutes.
PASS_SECONDS = 20.0


def webhook_event_payload(event: WebhookEvent) -> dict:
    raw = bytes(event.raw_body)
    text = secret_decrypt(raw.decode()) if event.body_encrypted else raw.decode("utf-8", "replace")
    return json.loads(text)


def webhook_event_process(event: WebhookEvent) -> WebhookEvent:
    """Apply one accepted event; a second delivery of the same body changes nothing."""
    if event.state == WebhookEvent.State.REJECTED:
        return event
    event.attempts += 1
    duplicate = (
        WebhookEvent.objects.filter(
            integration_id=event.integration_id,
            body_sha256=event.body_sha256,
            state=WebhookEvent.State.PROCESSED,
        )
        .exclude(pk=event.pk)
        .exists()
    )
    handler = HANDLERS.get(event.action)
    if event.signature == WebhookEvent.Signature.NOT_CHECKED and not _verify_deferred(event):
        return event
    try:
        payload = webhook_event_payload(event) if handler and not duplicate else {}
        if refusal := webhook_payload_refusal(payload):
            event.state, event.reason = WebhookEvent.State.REJECTED, refusal
        elif duplicate:
            event.state, event.reason = (
                WebhookEvent.State.DUPLICATE,
                gettext_noop("The same message was processed before."),
            )
        elif handler is None:
            event.state, event.reason = (
                WebhookEvent.State.IGNORED,
                gettext_noop("Unknown action; stored for inspection."),
            )
        else:
            event.integration = Integration.objects.get(pk=event.integration_id)
            outcome = handler(event, payload)
            event.state = WebhookEvent.State.PROCESSED
            event.reason = outcome.reason
            event.object_ref = outcome.object_ref[:100]
            event.event_timestamp = outcome.timestamp
    except SendcloudError as error:
        event.state, event.reason = WebhookEvent.State.FAILED, str(error)[:1000]
    except Exception as error:  # a bad event must not stop the inbox; it is kept for replay
        logger.exception("webhook event %s failed", event.pk)
        event.state, event.reason = WebhookEvent.State.FAILED, f"{type(error).__name__}: {error}"
    event.processed_at = timezone.now()
    event.save(
        update_fields=[
            "state",
            "reason",
            "object_ref",
            "event_timestamp",
            "attempts",
            "processed_at",
        ]
    )
    webhook_processed(event)
    return event


def _verify_deferred(event: WebhookEvent) -> bool:
    """Check the signature of an event that arrived before the integration had its keys."""
    integration = Integration.objects.get(pk=event.integration_id)
    header = event.headers.get("Sendcloud-Signature", "")
    if integration.has_keys and verify_signature(
        bytes(event.raw_body), header, integration.secret_key
    ):
        event.signature = WebhookEvent.Signature.VALID
        event.save(update_fields=["signature"])
        return True
    event.signature = WebhookEvent.Signature.INVALID
    event.state = WebhookEvent.State.REJECTED
    event.reason = gettext_noop("The signature does not match the integration's secret key.")
    event.processed_at = timezone.now()
    event.save(update_fields=["signature", "state", "reason", "processed_at"])
    return False


def webhook_inbox_drain(limit: int = 10_000, seconds: float | None = None) -> int:
    """Process waiting events; safe to run in several workers at once.

    Each claim takes a bounded slice of the oldest waiting events of every integration that
    has some (round robin), so one company's backlog never holds up another's webhooks. With
    `seconds`, a pass that is still finding events after that long stops after its claim and
    queues another pass, behind whatever else was queued meanwhile."""
    deadline = None if seconds is None else time.monotonic() + seconds
    done = 0
    while done < limit:
        lease, claimed = _claim(min(CLAIM_BATCH, limit - done))
        if not claimed:
            break
        for integration_id, pks in claimed.items():
            _process_group(integration_id, pks, lease)
            done += len(pks)
        if deadline is not None and time.monotonic() >= deadline:
            jobs.kick(jobs.WEBHOOK_INBOX_DRAIN, every=0)
            break
    return done


def _claimable(now):
    return WebhookEvent.objects.filter(state=WebhookEvent.State.RECEIVED).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim(size: int) -> tuple[datetime, dict[int | None, list[int]]]:
    """Lease waiting events to this worker for a while, in one short transaction: up to
    `PER_INTEGRATION` of each integration, integrations with the oldest waiting event first."""
    now = timezone.now()
    heads = (
        _claimable(now)
        .values("integration_id")
        .annotate(first=Min("id"))
        .order_by("first")
        .values_list("integration_id", flat=True)[:INTEGRATIONS_PER_CLAIM]
    )
    claimed: dict[int | None, list[int]] = {}
    with transaction.atomic():
        for integration_id in heads:
            room = min(PER_INTEGRATION, size - sum(map(len, claimed.values())))
            if room <= 0:
                break
            ids = list(
                _claimable(now)
                .select_for_update(skip_locked=True)
                .filter(integration_id=integration_id)
                .order_by("id")
                .values_list("id", flat=True)[:room]
            )
            if ids:
                claimed[integration_id] = ids
        every = [pk for ids in claimed.values() for pk in ids]
        WebhookEvent.objects.filter(pk__in=every).update(claimed_until=now + LEASE)
    return now + LEASE, claimed


def _take(pks: list[int], lease: datetime) -> tuple[list[WebhookEvent], datetime]:
    """The claimed events, minus any another worker has taken over; their lease is renewed
    when the groups before took a while (right after the claim it still runs for minutes, and
    renewing would write every event once more)."""
    mine = WebhookEvent.objects.filter(pk__in=pks, state=WebhookEvent.State.RECEIVED)
    if lease - timezone.now() < LEASE - RENEW_AFTER:
        renewed = timezone.now() + LEASE
        mine.filter(claimed_until=lease).update(claimed_until=renewed)
        lease = renewed
    return list(mine.filter(claimed_until=lease).order_by("id")), lease


def _still_mine(event: WebhookEvent, lease: datetime) -> bool:
    """Renew one event's lease right before it is processed; False if another worker took it
    over meanwhile (the events before it took longer than the lease)."""
    mine = WebhookEvent.objects.filter(
        pk=event.pk, state=WebhookEvent.State.RECEIVED, claimed_until=lease
    )
    return bool(mine.update(claimed_until=timezone.now() + LEASE))


def _process_group(integration_id: int | None, pks: list[int], lease: datetime) -> None:
    """One integration's claimed events: parcel statuses as one batch, the rest one by one."""
    with structlog.contextvars.bound_contextvars(integration_id=integration_id):
        _process_group_of(integration_id, pks, lease)


def _process_group_of(integration_id: int | None, pks: list[int], lease: datetime) -> None:
    events, lease = _take(pks, lease)
    batch = [
        e
        for e in events
        if e.action == BATCHED_ACTION
        and e.signature == WebhookEvent.Signature.VALID
        and not e.body_encrypted
    ]
    if batch:
        try:
            _parcel_statuses_process(integration_id, batch)
        except Exception:  # one bad event must not fail the others: take them one by one
            logger.exception("batch of %s webhook events failed; one by one", len(batch))
            batch = []
    batched = {e.pk for e in batch}
    for event in events:
        if event.pk not in batched and _still_mine(event, lease):
            webhook_event_process(event)


def _parcel_statuses_process(integration_id: int, events: list[WebhookEvent]) -> None:
    """Apply many `parcel_status_changed` events of one integration with a few queries; the
    outcome of each is what `webhook_event_process` would have recorded for it."""
    integration = Integration.objects.get(pk=integration_id)
    processed_before = set(
        WebhookEvent.objects.filter(
            integration_id=integration_id,
            state=WebhookEvent.State.PROCESSED,
            body_sha256__in={e.body_sha256 for e in events},
        ).values_list("body_sha256", flat=True)
    )
    fresh, seen = [], set(processed_before)
    now = timezone.now()
    for event in events:
        event.attempts += 1
        event.processed_at = now
        if event.body_sha256 in seen:
            event.state = WebhookEvent.State.DUPLICATE
            event.reason = gettext_noop("The same message was processed before.")
        else:
            payload = webhook_event_payload(event)
            if refusal := webhook_payload_refusal(payload):
                event.state, event.reason = WebhookEvent.State.REJECTED, refusal
                continue
            seen.add(event.body_sha256)
            fresh.append(
                (event, payload.get("parcel") or {}, parse_epoch_ms(payload.get("timestamp")))
            )
    with transaction.atomic():
        outcomes = parcel_statuses_apply(integration, [(data, when) for _e, data, when in fresh])
        with_label = set(
            Label.objects.filter(
                shipment__integration=integration,
                sendcloud_parcel_id__in=[parcel.sendcloud_id for parcel, _applied in outcomes],
            ).values_list("sendcloud_parcel_id", flat=True)
        )
        for (event, data, when), (parcel, applied) in zip(fresh, outcomes, strict=True):
            if parcel.sendcloud_id in with_label or data.get("is_return"):
                parcel_label_status_apply(integration, data, when)
            outcome = parcel_status_outcome(parcel, applied, when)
            event.state = WebhookEvent.State.PROCESSED
            event.reason = outcome.reason
            event.object_ref = outcome.object_ref[:100]
            event.event_timestamp = outcome.timestamp
        rows_update(
            events,
            ["state", "reason", "object_ref", "event_timestamp", "attempts", "processed_at"],
        )
    for event in events:
        webhook_processed(event)


def webhook_event_replay(event: WebhookEvent) -> WebhookEvent:
    """Run a failed (or ignored) event again, e.g. after fixing the cause."""
    if event.state not in (WebhookEvent.State.FAILED, WebhookEvent.State.IGNORED):
        return event
    event.state = WebhookEvent.State.RECEIVED
    return webhook_event_process(event)

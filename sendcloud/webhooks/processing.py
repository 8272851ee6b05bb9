"""Process stored webhook events in the worker: idempotent, oldest first, replayable.

A drain claims a few events at a time with a lease, in a short transaction, and then processes
each one on its own, as the order outbox does: no lock is held while a handler calls Sendcloud,
and a worker that dies leaves its claimed events to the next drain once the lease runs out.
"""

import json
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from sendcloud.client.errors import SendcloudError
from sendcloud.client.webhooks import verify_signature
from sendcloud.crypto import secret_decrypt
from sendcloud.models import Integration, WebhookEvent

from .handlers import HANDLERS

logger = logging.getLogger(__name__)
CLAIM_BATCH = 20
LEASE = timedelta(minutes=5)


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
        if duplicate:
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
            outcome = handler(event, webhook_event_payload(event))
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


def webhook_inbox_drain(limit: int = 10_000) -> int:
    """Process waiting events oldest first; safe to run in several workers at once."""
    done = 0
    while done < limit:
        lease, claimed = _claim(min(CLAIM_BATCH, limit - done))
        if not claimed:
            break
        for pk in claimed:
            if event := _take(pk, lease):
                webhook_event_process(event)
        done += len(claimed)
    return done


def _claim(size: int) -> tuple[datetime, list[int]]:
    """Lease waiting events to this worker for a while, in one short transaction."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            WebhookEvent.objects.select_for_update(skip_locked=True)
            .filter(state=WebhookEvent.State.RECEIVED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        WebhookEvent.objects.filter(pk__in=ids).update(claimed_until=now + LEASE)
    return now + LEASE, ids


def _take(pk: int, lease: datetime) -> WebhookEvent | None:
    """The claimed event with its lease renewed, or None if another worker has taken it over."""
    mine = WebhookEvent.objects.filter(pk=pk, state=WebhookEvent.State.RECEIVED)
    mine = mine.filter(claimed_until=lease)
    renewed = mine.update(claimed_until=timezone.now() + LEASE)
    return WebhookEvent.objects.get(pk=pk) if renewed else None


def webhook_event_replay(event: WebhookEvent) -> WebhookEvent:
    """Run a failed (or ignored) event again, e.g. after fixing the cause."""
    if event.state not in (WebhookEvent.State.FAILED, WebhookEvent.State.IGNORED):
        return event
    event.state = WebhookEvent.State.RECEIVED
    return webhook_event_process(event)

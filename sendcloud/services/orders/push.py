"""Push delivery orders to Sendcloud's v3 Orders API in batches of at most 100."""

import hashlib
import json
import re
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sendcloud.client import errors as sc_errors
from sendcloud.clients import client_for
from sendcloud.models import Integration, OrderPush, OrderPushEvent

from ..shipping_choice import delivery_orders_options_lookups
from .mapping import delivery_order_to_sendcloud
from .preflight import delivery_order_preflight

BATCH_SIZE = 100  # v3 §4.1: 1–100 orders per request
_INDEX = re.compile(r"/\[?(\d+)\]?(?:/|$)")
Outcome = OrderPushEvent.Outcome


@dataclass
class PushReport:
    """What happened to each delivery order of one push: outcome and message by id."""

    integration: Integration
    run: object = None
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)
    requests: int = 0

    def record(self, delivery, state, outcome, message, new_state, problems=()) -> None:
        """The order's new push state and a line on its timeline, committed together."""
        self.outcomes[delivery.pk] = (outcome, message)
        with transaction.atomic():
            state.state = new_state
            state.problems = list(problems)
            state.save()
            OrderPushEvent.objects.create(
                delivery_order=delivery,
                integration=self.integration,
                run=self.run,
                outcome=outcome,
                message=message,
            )

    def count(self, outcome: str) -> int:
        return sum(1 for value, _message in self.outcomes.values() if value == outcome)

    def record_pushed(self, pushed) -> None:
        """`record` for a whole accepted batch of (delivery, state, outcome): two queries."""
        now = timezone.now()
        events = []
        for delivery, state, outcome in pushed:
            self.outcomes[delivery.pk] = (outcome, "")
            state.state, state.problems, state.updated_at = OrderPush.State.PUSHED, [], now
            events.append(
                OrderPushEvent(
                    delivery_order=delivery, integration=self.integration, run=self.run,
                    outcome=outcome, message="",
                )
            )  # fmt: skip
        with transaction.atomic():
            OrderPush.objects.bulk_update(
                [state for _d, state, _o in pushed],
                ["state", "problems", "sendcloud_order_id", "pushed_at", "payload_hash",
                 "updated_at"],
            )  # fmt: skip
            OrderPushEvent.objects.bulk_create(events)


def push_states(deliveries, integration: Integration) -> dict[int, OrderPush]:
    """Each delivery order's push row, in two or three queries; the external id is fixed when
    the row is created (the delivery number) and never changes afterwards."""
    rows = OrderPush.objects.filter(integration=integration, delivery_order__in=deliveries)
    states = {state.delivery_order_id: state for state in rows}
    missing = [d for d in deliveries if d.pk not in states]
    if missing:
        OrderPush.objects.bulk_create(
            [
                OrderPush(delivery_order=d, integration=integration, external_id=d.number)
                for d in missing
            ],
            ignore_conflicts=True,
        )
        rows = OrderPush.objects.filter(integration=integration, delivery_order__in=missing)
        states.update((state.delivery_order_id, state) for state in rows)
    return states


def _digest(body: dict) -> str:
    stable = {k: v for k, v in body.items() if k != "order_details"}
    details = {k: v for k, v in body["order_details"].items() if k != "order_updated_at"}
    return hashlib.sha256(
        json.dumps([stable, details], sort_keys=True, default=str).encode()
    ).hexdigest()


def orders_push(
    integration: Integration, deliveries, *, run=None, force: bool = False, client=None
) -> PushReport:
    """Preflight, map and push; isolates orders Sendcloud rejects so the rest still land.

    Connection problems, 5xx and rate limits propagate (the caller keeps the work queued);
    validation errors are per order and end up in the report.
    """
    report = PushReport(integration, run)
    client = client or client_for(integration, reference=gettext_noop("order push"))
    pending: list[tuple[object, OrderPush, dict]] = []
    deliveries = list(deliveries)
    states = push_states(deliveries, integration)
    lookups: dict = {}  # one query per warehouse / shipping method, not per order
    lookups.update(delivery_orders_options_lookups(deliveries))
    for delivery in deliveries:
        state = states[delivery.pk]
        problems = delivery_order_preflight(delivery, integration, lookups=lookups)
        if problems:
            message = _("Needs fixing: %(problems)s") % {"problems": " ".join(problems)}
            report.record(
                delivery, state, Outcome.SKIPPED, message, OrderPush.State.NEEDS_FIXING, problems
            )
            continue
        body = delivery_order_to_sendcloud(
            delivery, integration, external_id=state.external_id, lookups=lookups
        )
        digest = _digest(body)
        if state.sendcloud_order_id:
            body["id"] = str(state.sendcloud_order_id)  # v3 §4.1: the upsert target, a string
        if not force and state.state == OrderPush.State.PUSHED and state.payload_hash == digest:
            message = _("Unchanged since the last push.")
            report.record(delivery, state, Outcome.SKIPPED, message, OrderPush.State.PUSHED)
            continue
        state.payload_hash = digest
        pending.append((delivery, state, body))
    for start in range(0, len(pending), BATCH_SIZE):
        _push_isolating(client, pending[start : start + BATCH_SIZE], report)
    return report


def _push_isolating(client, batch, report: PushReport) -> None:
    """All-or-nothing batches (v3 §4.1): drop the orders the error points at, bisect when it
    points nowhere, and push the rest again."""
    if not batch:
        return
    report.requests += 1
    try:
        refs = _upsert_with_patience(client, [body for _d, _s, body in batch])
    except sc_errors.ValidationError as error:
        bad = _bad_indexes(error, len(batch))
        if not bad and len(batch) > 1:
            middle = len(batch) // 2
            _push_isolating(client, batch[:middle], report)
            _push_isolating(client, batch[middle:], report)
            return
        bad = bad or {0: [str(error)]}
        for index, messages in bad.items():
            delivery, state, _body = batch[index]
            message = "; ".join(messages)
            report.record(
                delivery, state, Outcome.FAILED, message, OrderPush.State.FAILED, messages
            )
        _push_isolating(client, [item for i, item in enumerate(batch) if i not in bad], report)
        return
    by_external = {str(ref.order_id): ref for ref in refs}
    now = timezone.now()
    pushed = []
    for delivery, state, _body in batch:
        ref = by_external.get(state.external_id)
        created = not state.sendcloud_order_id
        if ref is not None and ref.id is not None:
            state.sendcloud_order_id = int(ref.id)
        state.pushed_at = now
        pushed.append((delivery, state, Outcome.CREATED if created else Outcome.UPDATED))
    report.record_pushed(pushed)


def _upsert_with_patience(client, bodies, attempts: int = 4):
    """Sendcloud answers 400 "still processing a previous request" while an earlier write to
    the same order is saved asynchronously; that one is worth waiting for (briefly)."""
    for attempt in range(attempts):
        try:
            return client.v3.orders_upsert(bodies)
        except sc_errors.StillProcessing:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def _bad_indexes(error: sc_errors.ValidationError, size: int) -> dict[int, list[str]]:
    """Batch positions named by the error pointers (`/data/attributes/[3]/order_details/…`)."""
    bad: dict[int, list[str]] = {}
    for field_error in error.field_errors:
        pointer = field_error.pointer or field_error.field or ""
        if "/data/attributes" in pointer:
            pointer = pointer.split("/data/attributes", 1)[1]
        match = _INDEX.match(pointer) if pointer else None
        if match and int(match.group(1)) < size:
            where = pointer[match.end() :].strip("/") or _("order")
            bad.setdefault(int(match.group(1)), []).append(f"{where}: {field_error.message}")
    return bad

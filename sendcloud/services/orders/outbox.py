"""The order outbox: changes are queued in the order's own transaction and delivered later."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import errors as sc_errors
from sendcloud.clients import client_for
from sendcloud.models import Integration, OrderOutbox, OrderPush, OrderPushEvent

from .preflight import is_sendcloud_delivery
from .push import orders_push

MAX_BACKOFF = timedelta(hours=1)
CLAIM_FOR = timedelta(minutes=5)
# One pass delivers at most this many rows of one integration (one batch request to Sendcloud).
PER_INTEGRATION = 100
INTEGRATIONS_PER_PASS = 20
PUSHABLE_STATES = (DeliveryOrder.State.READY,)


def order_outbox_enqueue(delivery: DeliveryOrder) -> OrderOutbox | None:
    """Queue what Sendcloud must learn about this delivery order (call inside its transaction)."""
    integration = Integration.objects.filter(company_id=delivery.company_id).connected().first()
    if integration is None or not is_sendcloud_delivery(delivery):
        return None
    if delivery.state == DeliveryOrder.State.CANCELLED:
        pushed = OrderPush.objects.filter(
            delivery_order=delivery, integration=integration, sendcloud_order_id__isnull=False
        ).exists()
        if not pushed:
            OrderOutbox.objects.filter(delivery_order=delivery, integration=integration).delete()
            return None
        kind = OrderOutbox.Kind.DELETE
    elif delivery.state in PUSHABLE_STATES:
        kind = OrderOutbox.Kind.UPSERT
    else:
        return None
    row, created = OrderOutbox.objects.get_or_create(
        delivery_order=delivery,
        integration=integration,
        defaults={"kind": kind, "available_at": timezone.now()},
    )
    if not created:
        OrderOutbox.objects.filter(pk=row.pk).update(
            kind=kind, available_at=timezone.now(), attempts=0, version=F("version") + 1
        )
    OrderPush.objects.get_or_create(
        delivery_order=delivery, integration=integration, defaults={"external_id": delivery.number}
    )
    if kind == OrderOutbox.Kind.UPSERT:
        OrderPush.objects.filter(delivery_order=delivery, integration=integration).exclude(
            state=OrderPush.State.PUSHED
        ).update(state=OrderPush.State.QUEUED)
    return row


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def order_outbox_deliver(limit: int = 1000) -> int:
    """Deliver due outbox rows; rows whose delivery fails wait with backoff, nothing is lost.

    Round robin: each pass takes up to PER_INTEGRATION due rows of every integration that has
    some, so one company's thousands of orders never hold up another company's few."""
    delivered = 0
    while delivered < limit:
        groups = _claim(limit - delivered)
        if not groups:
            break
        for rows in groups:
            delivered += _deliver_group(rows[0].integration, rows)
    return delivered


def _claim(size: int) -> list[list[OrderOutbox]]:
    """Due rows by integration, claimed for a while so another worker does not send them too."""
    now = timezone.now()
    due = OrderOutbox.objects.filter(available_at__lte=now)
    heads = (
        due.values("integration_id")
        .annotate(first=Min("available_at"))
        .order_by("first")
        .values_list("integration_id", flat=True)[:INTEGRATIONS_PER_PASS]
    )
    groups, taken = [], 0
    with transaction.atomic():
        for integration_id in heads:
            room = min(PER_INTEGRATION, size - taken)
            if room <= 0:
                break
            rows = list(
                due.select_for_update(skip_locked=True)
                .filter(integration_id=integration_id)
                .select_related("integration")
                .order_by("available_at", "id")[:room]
            )
            if rows:
                groups.append(rows)
                taken += len(rows)
        OrderOutbox.objects.filter(pk__in=[r.pk for rows in groups for r in rows]).update(
            available_at=now + CLAIM_FOR
        )
    return groups


def _deliver_group(integration: Integration, rows: list[OrderOutbox]) -> int:
    if not integration.is_usable:
        _postpone(rows, _("The integration is not connected."))
        return 0
    client = client_for(integration, reference=gettext_noop("order outbox"))
    deliveries = {
        d.pk: d
        for d in DeliveryOrder.objects.filter(pk__in=[r.delivery_order_id for r in rows])
        .select_related("sales_order__customer", "warehouse", "shipping_method")
        .prefetch_related("lines__product", "packages")
    }
    upserts = [r for r in rows if r.kind == OrderOutbox.Kind.UPSERT]
    deletes = [r for r in rows if r.kind == OrderOutbox.Kind.DELETE]
    done = 0
    try:
        if upserts:
            orders_push(
                integration, [deliveries[r.delivery_order_id] for r in upserts], client=client
            )
            done += _finish(upserts)
        for row in deletes:
            _delete_at_sendcloud(client, integration, deliveries[row.delivery_order_id])
            done += _finish([row])
    except (
        sc_errors.ConnectionError,
        sc_errors.ServerError,
        sc_errors.RateLimited,
        sc_errors.AuthenticationError,
        sc_errors.InvalidResponse,
    ) as error:
        pending = [
            r for r in rows if OrderOutbox.objects.filter(pk=r.pk, version=r.version).exists()
        ]
        _postpone(pending, str(error))
    return done


def _delete_at_sendcloud(client, integration, delivery) -> None:
    state = OrderPush.objects.get(delivery_order=delivery, integration=integration)
    try:
        client.v3.order_delete(state.sendcloud_order_id)
        message = ""
    except sc_errors.NotFound:
        message = _("Sendcloud no longer had the order.")
    state.state = OrderPush.State.REMOVED
    state.save(update_fields=["state", "updated_at"])
    OrderPushEvent.objects.create(
        delivery_order=delivery,
        integration=integration,
        outcome=OrderPushEvent.Outcome.DELETED,
        message=message,
    )


def _finish(rows) -> int:
    """Remove rows whose version is still the one sent; newer changes stay queued and due."""
    if not rows:
        return 0
    sent = Q()
    for row in rows:
        sent |= Q(pk=row.pk, version=row.version)
    OrderOutbox.objects.filter(sent).delete()
    OrderOutbox.objects.filter(pk__in=[row.pk for row in rows]).update(available_at=timezone.now())
    return len(rows)


def _postpone(rows, message: str) -> None:
    for row in rows:
        attempts = row.attempts + 1
        OrderOutbox.objects.filter(pk=row.pk, version=row.version).update(
            attempts=attempts,
            last_error=message[:1000],
            available_at=timezone.now() + _backoff(attempts),
        )
        OrderPushEvent.objects.create(
            delivery_order_id=row.delivery_order_id,
            integration_id=row.integration_id,
            outcome=OrderPushEvent.Outcome.WAITING,
            message=message[:1000],
        )

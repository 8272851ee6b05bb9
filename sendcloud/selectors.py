"""Reads for the Sendcloud pages, always scoped to the user's company."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud.errors import Problem
from sendcloud.models import (
    ApiCall,
    Integration,
    ObjectType,
    OrderOutbox,
    OrderPush,
    SyncRun,
    SyncState,
    WarehouseSenderAddress,
    WebhookEvent,
)
from sendcloud.services.connect import integration_webhook_url
from sendcloud.services.orders.preflight import delivery_order_preflight
from sendcloud.services.sync_schedules import DAY, DEFAULT_INTERVALS, sync_next_scheduled
from sendcloud.services.warehouse_addresses import mapping_problems


def integrations_for(company):
    return Integration.objects.filter(company=company).order_by("position", "id")


def integration_default(company) -> Integration | None:
    """The first active, connected integration of the company: where jobs and orders go."""
    return Integration.objects.filter(company=company).connected().first()


def delivery_order_sendcloud_problems(delivery) -> list[str]:
    """What Sendcloud would refuse about a delivery order that is ready to ship with a
    Sendcloud method (pre-flight against the company's default integration); empty otherwise."""
    method = delivery.shipping_method
    if (
        delivery.state != DeliveryOrder.State.READY
        or method is None
        or method.provider != ShippingMethod.Provider.SENDCLOUD
    ):
        return []
    integration = integration_default(delivery.company)
    return delivery_order_preflight(delivery, integration) if integration else []


def integration_get(company, pk) -> Integration:
    return get_object_or_404(Integration, company=company, pk=pk)


def webhook_events_for(company, *, state: str = "", action: str = "", integration=None):
    events = WebhookEvent.objects.filter(company_id_hint=company.pk).select_related("integration")
    if state:
        events = events.filter(state=state)
    if action:
        events = events.filter(action=action)
    if integration:
        events = events.filter(integration=integration)
    return events.defer("raw_body")


def webhook_event_get(company, pk) -> WebhookEvent:
    return get_object_or_404(WebhookEvent, company_id_hint=company.pk, pk=pk)


def webhook_event_actions(company) -> list[str]:
    return list(
        WebhookEvent.objects.filter(company_id_hint=company.pk)
        .exclude(action="")
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )


def api_calls_for(company, *, integration=None, failed_only: bool = False):
    calls = ApiCall.objects.filter(company_id_hint=company.pk).select_related("integration")
    if integration:
        calls = calls.filter(integration=integration)
    if failed_only:
        calls = calls.filter(Q(status_code__gte=400) | Q(status_code__isnull=True))
    return calls


def api_call_get(company, pk: int) -> ApiCall:
    """One API call of the company (404 for another company's)."""
    return get_object_or_404(ApiCall, company_id_hint=company.pk, pk=pk)


@dataclass(frozen=True)
class IntegrationOverview:
    """Everything the overview shows about one integration."""

    integration: Integration
    webhook_url_ours: str
    problems: dict
    warehouse_senders: list
    drift: list
    backlog: dict
    syncs: list
    sync_active: SyncRun | None
    next_sync: tuple[datetime, list[str]] | None
    needs_fixing: int = 0


def integration_overviews(company, problems_shown: int = 5) -> list[IntegrationOverview]:
    """The overview of every integration of the company, in a fixed number of queries."""
    integrations = list(integrations_for(company))
    ids = [i.pk for i in integrations]
    events = _latest(
        WebhookEvent.objects.filter(
            integration__in=ids,
            state__in=[WebhookEvent.State.FAILED, WebhookEvent.State.REJECTED],
        ).defer("raw_body"),
        "received_at",
        problems_shown,
    )
    calls = _latest(
        ApiCall.objects.filter(integration__in=ids).filter(
            Q(status_code__gte=400) | Q(status_code__isnull=True)
        ),
        "created_at",
        problems_shown,
    )
    counts = _by_integration(
        WebhookEvent.objects.filter(integration__in=ids)
        .values("integration")
        .annotate(
            waiting=Count("id", filter=Q(state=WebhookEvent.State.RECEIVED)),
            failed=Count("id", filter=Q(state=WebhookEvent.State.FAILED)),
        )
    )
    backlogs = _by_integration(
        OrderOutbox.objects.filter(integration__in=ids)
        .values("integration")
        .annotate(count=Count("id"), failing=Count("id", filter=Q(attempts__gt=0)))
        .annotate(oldest=Min("created_at"))
    )
    senders = _grouped(
        WarehouseSenderAddress.objects.filter(integration__in=ids)
        .select_related("warehouse", "sender_address")
        .order_by("warehouse__code")
    )
    fixing = _by_integration(
        OrderPush.objects.filter(
            integration__in=ids,
            state__in=[OrderPush.State.NEEDS_FIXING, OrderPush.State.FAILED],
        )
        .values("integration")
        .annotate(count=Count("id"))
    )
    states = _grouped(SyncState.objects.filter(integration__in=ids).select_related("last_run"))
    active = {
        run.integration_id: run
        for run in SyncRun.objects.filter(
            integration__in=ids, state__in=SyncRun.ACTIVE_STATES
        ).order_by("-id")
    }
    return [
        IntegrationOverview(
            integration=integration,
            webhook_url_ours=integration_webhook_url(integration),
            problems={
                "events": events.get(integration.pk, []),
                "calls": calls.get(integration.pk, []),
                "waiting": counts.get(integration.pk, {}).get("waiting", 0),
                "failed": counts.get(integration.pk, {}).get("failed", 0),
            },
            warehouse_senders=senders.get(integration.pk, []),
            drift=[
                Problem(message, object=row.warehouse.name, field=str(row.warehouse_id))
                for row in senders.get(integration.pk, [])
                for message in mapping_problems(row.warehouse, row.sender_address)
            ],
            backlog=backlogs.get(integration.pk, {"count": 0, "failing": 0, "oldest": None}),
            syncs=_sync_rows(states.get(integration.pk, [])),
            sync_active=active.get(integration.pk),
            next_sync=sync_next_scheduled(
                integration, states=_with_defaults(integration, states.get(integration.pk, []))
            ),
            needs_fixing=fixing.get(integration.pk, {}).get("count", 0),
        )
        for integration in integrations
    ]


def _latest(queryset, newest_by: str, per_integration: int) -> dict[int, list]:
    """The newest rows of each integration, in one query."""
    ranked = queryset.annotate(
        rank=Window(RowNumber(), partition_by=F("integration_id"), order_by=F(newest_by).desc())
    ).filter(rank__lte=per_integration)
    return _grouped(ranked.order_by(f"-{newest_by}"))


def _grouped(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.integration_id, []).append(row)
    return grouped


def _by_integration(values) -> dict[int, dict]:
    return {row.pop("integration"): row for row in values}


def _sync_rows(states: list[SyncState]) -> list[dict]:
    """Last sync of every object type with its outcome."""
    labels = dict(ObjectType.choices)
    by_type = {s.object_type: s for s in states}
    rows = []
    for object_type in ObjectType:
        state = by_type.get(str(object_type))
        if state is None or state.last_finished_at is None:
            continue
        rows.append(
            {
                "type": str(object_type),
                "label": labels[str(object_type)],
                "finished_at": state.last_finished_at,
                "outcome": state.last_outcome,
                "outcome_label": str(SyncRun.State(state.last_outcome).label)
                if state.last_outcome
                else "",
                "error": state.last_error,
                "run": state.last_run,
            }
        )
    return rows


def _with_defaults(integration, states: list[SyncState]) -> list[SyncState]:
    """The stored states, and for each type never scheduled the default it would get."""
    for state in states:
        if state.interval_minutes is None:
            state.interval_minutes = DEFAULT_INTERVALS.get(state.object_type, DAY)
    stored = {s.object_type for s in states}
    for state in states:  # the runner creates rows without a schedule; the default applies
        if state.interval_minutes is None:
            state.interval_minutes = DEFAULT_INTERVALS.get(state.object_type)
    return states + [
        SyncState(integration=integration, object_type=t, interval_minutes=DEFAULT_INTERVALS[t])
        for t in ObjectType
        if str(t) not in stored
    ]

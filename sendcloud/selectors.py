"""Reads for the Sendcloud pages, always scoped to the user's company."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from sendcloud.models import ApiCall, Integration, WarehouseSenderAddress, WebhookEvent


def integrations_for(company):
    return Integration.objects.filter(company=company).order_by("position", "id")


def integration_default(company) -> Integration | None:
    """The first active, connected integration of the company (what jobs use by default)."""
    return (
        integrations_for(company).filter(is_active=True, state=Integration.State.CONNECTED).first()
    )


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


def integration_problems(integration: Integration, limit: int = 5) -> dict:
    """Recent errors worth showing on the overview."""
    failed_events = integration.webhook_events.filter(
        state__in=[WebhookEvent.State.FAILED, WebhookEvent.State.REJECTED]
    ).defer("raw_body")[:limit]
    failed_calls = integration.api_calls.filter(
        Q(status_code__gte=400) | Q(status_code__isnull=True)
    )[:limit]
    counts = integration.webhook_events.aggregate(
        waiting=Count("id", filter=Q(state=WebhookEvent.State.RECEIVED)),
        failed=Count("id", filter=Q(state=WebhookEvent.State.FAILED)),
    )
    return {"events": failed_events, "calls": failed_calls, **counts}


def warehouse_senders_of(integration: Integration):
    return (
        WarehouseSenderAddress.objects.filter(integration=integration)
        .select_related("warehouse", "sender_address")
        .order_by("warehouse__code")
    )

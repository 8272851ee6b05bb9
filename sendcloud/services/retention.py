from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backoffice.companies.models import IdempotentResponse
from sendcloud.call_spool import api_calls_unspool
from sendcloud.models import ApiCall, WebhookEvent


def idempotency_expired_before():
    """Answers stored under an Idempotency-Key before this moment are no longer replayed."""
    return timezone.now() - timedelta(days=settings.API_IDEMPOTENCY_DAYS)


def idempotent_responses_purge() -> int:
    """Delete the REST API's stored Idempotency-Key answers older than API_IDEMPOTENCY_DAYS."""
    deleted, _ = IdempotentResponse.objects.filter(
        created_at__lt=idempotency_expired_before()
    ).delete()
    return deleted


def sendcloud_logs_purge() -> tuple[int, int, int]:
    """Delete webhook events, API calls and the REST API's stored Idempotency-Key answers older
    than their retention (settings); store the spooled API calls first, in case no call has
    been made since the database was locked."""
    while api_calls_unspool():
        pass
    now = timezone.now()
    events, _ = (
        WebhookEvent.objects.filter(
            received_at__lt=now - timedelta(days=settings.SENDCLOUD_WEBHOOK_RETENTION_DAYS)
        )
        .exclude(state=WebhookEvent.State.RECEIVED)
        .delete()
    )
    calls, _ = ApiCall.objects.filter(
        created_at__lt=now - timedelta(days=settings.SENDCLOUD_API_CALL_RETENTION_DAYS)
    ).delete()
    return events, calls, idempotent_responses_purge()

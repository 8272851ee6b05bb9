from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sendcloud.models import ApiCall, WebhookEvent


def sendcloud_logs_purge() -> tuple[int, int]:
    """Delete webhook events and API calls older than their retention (settings)."""
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
    return events, calls

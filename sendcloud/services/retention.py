from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sendcloud.call_spool import api_calls_unspool
from sendcloud.models import ApiCall, WebhookEvent


def sendcloud_logs_purge() -> tuple[int, int]:
    """Delete webhook events and API calls older than their retention (settings); store the
    spooled API calls first, in case no call has been made since the database was locked."""
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
    return events, calls

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sendcloud import jobs
from sendcloud.models import Integration

from .intake import webhook_receive


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook_endpoint(request, token):
    """Sendcloud's webhook target: store first, answer fast, process in the worker."""
    if request.method == "GET":
        # Setup GETs this from our own server to see that PUBLIC_BASE_URL leads here; that is
        # no proof that Sendcloud can reach it. It tells only whether the token in the URL
        # (which the caller already holds) belongs to an integration, and changes nothing.
        known = Integration.objects.filter(webhook_token=token).exists()
        return JsonResponse({"ok": known}, status=200 if known else 404)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.SENDCLOUD_WEBHOOK_MAX_BYTES
    raw = b"" if length > limit else request.read(limit + 1)
    intake = webhook_receive(
        token=token,
        raw_body=raw,
        headers=request.headers,
        remote_addr=request.META.get("REMOTE_ADDR"),
        content_length=length,
    )
    accepted = intake.status_code in (200, 202)
    if accepted:
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
    return JsonResponse({"received": intake.event.pk, "ok": accepted}, status=intake.status_code)

"""Operations endpoints: `/health`, `/ready`, `/metrics`. No login; cheap; JSON or Prometheus."""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sendcloud.health import readiness
from sendcloud.metrics import metrics_exposition


@never_cache
@require_GET
def health(request):
    """Liveness: the process answers. Touches nothing else, so a slow database never kills it."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    """Readiness: database, broker and a fresh worker heartbeat; Sendcloud only shown."""
    ok, body = readiness()
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def metrics(request):
    """Prometheus figures for a bearer of METRICS_TOKEN or a caller from an allowed network."""
    if not metrics_allowed(request):
        return HttpResponseForbidden("metrics: token or allowed network required\n")
    body, content_type = metrics_exposition()
    return HttpResponse(body, content_type=content_type)


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(settings.METRICS_ALLOWED_NETWORKS))


def _networks(entries):
    for entry in entries:
        if entry.lower() == "none":  # "none": the token alone opens /metrics
            continue
        yield ipaddress.ip_network(entry, strict=False)

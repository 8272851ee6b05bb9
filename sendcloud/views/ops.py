"""Operations endpoints: `/health`, `/ready`, `/metrics`. No login; cheap; JSON or Prometheus."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sendcloud.health import readiness


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

"""/api/v1/ (the API and its schema) and /api/docs/ (Swagger UI served from our static files)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import api
from .idempotency import idempotent


def docs(request):
    return api.docs.render_page(request, api)


def _api_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        # Bearer tokens, no cookies: a cross-site form cannot send one, so no CSRF check.
        pattern.callback = csrf_exempt(idempotent(pattern.callback))
    return patterns, app_name, namespace


urlpatterns = [
    path("v1/", _api_urls()),
    path("docs/", docs, name="api-docs"),
]

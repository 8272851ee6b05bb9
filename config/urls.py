from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve

from backoffice.static_files import static_file
from sendcloud.views import ops

# Browsers ask for /favicon.ico on every page that names none (API, webhook, JSON answers).
FAVICON = {"path": "favicon.ico", "document_root": settings.BASE_DIR / "static" / "backoffice"}

handler403 = "backoffice.errors.permission_denied"
handler404 = "backoffice.errors.page_not_found"

urlpatterns = [
    path("favicon.ico", serve, FAVICON),
    path("health", ops.health, name="health"),
    path("ready", ops.ready, name="ready"),
    path("metrics", ops.metrics, name="metrics"),
    re_path(r"^static/(?P<path>.*)$", static_file),  # `make run` only (SERVE_STATIC)
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", include("sendcloud.api.urls")),
    path("sendcloud/", include("sendcloud.urls")),
    path("", admin.site.urls),
]

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def integration_overview(request):
    """Konfiguration → Lager → Sendcloud → Integration."""
    context = {
        **admin.site.each_context(request),
        "title": _("Sendcloud integration"),
        "integrations": [],
    }
    return TemplateResponse(request, "sendcloud/integration_overview.html", context)

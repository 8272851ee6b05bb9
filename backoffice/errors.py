"""Error pages inside the back office: menu, breadcrumbs, a way back, German first.

Django's own 403 is a bare English "403 Forbidden" without any way back, and its 404 (with
DEBUG off) a page without the menu; a user who followed a link they may not use deserves to
see where they are and how to get back.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _page(request, template: str, status: int, title: str, reason: str = "") -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": title,
        "reason": reason,
        "back_url": _back_url(request),
    }
    response = TemplateResponse(request, template, context, status=status)
    response.render()  # handlers must return a rendered response
    return response


def _back_url(request) -> str:
    """The page the user came from, if it is one of ours (never another site's address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def permission_denied(request, exception=None):
    """handler403: what the role may not do, and the way back."""
    reason = ""
    if isinstance(exception, PermissionDenied) and exception.args:
        reason = str(exception.args[0])  # our refusals carry a translated reason
    return _page(request, "403.html", 403, _("Not allowed"), reason)


def page_not_found(request, exception=None):
    """handler404 (DEBUG off): the page is not there (or belongs to another company)."""
    return _page(request, "404.html", 404, _("Page not found"))

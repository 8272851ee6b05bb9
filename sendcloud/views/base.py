from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from backoffice.scoping import company_of
from sendcloud import selectors


def render(request, template: str, context: dict, *, title: str, status: int = 200):
    """Render a Sendcloud page inside the back office shell."""
    page = {**admin.site.each_context(request), "title": title, **context}
    return TemplateResponse(request, template, page, status=status)


def of_default_integration(route: str):
    """A menu entry for a page of one integration: the company's default one."""

    def view(request):
        integration = selectors.integration_default(company_of(request))
        if integration is None:
            messages.info(request, _("Link a Sendcloud account first."))
            return redirect("sendcloud:integration")
        return redirect(route, pk=integration.pk)

    return view


__all__ = ["company_of", "of_default_integration", "render"]

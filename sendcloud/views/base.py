from django.contrib import admin
from django.template.response import TemplateResponse

from backoffice.scoping import company_of


def render(request, template: str, context: dict, *, title: str, status: int = 200):
    """Render a Sendcloud page inside the back office shell."""
    page = {**admin.site.each_context(request), "title": title, **context}
    return TemplateResponse(request, template, page, status=status)


__all__ = ["company_of", "render"]

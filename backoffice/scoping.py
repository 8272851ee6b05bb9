"""Company scoping for admin pages: users see and write only their own company's rows."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def company_of(request):
    """The company the request works in; a user without one may not see business rows."""
    company = getattr(request.user, "company", None)
    if company is None:
        raise PermissionDenied(_("Your user is not assigned to a company."))
    return company


def scope_foreign_key(db_field, request, kwargs):
    """Limit a foreign-key dropdown to the user's company where the target is company-owned."""
    related = db_field.related_model
    if any(f.name == "company" for f in related._meta.get_fields()):
        base = kwargs.get("queryset", related._default_manager.all())
        kwargs["queryset"] = base.filter(company=company_of(request))
    return kwargs


class CompanyScopedAdmin(admin.ModelAdmin):
    """Filters rows, foreign-key choices and saves by the user's company."""

    exclude = ["company"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(company=company_of(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scope_foreign_key(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        company = company_of(request)

        class CompanyForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                # Set before validation so model.clean() and unique checks see the company.
                self.instance.company = company

            def _get_validation_exclusions(self):
                # "company" is not a form field, so Django would skip the per-company unique
                # constraints; the company is set above, so they can and must be checked.
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("company")
                return exclusions

        return CompanyForm

    def save_model(self, request, obj, form, change):
        obj.company = company_of(request)
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return getattr(request.user, "company", None) is not None and super().has_module_permission(
            request
        )


class CompanyScopedInline(admin.TabularInline):
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scope_foreign_key(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

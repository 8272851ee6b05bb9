"""Company scoping for admin pages: users see and write only their own company's rows.

The installation operator (an active superuser) is the only one who sees other companies;
pages that are not about one company's rows are the operator's alone (`OperatorOnlyAdmin`).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _


def company_of(request):
    """The company the request works in; a user without one may not see business rows."""
    company = getattr(request.user, "company", None)
    if company is None:
        raise PermissionDenied(_("Your user is not assigned to a company."))
    return company


def is_operator(user) -> bool:
    """The installation operator: may see and change every company."""
    return bool(user.is_active and user.is_superuser)


def scope_foreign_key(db_field, request, kwargs):
    """Limit a foreign-key dropdown to the user's company where the target is company-owned."""
    related = db_field.related_model
    if any(f.name == "company" for f in related._meta.get_fields()):
        base = kwargs.get("queryset", related._default_manager.all())
        kwargs["queryset"] = base.filter(company=company_of(request))
    return kwargs


def scope_list_filter(model_admin, list_filter):
    """Filters on a relation offer only what the company's own rows use.

    Django's plain related filter lists every row of the target model, i.e. the names of other
    companies' warehouses and shipping methods.
    """
    scoped = []
    for entry in list_filter:
        if isinstance(entry, str):
            field = model_admin.model._meta.get_field(entry.split("__")[0])
            if field.is_relation and "__" not in entry:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
        scoped.append(entry)
    return scoped


class OperatorOnlyAdmin:
    """Mixin for admin pages across companies (users of all, schedules, groups): operator only."""

    def has_module_permission(self, request):
        return is_operator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_add_permission(self, request, *args):
        return is_operator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request.user)


# Decimal inputs in the reader's locale ("0,650" in German, "0.650" in English), shown and typed;
# Django's number input would show and take only "0.650".
LOCALIZED_DECIMALS = {models.DecimalField: {"localize": True}}


class CompanyScopedAdmin(admin.ModelAdmin):
    """Filters rows, foreign-key choices, list filters and saves by the user's company."""

    formfield_overrides = LOCALIZED_DECIMALS

    exclude = ["company"]

    def get_list_filter(self, request):
        return scope_list_filter(self, super().get_list_filter(request))

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
    formfield_overrides = LOCALIZED_DECIMALS
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scope_foreign_key(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

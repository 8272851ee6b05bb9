"""Raw views for superusers (e.g. webhook requests for unknown URLs, kept for inspection)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.inventory.admin import WarehouseAdmin
from backoffice.inventory.models import Warehouse
from backoffice.scoping import company_of
from sendcloud.models import (
    ApiCall,
    Integration,
    SenderAddress,
    WarehouseSenderAddress,
    WebhookEvent,
)
from sendcloud.services.warehouse_addresses import mapping_problems


class ReadOnlyForSuperusers(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyForSuperusers):
    list_display = [
        "id",
        "received_at",
        "integration",
        "action",
        "state",
        "signature",
        "status_code",
        "remote_addr",
        "token_hint",
    ]
    list_filter = ["state", "signature", "action"]
    exclude = ["raw_body"]


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyForSuperusers):
    list_display = ["created_at", "integration", "method", "path", "status_code", "duration_ms"]
    list_filter = ["method", "status_code"]


class WarehouseSenderAddressForm(forms.ModelForm):
    class Meta:
        model = WarehouseSenderAddress
        fields = ["integration", "sender_address"]

    def clean(self):
        data = super().clean()
        # The inline formset puts the (maybe still unsaved) parent warehouse into cleaned_data.
        warehouse = data.get("warehouse")
        address, integration = data.get("sender_address"), data.get("integration")
        if address and integration and address.integration_id != integration.pk:
            self.add_error(
                "sender_address", _("This sender address belongs to another integration.")
            )
        elif address and warehouse:
            for problem in mapping_problems(warehouse, address):
                self.add_error("sender_address", problem)
        return data


class WarehouseSenderAddressInline(admin.TabularInline):
    """The Lager konfigurieren mapping, editable on the warehouse's own form."""

    model = WarehouseSenderAddress
    form = WarehouseSenderAddressForm
    extra = 0
    verbose_name = _("Sendcloud sender address")
    verbose_name_plural = _("Sendcloud sender addresses")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        company = company_of(request)
        if db_field.name == "integration":
            kwargs["queryset"] = Integration.objects.filter(company=company)
        elif db_field.name == "sender_address":
            kwargs["queryset"] = SenderAddress.objects.filter(
                integration__company=company, archived_at__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WarehouseWithSenderAdmin(WarehouseAdmin):
    inlines = [*WarehouseAdmin.inlines, WarehouseSenderAddressInline]


admin.site.unregister(Warehouse)
admin.site.register(Warehouse, WarehouseWithSenderAdmin)

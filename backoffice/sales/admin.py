import tempfile

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from backoffice.scoping import CompanyScopedAdmin, CompanyScopedInline, company_of

from .delivery_note import delivery_notes_pdf
from .models import (
    Customer,
    CustomerAddress,
    DeliveryOrder,
    DeliveryOrderLine,
    Package,
    SalesOrder,
    SalesOrderLine,
    ShippingMethod,
)

ADDRESS_FIELDS = [
    "company_name",
    "contact_name",
    ("street", "house_number"),
    "address_line_2",
    ("postal_code", "city"),
    ("country", "state_code"),
    ("email", "phone"),
]


class CustomerAddressInline(admin.StackedInline):
    model = CustomerAddress
    extra = 0
    fields = ["is_default", *ADDRESS_FIELDS]


@admin.register(Customer)
class CustomerAdmin(CompanyScopedAdmin):
    list_display = ["number", "name", "company_name", "email", "phone"]
    search_fields = ["number", "name", "company_name", "email", "addresses__city"]
    inlines = [CustomerAddressInline]


@admin.register(ShippingMethod)
class ShippingMethodAdmin(CompanyScopedAdmin):
    list_display = ["code", "name", "provider", "carrier_code", "uses_service_point"]
    list_filter = ["provider"]
    search_fields = ["code", "name"]


class SalesOrderLineInline(CompanyScopedInline):
    model = SalesOrderLine
    autocomplete_fields = ["product"]


@admin.register(SalesOrder)
class SalesOrderAdmin(CompanyScopedAdmin):
    list_display = ["number", "customer", "order_date", "currency", "payment_status"]
    list_filter = ["payment_status", "order_date"]
    search_fields = ["number", "customer__name", "customer__number"]
    date_hierarchy = "order_date"
    autocomplete_fields = ["customer"]
    inlines = [SalesOrderLineInline]
    list_select_related = ["customer"]


class DeliveryOrderLineInline(CompanyScopedInline):
    model = DeliveryOrderLine
    autocomplete_fields = ["product"]


class PackageInline(CompanyScopedInline):
    model = Package


class UsedCountryFilter(admin.SimpleListFilter):
    """Only the countries the company's delivery orders go to, not all 250."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        queryset = model_admin.get_queryset(request).order_by()  # no ordering column in DISTINCT
        used = queryset.values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in used), key=lambda c: str(c[1]))

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(DeliveryOrder)
class DeliveryOrderAdmin(CompanyScopedAdmin):
    # Short headers and dates, so the list with its Sendcloud columns fits a 1280 px screen.
    list_display = [
        "list_number",
        "sales_order",
        "warehouse",
        "city",
        "country",
        "list_delivery_date",
        "state",
        "shipping_method",
    ]
    list_filter = ["state", "warehouse", "shipping_method", UsedCountryFilter, "delivery_date"]
    search_fields = ["number", "sales_order__number", "contact_name", "company_name", "city"]
    date_hierarchy = "delivery_date"
    autocomplete_fields = ["sales_order"]
    list_select_related = ["sales_order", "warehouse", "shipping_method"]
    inlines = [DeliveryOrderLineInline, PackageInline]
    actions = ["delivery_notes_print"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "sales_order",
                    "warehouse",
                    ("delivery_date", "state"),
                    ("shipping_method", "service_point_id"),
                ]
            },
        ),
        (_("Shipping address"), {"fields": ADDRESS_FIELDS}),
    ]

    @admin.display(description=_("No."), ordering="number")
    def list_number(self, obj):
        return obj.number

    @admin.display(description=_("delivery date"), ordering="delivery_date")
    def list_delivery_date(self, obj):
        return date_format(obj.delivery_date, "SHORT_DATE_FORMAT") if obj.delivery_date else "–"

    def get_urls(self):
        note = self.admin_site.admin_view(self.delivery_note_view)
        return [
            path(
                "<path:object_id>/delivery-note/",
                note,
                name="sales_deliveryorder_delivery_note",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "delivery_note_url": reverse(
                "admin:sales_deliveryorder_delivery_note", args=[object_id]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def delivery_note_view(self, request, object_id):
        """The Lieferschein of one delivery order (A4 PDF), for whoever may see the order."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        delivery = get_object_or_404(self.get_queryset(request), pk=object_id)
        return _notes_response([delivery], delivery.number)

    @admin.action(description=_("Print delivery notes"))
    def delivery_notes_print(self, request, queryset):
        company_of(request)
        deliveries = queryset.select_related("warehouse", "sales_order", "shipping_method")
        return _notes_response(deliveries.order_by("number"), str(_("delivery-notes")))


def _notes_response(deliveries, name: str) -> FileResponse:
    out = tempfile.TemporaryFile()
    delivery_notes_pdf(deliveries, out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=False, filename=f"{name}.pdf", content_type="application/pdf"
    )

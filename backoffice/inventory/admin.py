from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.scoping import CompanyScopedAdmin

from .models import Product, StockLevel, Warehouse


class StockLevelInline(admin.TabularInline):
    """Stock per warehouse, booked by goods receipts (Retouren); read here, not typed in."""

    model = StockLevel
    fields = ["warehouse", "quantity", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Warehouse)
class WarehouseAdmin(CompanyScopedAdmin):
    list_display = ["code", "name", "city", "country", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["code", "name", "city", "postal_code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "is_active"]}),
        (
            _("Address"),
            {
                "fields": [
                    "company_name",
                    "contact_name",
                    ("street", "house_number"),
                    "address_line_2",
                    ("postal_code", "city"),
                    ("country", "state_code"),
                    ("email", "phone"),
                ]
            },
        ),
    ]


@admin.register(Product)
class ProductAdmin(CompanyScopedAdmin):
    list_display = [
        "sku",
        "ean",
        "name",
        "weight_kg",
        "price",
        "currency",
        "hs_code",
        "origin_country",
    ]
    list_filter = ["is_active", "origin_country"]
    search_fields = ["sku", "ean", "name", "hs_code"]
    inlines = [StockLevelInline]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Company, User


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Company"), {"fields": ["company"]}),)
    list_display = ["username", "email", "company", "is_staff", "is_superuser"]
    list_filter = ["company", "is_staff", "is_superuser"]

    def has_module_permission(self, request):
        return request.user.is_superuser

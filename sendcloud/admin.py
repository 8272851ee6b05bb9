"""Raw views for superusers (e.g. webhook requests for unknown URLs, kept for inspection)."""

from django.contrib import admin

from sendcloud.models import ApiCall, WebhookEvent


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
    list_display = ["id", "received_at", "integration", "action", "state", "signature",
                    "status_code", "remote_addr", "token_hint"]
    list_filter = ["state", "signature", "action"]
    exclude = ["raw_body"]


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyForSuperusers):
    list_display = ["created_at", "integration", "method", "path", "status_code", "duration_ms"]
    list_filter = ["method", "status_code"]

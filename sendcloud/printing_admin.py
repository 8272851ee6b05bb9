"""Konfiguration → Lager → Drucker / Packplätze: printers and packing stations per warehouse.

Set up by the Verwaltung role (add/change/delete), read by every role; company scoped like every
business page. The printer page has a "Test print" button (POST) and lists its latest jobs.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backoffice.companies.roles import CREATE_LABELS
from backoffice.scoping import CompanyScopedAdmin, company_of
from sendcloud.models import PackingStation, Printer, PrintJob
from sendcloud.services.printing import printer_test_print

RECENT_JOBS = 10


class PrintJobInline(admin.TabularInline):
    """The printer's latest jobs, read only: what was sent, when, and why it failed."""

    model = PrintJob
    fk_name = "printer"
    fields = ["created_at", "kind", "state", "label", "byte_count", "user", "error"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("latest print jobs")

    def get_queryset(self, request):
        rows = super().get_queryset(request).filter(company=company_of(request))
        latest = rows.order_by("-created_at", "-id").values_list("pk", flat=True)[:RECENT_JOBS]
        return rows.filter(pk__in=list(latest)).select_related("label", "user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Printer)
class PrinterAdmin(CompanyScopedAdmin):
    list_display = ["name", "warehouse", "connection", "shown_address", "label_format", "is_active"]
    list_filter = ["warehouse", "connection", "label_format", "is_active"]
    search_fields = ["name", "address"]
    fields = ["warehouse", "name", "connection", "address", "label_format", "is_active"]
    inlines = [PrintJobInline]
    change_form_template = "sendcloud/printer_change_form.html"

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new printer has no jobs

    @admin.display(description=gettext_lazy("address"), ordering="address")
    def shown_address(self, obj):
        return obj.display_address

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/test-print/",
                self.admin_site.admin_view(self.test_print_view),
                name="sendcloud_printer_test_print",
            )
        ]
        return urls + super().get_urls()

    def may_test_print(self, request, obj=None) -> bool:
        """Who may set the printer up, and who prints labels (a test page buys nothing)."""
        return self.has_change_permission(request, obj) or request.user.has_perm(CREATE_LABELS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {**(extra_context or {}), "may_test_print": self.may_test_print(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def test_print_view(self, request, object_id):
        return require_POST(self._test_print)(request, object_id)

    def _test_print(self, request, object_id):
        printer = get_object_or_404(
            Printer.objects.select_related("warehouse"),
            pk=object_id if str(object_id).isdigit() else None,
            company=company_of(request),
        )
        if not self.may_test_print(request, printer):
            raise PermissionDenied
        job = printer_test_print(printer, user=request.user)
        if job.state == PrintJob.State.SENT:
            messages.success(
                request,
                _("Test print sent to “%(name)s” (%(address)s). A page saying “Test print” should "
                  "come out now.") % {"name": printer.name, "address": printer.display_address},
            )  # fmt: skip
        else:
            messages.error(request, job.error)
        return redirect("admin:sendcloud_printer_change", printer.pk)


@admin.register(PackingStation)
class PackingStationAdmin(CompanyScopedAdmin):
    list_display = ["name", "warehouse", "label_printer", "document_printer", "is_active"]
    list_filter = ["warehouse", "is_active"]
    search_fields = ["name"]
    fields = ["warehouse", "name", "label_printer", "document_printer", "is_active"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("label_printer", "document_printer"):
            field.empty_label = _("– none: the browser's print dialog –")
        return field

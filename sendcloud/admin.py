"""Admin pages of the integration: its logs, and the Sendcloud parts of back-office forms.

Webhook events and API calls are read-only logs. The operator sees every company's (including
webhook requests for unknown URLs, kept for inspection); a company user only their own.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Prefetch, Subquery
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from backoffice.companies.roles import VIEW_SENDCLOUD
from backoffice.inventory.admin import WarehouseAdmin
from backoffice.inventory.models import Warehouse
from backoffice.sales.admin import DeliveryOrderAdmin, SalesOrderAdmin, ShippingMethodAdmin
from backoffice.sales.models import DeliveryOrder, SalesOrder, ShippingMethod
from backoffice.scoping import company_of, is_operator
from sendcloud import (
    printing_admin,  # noqa: F401  (registers Drucker and Packplätze)
    selectors,
)
from sendcloud.forms.shipping_choice import (
    DeliveryOrderOptionAdminMixin,
    SalesOrderOptionAdminMixin,
)
from sendcloud.label_admin import DeliveryOrderLabelsMixin
from sendcloud.models import (
    ApiCall,
    ChoiceStrategy,
    Integration,
    OrderPush,
    Shipment,
    ShippingMethodOption,
    WarehouseSenderAddress,
    WebhookEvent,
)
from sendcloud.services.warehouse_addresses import (
    mapping_problems,
    warehouse_sender_addresses_save,
)


class CompanyLogAdmin(admin.ModelAdmin):
    """A read-only log of the integration: the operator sees every company's rows, a company
    user with view_sendcloud only their own; nobody but the operator deletes a row."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if is_operator(request.user):
            return rows
        return rows.filter(company_id_hint=company_of(request).pk)

    def _may_read(self, request):
        if is_operator(request.user):
            return True
        return getattr(request.user, "company", None) is not None and request.user.has_perm(
            VIEW_SENDCLOUD
        )

    def has_module_permission(self, request):
        return self._may_read(request)

    def has_view_permission(self, request, obj=None):
        if obj is not None and not is_operator(request.user):
            company = getattr(request.user, "company", None)
            if company is None or obj.company_id_hint != company.pk:
                return False
        return self._may_read(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_operator(request.user)


@admin.register(WebhookEvent)
class WebhookEventAdmin(CompanyLogAdmin):
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

    def get_list_display(self, request):
        if is_operator(request.user):
            return self.list_display
        # Requests to unknown URLs (raw webhook requests) are the operator's alone.
        return [name for name in self.list_display if name not in ("remote_addr", "token_hint")]

    def get_exclude(self, request, obj=None):
        if is_operator(request.user):
            return self.exclude
        return [*self.exclude, "headers", "remote_addr", "token_hint"]


@admin.register(ApiCall)
class ApiCallAdmin(CompanyLogAdmin):
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


class VerboseUniqueInlineFormSet(BaseInlineFormSet):
    """Django names a duplicated column by its field name ("integration"); say its label."""

    def get_unique_error_message(self, unique_check):
        names = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check]
        return super().get_unique_error_message(names)


class MirroredChoiceInline(admin.TabularInline):
    """An inline that picks an integration and one of its active mirrored objects."""

    extra = 0
    formset = VerboseUniqueInlineFormSet
    mirrored_field = ""  # the foreign key to a mirrored Sendcloud object

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        company = company_of(request)
        if db_field.name == "integration":
            kwargs["queryset"] = Integration.objects.filter(company=company)
        elif db_field.name == self.mirrored_field:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                integration__company=company, archived_at__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WarehouseSenderAddressInline(MirroredChoiceInline):
    """The Lager konfigurieren mapping, editable on the warehouse's own form."""

    model = WarehouseSenderAddress
    form = WarehouseSenderAddressForm
    mirrored_field = "sender_address"
    verbose_name = _("Sendcloud sender address")
    verbose_name_plural = _("Sendcloud sender addresses")


class WarehouseWithSenderAdmin(WarehouseAdmin):
    inlines = [*WarehouseAdmin.inlines, WarehouseSenderAddressInline]

    def save_formset(self, request, form, formset, change):
        """The inline's rows are saved by the same service as Lager konfigurieren."""
        if formset.model is not WarehouseSenderAddress:
            return super().save_formset(request, form, formset, change)
        choices: dict[int, int | None] = {}  # integration id → sender address id
        for row in formset.forms:
            data = getattr(row, "cleaned_data", None) or {}
            new = None if row in formset.deleted_forms else data.get("integration")
            old = row.initial.get("integration") if row.instance.pk else None
            if old and (new is None or new.pk != old):
                choices.setdefault(old, None)  # the old integration loses this warehouse
            if new is not None:
                choices[new.pk] = data["sender_address"].pk
        integrations = Integration.objects.in_bulk(list(choices))
        for pk, address_id in choices.items():
            warehouse_sender_addresses_save(integrations[pk], {form.instance.pk: address_id})
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


admin.site.unregister(Warehouse)
admin.site.register(Warehouse, WarehouseWithSenderAdmin)


class DeliveryOrderWithSendcloudAdmin(
    DeliveryOrderOptionAdminMixin, DeliveryOrderLabelsMixin, DeliveryOrderAdmin
):
    """Delivery orders show where they stand at Sendcloud, with a link to their timeline."""

    list_display = [*DeliveryOrderAdmin.list_display, "sendcloud_state"]
    actions = [*DeliveryOrderLabelsMixin.actions, *DeliveryOrderAdmin.actions]
    readonly_fields = ["sendcloud_state"]
    fieldsets = [*DeliveryOrderAdmin.fieldsets, ("Sendcloud", {"fields": ["sendcloud_state"]})]

    def get_queryset(self, request):
        labelled = Shipment.objects.filter(state__in=Shipment.BLOCKING).order_by("-created_at")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "sendcloud_pushes",
                Prefetch("sendcloud_shipments", queryset=labelled, to_attr="sendcloud_labelled"),
            )
        )

    @admin.display(description=_("Sendcloud"))
    def sendcloud_state(self, obj):
        if not obj.pk:
            return "–"
        pushes = list(obj.sendcloud_pushes.all())
        push = pushes[0] if pushes else None
        # A label reaches Sendcloud without the order push: the order is there as a shipment,
        # whatever a queued, failed or missing push says (the label column shows its status).
        labelled = getattr(obj, "sendcloud_labelled", None)
        if labelled is None:
            labelled = list(obj.sendcloud_shipments.filter(state__in=Shipment.BLOCKING)[:1])
        if labelled and (push is None or push.state != OrderPush.State.PUSHED):
            text = _("sent with its label")
        elif push is None:
            text = _("not pushed")
        else:
            text = push.get_state_display()
            if push.state == OrderPush.State.PUSHED and push.pushed_at:
                text = _("pushed at %(when)s") % {
                    "when": date_format(localtime(push.pushed_at), "SHORT_DATETIME_FORMAT")
                }
            elif push.problems:
                text = f"{text}: {push.problems[0]}"
        url = reverse("sendcloud:delivery-timeline", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, text)

    def save_related(self, request, form, formsets, change):
        """After saving (lines included), say right there what Sendcloud would refuse."""
        super().save_related(request, form, formsets, change)
        problems = selectors.delivery_order_sendcloud_problems(form.instance)
        if problems:
            messages.warning(
                request,
                _("Sendcloud would refuse delivery order %(number)s: %(problems)s")
                % {"number": form.instance.number, "problems": " ".join(problems)},
            )


class ShippingMethodOptionForm(forms.ModelForm):
    class Meta:
        model = ShippingMethodOption
        fields = ["integration", "strategy", "shipping_option", "strategy_carrier"]

    def clean(self):
        data = super().clean()
        strategy, option = data.get("strategy"), data.get("shipping_option")
        if strategy == ChoiceStrategy.FIXED and option is None:
            self.add_error(
                "shipping_option",
                _("Choose the Sendcloud option, or let it be chosen automatically."),
            )
        if strategy == ChoiceStrategy.CHEAPEST_OF_CARRIER and not data.get("strategy_carrier"):
            self.add_error(
                "strategy_carrier", _("Name the carrier whose cheapest fitting option is used.")
            )
        if strategy != ChoiceStrategy.FIXED:
            data["shipping_option"] = None
        return data


class ShippingMethodOptionInline(MirroredChoiceInline):
    """Which Sendcloud shipping option a back-office shipping method uses: a fixed outbound
    option, or the cheapest / fastest fitting one (of one carrier) chosen per order."""

    model = ShippingMethodOption
    form = ShippingMethodOptionForm
    mirrored_field = "shipping_option"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == self.mirrored_field:
            field.queryset = field.queryset.filter(supports_returns=False)  # outbound only
        return field


class ShippingMethodWithOptionAdmin(ShippingMethodAdmin):
    inlines = [*ShippingMethodAdmin.inlines, ShippingMethodOptionInline]
    list_display = [*ShippingMethodAdmin.list_display, "sendcloud_option"]

    def get_queryset(self, request):
        """Each method with its Sendcloud option (the first integration's), in the one query."""
        options = ShippingMethodOption.objects.filter(shipping_method=OuterRef("pk")).order_by(
            "integration__position", "pk"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                sendcloud_option_name=Subquery(options.values("shipping_option__name")[:1]),
                sendcloud_option_code=Subquery(options.values("shipping_option__code")[:1]),
            )
        )

    @admin.display(description=_("Sendcloud option"), ordering="sendcloud_option_name")
    def sendcloud_option(self, obj):
        name = getattr(obj, "sendcloud_option_name", None)
        code = getattr(obj, "sendcloud_option_code", None)
        return name or code or "–"


class SalesOrderWithSendcloudAdmin(SalesOrderOptionAdminMixin, SalesOrderAdmin):
    """Sales orders choose the Sendcloud shipping method their delivery orders inherit."""


admin.site.unregister(DeliveryOrder)
admin.site.register(DeliveryOrder, DeliveryOrderWithSendcloudAdmin)
admin.site.unregister(SalesOrder)
admin.site.register(SalesOrder, SalesOrderWithSendcloudAdmin)
admin.site.unregister(ShippingMethod)
admin.site.register(ShippingMethod, ShippingMethodWithOptionAdmin)

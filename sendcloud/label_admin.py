"""The label parts of the delivery order admin: its Sendcloud label section and bulk actions."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.companies.roles import CREATE_LABELS, VIEW_SENDCLOUD
from backoffice.scoping import company_of
from sendcloud.models import LabelJob, Shipment
from sendcloud.selectors import integration_default
from sendcloud.services.labels import label_job_create
from sendcloud.services.shipping.service_points import delivery_order_service_point
from sendcloud.templatetags.sendcloud_labels import parcel_status
from sendcloud.views.labels import label_section_context


class DeliveryOrderLabelsMixin:
    """Adds "Labels erstellen" / "Labels stornieren" to the list and the label section to the
    change page (links only: the section's actions confirm on their own pages)."""

    change_form_template = "sendcloud/labels_deliveryorder_change_form.html"
    actions = ["labels_create", "labels_cancel"]

    def get_fieldsets(self, request, obj=None):
        """The service point is chosen from the lookup, not typed: its text box becomes the
        chosen point with a link to the lookup."""
        fieldsets = super().get_fieldsets(request, obj)
        return [
            (name, {**options, "fields": [_swap_service_point(f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "service_point"]

    @admin.display(description=gettext_lazy("Service point"))
    def service_point(self, obj):
        if obj is None or not obj.pk:
            return _("Choose it after saving.")
        chosen = delivery_order_service_point(obj) if obj.service_point_id else None
        url = reverse("sendcloud:delivery-service-point", args=[obj.pk])
        if chosen is not None and chosen.point_id == obj.service_point_id:
            text = f"{chosen.name}, {chosen.street} {chosen.house_number}, {chosen.city}"
            if chosen.post_number:
                text += " · " + _("Postnummer %(number)s") % {"number": chosen.post_number}
        else:
            text = obj.service_point_id or _("none")
        return format_html(
            '<span id="service-point-chosen">{}</span> · '
            '<a id="service-point-lookup" href="{}">{}</a>',
            text,
            url,
            _("Look up service points"),
        )

    def has_create_labels_permission(self, request) -> bool:
        return request.user.has_perm(CREATE_LABELS)

    def get_list_display(self, request):
        return [*super().get_list_display(request), "label_column"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sendcloud_shipments__labels")

    @admin.display(description=gettext_lazy("Shipping label"))
    def label_column(self, obj):
        shipments = sorted(obj.sendcloud_shipments.all(), key=lambda s: s.created_at, reverse=True)
        live = [s for s in shipments if s.state in Shipment.BLOCKING]
        # A test label is cancelled at once; the list still names it (as a test label).
        shown = live[0] if live else next((s for s in shipments[:1] if s.test_mode), None)
        if shown is None:
            return "–"
        labels = list(shown.labels.all())
        text = ", ".join(
            f"{label.tracking_number or '…'} ({parcel_status(label)})" for label in labels
        ) or str(shown.get_state_display())
        url = reverse("sendcloud:labels-delivery", args=[obj.pk])
        if shown.test_mode:
            return format_html(
                '<a href="{}">{}</a> <span class="status-badge warn test-label">{}</span>',
                url,
                text,
                _("Test label"),
            )
        return format_html('<a href="{}">{}</a>', url, text)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id and request.user.has_perm(VIEW_SENDCLOUD):
            obj = self.get_object(request, object_id)
            if obj is not None:
                extra_context["label_section"] = label_section_context(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def _label_job(self, request, queryset, kind):
        integration = integration_default(company_of(request))
        if integration is None:
            self.message_user(request, _("No Sendcloud integration is connected."), messages.ERROR)
            return None
        job = label_job_create(
            integration, queryset.order_by("number"), user=request.user, kind=kind
        )
        return redirect("sendcloud:labels-job", pk=job.pk)

    @admin.action(description=gettext_lazy("Create labels"), permissions=["create_labels"])
    def labels_create(self, request, queryset):
        return self._label_job(request, queryset, LabelJob.Kind.CREATE)

    @admin.action(description=gettext_lazy("Cancel labels"), permissions=["create_labels"])
    def labels_cancel(self, request, queryset):
        return self._label_job(request, queryset, LabelJob.Kind.CANCEL)


def _swap_service_point(field):
    if field == "service_point_id":
        return "service_point"
    if isinstance(field, list | tuple):
        return type(field)(_swap_service_point(f) for f in field)
    return field

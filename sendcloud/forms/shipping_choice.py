"""The Sendcloud shipping method on the sales and delivery order forms (admin).

The dropdown offers only the options that ship the order's route (warehouse country →
destination), weight and size, each with its price and delivery days from the synced routes; a
posted option that does not fit is refused with the reason, under the field's name.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.sales.models import ShippingMethod
from backoffice.scoping import company_of
from sendcloud import formatting
from sendcloud.models import WarehouseSenderAddress
from sendcloud.selectors import option_fits, options_offered
from sendcloud.services.shipping.choice import (
    delivery_order_shipping_choice,
    delivery_parcels,
    option_fit_problems,
)
from sendcloud.services.shipping.chosen import (
    company_origin,
    delivery_order_choice_reason,
    delivery_order_option_chosen,
    delivery_order_option_save,
    delivery_order_own_option,
    sales_order_destination,
    sales_order_option,
    sales_order_option_save,
    sales_order_weight_kg,
)
from sendcloud.services.shipping.routes import no_route_text, routes_to

FIELD = "sendcloud_option"


def option_label(option) -> str:
    """Name and carrier, for an option that does not fit (shown so the page says what is
    stored)."""
    carrier = option.carrier_name or option.carrier_code
    return _("%(name)s (%(carrier)s)") % {"name": option.name or option.code, "carrier": carrier}


class ShippingOptionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return option_label(obj)


class OrderOptionForm(forms.ModelForm):
    """Adds the Sendcloud shipping method; `company` is set by the admin (see below)."""

    company = None

    sendcloud_option = ShippingOptionField(
        queryset=None,
        required=False,
        label=gettext_lazy("Sendcloud shipping method"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[FIELD]
        field.queryset = options_offered(self.company)
        context = self.fit_context(self.instance_values())
        current = self.current_option()
        fits = option_fits(self.company, **context)
        choices = [(f.option.pk, f.label()) for f in fits]
        if current is not None and current.pk not in {f.option.pk for f in fits}:
            choices.append((current.pk, option_label(current)))  # saving re-checks it
        field.choices = [("", "---------"), *choices]
        if current is not None:
            self.initial.setdefault(FIELD, current.pk)
        texts = (self.fit_text(context, fits), self.default_text())
        field.help_text = " ".join(text for text in texts if text)

    def clean(self):
        data = super().clean()
        option = data.get(FIELD)
        if option is not None:
            for problem in option_fit_problems(option, **self.fit_context(data)):
                self.add_error(
                    FIELD, _("Sendcloud shipping method: %(problem)s") % {"problem": problem}
                )
        return data

    def instance_values(self) -> dict:
        return {}

    def fit_text(self, context: dict, fits) -> str:
        """Says what the dropdown was narrowed to, or why nothing is offered."""
        country, origin = context["country"], context["origin"]
        if not country:
            return ""
        integrations = {o.integration_id for o in options_offered(self.company)}
        if not any(routes_to(pk, country, origin) for pk in integrations):
            return no_route_text(country, origin)
        weights = [w for w in context["weights"] if w]
        values = {
            "origin": origin or "–",
            "country": country,
            "weight": formatting.weight_kg(sum(weights)) if weights else "",
        }
        if weights:
            return (
                _("Offered: the options that ship from %(origin)s to %(country)s and take "
                  "%(weight)s.") % values
            )  # fmt: skip
        return _("Offered: the options that ship from %(origin)s to %(country)s.") % values

    def fit_context(self, values: dict):
        raise NotImplementedError

    def current_option(self):
        raise NotImplementedError

    def default_text(self) -> str:
        return ""


class SalesOrderOptionForm(OrderOptionForm):
    def instance_values(self):
        return {"customer": self.instance.customer if self.instance.customer_id else None}

    def fit_context(self, values):
        weight = sales_order_weight_kg(self.instance) if self.instance.pk else None
        return {
            "country": sales_order_destination(values.get("customer")),
            "origin": company_origin(self.company),
            "weights": [weight] if weight else [],
        }

    def current_option(self):
        return sales_order_option(self.instance) if self.instance.pk else None

    def default_text(self):
        return _(
            "Empty: each delivery order ships with the Sendcloud option of its shipping method. "
            "Delivery orders of this sales order use this choice unless they choose their own."
        )


class DeliveryOrderOptionForm(OrderOptionForm):
    def instance_values(self):
        delivery = self.instance
        return {
            "country": delivery.country,
            "warehouse": delivery.warehouse if delivery.warehouse_id else None,
            "shipping_method": delivery.shipping_method if delivery.shipping_method_id else None,
        }

    def fit_context(self, values):
        weights, dimensions = delivery_parcels(self.instance) if self.instance.pk else ([], [])
        warehouse = values.get("warehouse")
        method = values.get("shipping_method")
        return {
            "country": str(values.get("country") or ""),
            "origin": self.origin(warehouse),
            "weights": [w for w in weights if w],
            "dimensions": dimensions,
            "service_point": method.uses_service_point if method is not None else None,
        }

    def origin(self, warehouse) -> str:
        """The warehouse's sender country (its mapped sender address), else its own country."""
        if warehouse is None:
            return ""
        sender = (
            WarehouseSenderAddress.objects.filter(
                warehouse=warehouse, integration__company=self.company
            )
            .values_list("sender_address__country", flat=True)
            .first()
        )
        return (sender or str(warehouse.country or "")).upper()

    def current_option(self):
        if not self.instance.pk:
            return None
        return delivery_order_option_chosen(self.instance)

    def default_text(self):
        delivery = self.instance
        reason = delivery_order_choice_reason(delivery) if delivery.pk else ""
        if reason:
            return _("Chosen %(reason)s.") % {"reason": reason}
        if delivery.pk and delivery_order_own_option(delivery) is None:
            inherited = sales_order_option(delivery.sales_order)
            if inherited is not None:
                return _("Chosen on the sales order %(order)s.") % {"order": delivery.sales_order}
        if delivery.pk:
            for integration in {o.integration for o in options_offered(self.company)}:
                choice = delivery_order_shipping_choice(delivery, integration)
                if choice.reason:
                    return _("Empty: the shipping method chooses %(reason)s.") % {
                        "reason": choice.reason
                    }
        return _("Empty: the Sendcloud option mapped to the shipping method.")

    def clean(self):
        data = super().clean()
        method = data.get("shipping_method")
        if data.get(FIELD) is not None and method is not None:
            if method.provider != ShippingMethod.Provider.SENDCLOUD:
                self.add_error(
                    FIELD,
                    _(
                        "Sendcloud shipping method: the shipping method “%(method)s” is not "
                        "shipped with Sendcloud; choose a Sendcloud one or clear this field."
                    )
                    % {"method": method},
                )
        return data


class OrderOptionAdminMixin:
    """Puts the Sendcloud shipping method on an order's admin form and saves it."""

    option_form = OrderOptionForm
    option_save = staticmethod(lambda order, option: None)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = type(
            self.option_form.__name__, (self.option_form,), {"company": company_of(request)}
        )
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("Sendcloud shipping method"), {"fields": [FIELD]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.option_save(obj, form.cleaned_data.get(FIELD))


class SalesOrderOptionAdminMixin(OrderOptionAdminMixin):
    option_form = SalesOrderOptionForm
    option_save = staticmethod(sales_order_option_save)


class DeliveryOrderOptionAdminMixin(OrderOptionAdminMixin):
    """Also links the delivery order to its parcels in Berichte → Lager → Sendcloud → Pakete."""

    option_form = DeliveryOrderOptionForm
    option_save = staticmethod(delivery_order_option_save)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "sendcloud_parcels"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        name, options = fieldsets[-1]
        return [*fieldsets[:-1], (name, {**options, "fields": [FIELD, "sendcloud_parcels"]})]

    @admin.display(description=gettext_lazy("Parcels at Sendcloud"))
    def sendcloud_parcels(self, obj):
        if not obj or not obj.pk:
            return "–"
        url = reverse("sendcloud:report-default", args=["parcels"])
        return format_html(
            '<a id="delivery-parcels" href="{}?delivery={}">{}</a>',
            url,
            obj.pk,
            _("Show in Reports → Warehouse → Sendcloud → Parcels"),
        )

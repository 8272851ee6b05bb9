"""The Sendcloud shipping method on the sales and delivery order forms (admin).

The dropdown offers only the options that fit the order's destination and weight; a posted
option that does not fit is refused with the reason, under the field's name.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.sales.models import ShippingMethod
from backoffice.scoping import company_of
from sendcloud.selectors import options_fitting, options_offered
from sendcloud.services.orders.mapping import delivery_weight_kg
from sendcloud.services.shipping_choice import (
    company_origin,
    delivery_order_option_chosen,
    delivery_order_option_save,
    delivery_order_own_option,
    option_fit_problems,
    option_price,
    sales_order_destination,
    sales_order_option,
    sales_order_option_save,
    sales_order_weight_kg,
)

FIELD = "sendcloud_option"


def option_label(option, country: str = "") -> str:
    """Name, carrier and, where Sendcloud quoted one, the price."""
    carrier = option.carrier_name or option.carrier_code
    price = option_price(option, country)
    if price is None:
        name = option.name or option.code
        return _("%(name)s (%(carrier)s)") % {"name": name, "carrier": carrier}
    return _("%(name)s (%(carrier)s, %(price)s %(currency)s)") % {
        "name": option.name or option.code,
        "carrier": carrier,
        "price": number_format(price[0], 2),
        "currency": price[1],
    }


class ShippingOptionField(forms.ModelChoiceField):
    country = ""

    def label_from_instance(self, obj):
        return option_label(obj, self.country)


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
        country, origin, weight = self.fit_context(self.instance_values())
        field.country = country
        current = self.current_option()
        fitting = options_fitting(self.company, country=country, origin=origin, weight=weight)
        if current is not None and current not in fitting:
            fitting.append(current)  # shown, so the page says what is stored; saving re-checks
        field.choices = [("", "---------"), *((o.pk, option_label(o, country)) for o in fitting)]
        if current is not None:
            self.initial.setdefault(FIELD, current.pk)
        texts = (self.fit_text(country, weight), self.default_text())
        field.help_text = " ".join(text for text in texts if text)

    def clean(self):
        data = super().clean()
        option = data.get(FIELD)
        if option is not None:
            country, origin, weight = self.fit_context(data)
            for problem in option_fit_problems(
                option, country=country, origin=origin, weight=weight
            ):
                self.add_error(
                    FIELD, _("Sendcloud shipping method: %(problem)s") % {"problem": problem}
                )
        return data

    def instance_values(self) -> dict:
        return {}

    @staticmethod
    def fit_text(country: str, weight) -> str:
        """Says what the dropdown was narrowed to."""
        if country and weight:
            return _("Offered: the options that ship to %(country)s and take %(weight)s kg.") % {
                "country": country,
                "weight": number_format(weight, 3),
            }
        if country:
            return _("Offered: the options that ship to %(country)s.") % {"country": country}
        return ""

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
        country = sales_order_destination(values.get("customer"))
        return country, company_origin(self.company), weight

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
        }

    def fit_context(self, values):
        weight = delivery_weight_kg(self.instance) if self.instance.pk else None
        warehouse = values.get("warehouse")
        origin = str(warehouse.country) if warehouse is not None else ""
        return str(values.get("country") or ""), origin, weight

    def current_option(self):
        if not self.instance.pk:
            return None
        return delivery_order_option_chosen(self.instance)

    def default_text(self):
        delivery = self.instance
        if delivery.pk and delivery_order_own_option(delivery) is None:
            inherited = sales_order_option(delivery.sales_order)
            if inherited is not None:
                return _("Chosen on the sales order %(order)s.") % {"order": delivery.sales_order}
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

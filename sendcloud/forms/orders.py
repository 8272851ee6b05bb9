"""Bestellungen abgleichen: the day from which delivery orders are pushed."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sendcloud.services.orders.runs import EARLIEST


class BackfillForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("Orders from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Delivery orders created on or after this day are pushed to Sendcloud."
        ),
    )

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise forms.ValidationError(
                _("The date lies in the future; choose today or an earlier day.")
            )
        if since < EARLIEST:
            raise forms.ValidationError(
                _("“%(field)s” lies too far back; choose %(date)s or a later day.")
                % {
                    "field": self.fields["since"].label,
                    "date": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                }
            )
        return since

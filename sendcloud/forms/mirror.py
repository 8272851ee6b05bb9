"""Mirrored lists (parcels, returns, invoices, …): search and filters."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MirrorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    archived = forms.BooleanField(label=_("Show archived"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    carrier = forms.ChoiceField(label=_("Carrier"), required=False)
    date_from = forms.DateField(
        label=_("Created from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Created until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    paid = forms.ChoiceField(
        label=_("Paid"),
        required=False,
        choices=[("", _("all")), ("yes", _("paid")), ("no", _("not paid"))],
    )

    def __init__(self, *args, filters=(), statuses=(), carriers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *statuses]
        self.fields["carrier"].choices = [("", _("all")), *carriers]
        for name in ("status", "carrier", "date_from", "date_to", "paid"):
            if name not in filters:
                del self.fields[name]

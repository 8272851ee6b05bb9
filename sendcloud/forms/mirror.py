"""Mirrored lists (parcels, returns, invoices, …) and the API call log: search and filters."""

from django import forms
from django.utils.translation import gettext_lazy as _


def date_field(label) -> forms.DateField:
    """An optional day, picked in the browser's date input (sent as YYYY-MM-DD)."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MirrorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    archived = forms.BooleanField(label=_("Show archived"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    carrier = forms.ChoiceField(label=_("Carrier"), required=False)
    date_from = date_field(_("Created from"))
    date_to = date_field(_("Created until"))
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


class ApiCallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        widget=forms.Select(attrs={"translate": "no"}),  # HTTP verbs, not words
        choices=[("", _("all"))]
        + [(m, m) for m in ("GET", "POST", "PUT", "PATCH")]
        + [("DELETE", "DELETE")],
    )
    failed = forms.BooleanField(label=_("Failed calls only"), required=False)
    date_from = date_field(_("From"))
    date_to = date_field(_("Until"))

"""Forms of the Abgleich pages: start a run, edit the schedules, filter the mirrored lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sendcloud.models import ObjectType
from sendcloud.sync.lock import ORDER


def object_type_choices():
    labels = dict(ObjectType.choices)
    return [(str(t), labels[str(t)]) for t in ORDER]


class SyncStartForm(forms.Form):
    object_types = forms.MultipleChoiceField(
        label=_("Objects to sync"),
        choices=object_type_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one object type.")},
    )
    full = forms.BooleanField(
        label=_("Full sync"),
        required=False,
        help_text=_(
            "Read every parcel and return again and archive what is gone from Sendcloud, "
            "instead of only what changed since the last sync."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"object_types": [str(t) for t in ORDER]})
        super().__init__(*args, **kwargs)


class SyncScheduleForm(forms.Form):
    """One row per object type: on/off and the interval in minutes."""

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ObjectType.choices)
        self.rows = []
        for state in states:
            name = state.object_type
            self.fields[f"{name}-enabled"] = forms.BooleanField(
                label=labels.get(name, name), required=False, initial=state.schedule_enabled
            )
            self.fields[f"{name}-minutes"] = forms.IntegerField(
                label=_("every (minutes)"),
                min_value=1,
                max_value=7 * 24 * 60,
                initial=state.interval_minutes,
            )
            self.rows.append((name, labels.get(name, name), state))

    def bound_rows(self):
        for name, label, state in self.rows:
            yield {
                "name": name,
                "label": label,
                "state": state,
                "enabled": self[f"{name}-enabled"],
                "minutes": self[f"{name}-minutes"],
            }

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            name: (data[f"{name}-enabled"], data[f"{name}-minutes"]) for name, _l, _s in self.rows
        }


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

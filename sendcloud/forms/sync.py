"""Abgleich: start a run, edit the schedules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sendcloud.models import ObjectType


class SyncStartForm(forms.Form):
    object_types = forms.MultipleChoiceField(
        label=_("Objects to sync"),
        choices=ObjectType.choices,
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
        kwargs.setdefault("initial", {"object_types": ObjectType.values})
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

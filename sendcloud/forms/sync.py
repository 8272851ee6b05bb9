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


# Intervals as a person thinks of them; the value is in minutes.
INTERVALS = [
    (5, _("every 5 minutes")),
    (15, _("every 15 minutes")),
    (30, _("every 30 minutes")),
    (60, _("hourly")),
    (120, _("every 2 hours")),
    (240, _("every 4 hours")),
    (360, _("every 6 hours")),
    (720, _("every 12 hours")),
    (1440, _("daily")),
    (10080, _("weekly")),
]


def interval_choices(current: int | None) -> list[tuple[int, str]]:
    """The usual intervals, plus the stored one if it is none of them (set elsewhere)."""
    choices = list(INTERVALS)
    if current and current not in dict(INTERVALS):
        choices.append((current, _("every %(minutes)s minutes") % {"minutes": current}))
        choices.sort()
    return choices


class SyncScheduleForm(forms.Form):
    """One row per object type: on/off and how often."""

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ObjectType.choices)
        self.rows = []
        for state in states:
            name = state.object_type
            self.fields[f"{name}-enabled"] = forms.BooleanField(
                label=labels.get(name, name), required=False, initial=state.schedule_enabled
            )
            self.fields[f"{name}-minutes"] = forms.TypedChoiceField(
                label=_("how often"),
                choices=interval_choices(state.interval_minutes),
                coerce=int,
                initial=state.interval_minutes,
                error_messages={
                    "invalid_choice": _("Choose one of the intervals in the list."),
                    "required": _("Choose how often to sync."),
                },
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

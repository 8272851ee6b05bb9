"""Abgleich: start a run, edit the schedules."""

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.system.schedules import every_text, time_of_day
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
INTERVALS = [5, 15, 30, 60, 120, 240, 360, 720, 1440, 10080]
DAY = 1440
# Daily and weekly runs start at a time of day, in quarter hours ("täglich um 03:00").
TIMES_OF_DAY = [time(hour, minute) for hour in range(24) for minute in (0, 15, 30, 45)]


def interval_choices(current: int | None) -> list[tuple[int, str]]:
    """The usual intervals in words, plus the stored one if it is none of them (set elsewhere)."""
    minutes = sorted({*INTERVALS, current} if current else set(INTERVALS))
    return [(value, every_text(value * 60)) for value in minutes]


def time_choices() -> list[tuple[str, str]]:
    """ "–" (counted from the last run), then every quarter hour in the reader's notation."""
    return [("", "–")] + [(f"{at:%H:%M}", time_of_day(at)) for at in TIMES_OF_DAY]


class SyncScheduleForm(forms.Form):
    """One row per object type: on/off, how often, and at what time for daily and weekly."""

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
            self.fields[f"{name}-at"] = forms.ChoiceField(
                label=_("at"),
                choices=time_choices(),
                required=False,
                initial=f"{state.run_at:%H:%M}" if state.run_at else "",
                error_messages={
                    "invalid_choice": _(
                        "Time of day: choose a time from the list (full quarter hours, "
                        "e.g. 03:00) or “–”."
                    ),
                },
            )
            self.rows.append((name, labels.get(name, name), state))

    def clean(self):
        data = super().clean()
        for name, label, _state in self.rows:
            minutes, at = data.get(f"{name}-minutes"), data.get(f"{name}-at")
            if at and minutes and minutes % DAY:
                self.add_error(
                    f"{name}-at",
                    _(
                        "Time of day of %(objects)s: a time only goes with “daily” or "
                        "“weekly”. Choose one of them, or set the time to “–”."
                    )
                    % {"objects": label},
                )
        return data

    def bound_rows(self):
        for name, label, state in self.rows:
            yield {
                "name": name,
                "label": label,
                "state": state,
                "enabled": self[f"{name}-enabled"],
                "minutes": self[f"{name}-minutes"],
                "at": self[f"{name}-at"],
            }

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            name: (
                data[f"{name}-enabled"],
                data[f"{name}-minutes"],
                time.fromisoformat(data[f"{name}-at"]) if data[f"{name}-at"] else None,
            )
            for name, _l, _s in self.rows
        }

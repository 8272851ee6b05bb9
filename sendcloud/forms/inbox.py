"""Webhook inbox: filter the stored events."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sendcloud import vocabulary
from sendcloud.models import WebhookEvent


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("all states")), *WebhookEvent.State.choices],
    )
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("all actions"))] + [
            (a, vocabulary.name(vocabulary.WEBHOOK_ACTION, a)) for a in actions
        ]

"""Setup: link the account (connect page or typed-in keys) and edit the integration's settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sendcloud.models import Integration


class SetupForm(forms.Form):
    shop_name = forms.CharField(
        label=_("Shop name at Sendcloud"),
        max_length=250,
        help_text=_("How this back office appears in your Sendcloud panel."),
    )


class KeysForm(forms.Form):
    shop_name = forms.CharField(label=_("Shop name"), max_length=250)
    public_key = forms.CharField(
        label=_("Public key"),
        max_length=100,
        help_text=_("Sendcloud panel → Settings → Integrations → Sendcloud API → public key."),
    )
    secret_key = forms.CharField(
        label=_("Secret key"),
        max_length=100,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Shown once by Sendcloud; it is stored encrypted and never displayed."),
    )

    def clean_public_key(self):
        value = self.cleaned_data["public_key"].strip()
        if len(value) < 16 or " " in value:
            raise forms.ValidationError(
                _("This does not look like a Sendcloud public key; copy it again from the panel.")
            )
        return value


class IntegrationSettingsForm(forms.Form):
    shop_name = forms.CharField(label=_("Shop name"), max_length=250)
    shop_url = forms.URLField(label=_("Shop URL"), required=False, assume_scheme="https")
    webhook_active = forms.BooleanField(label=_("Send status webhooks"), required=False)
    service_point_enabled = forms.BooleanField(
        label=_("Service points in checkout"), required=False
    )
    service_point_carriers = forms.CharField(
        label=_("Service point carriers"),
        required=False,
        help_text=_("Carrier codes separated by commas, e.g. dhl, dpd, postnl."),
    )

    export_reason = forms.ChoiceField(
        label=_("Export reason for customs"),
        choices=Integration._meta.get_field("export_reason").choices,
        required=False,  # left out: unchanged
        help_text=_("Sent with every shipment outside the EU customs territory (kept here)."),
    )

    def clean_export_reason(self):
        return self.cleaned_data["export_reason"] or None

    test_mode = forms.BooleanField(
        label=_("Test mode for labels"),
        required=False,
        help_text=_(
            "Every label is created at Sendcloud and cancelled right away; each one is marked "
            "“Test label”. Sendcloud charges a label only if it is not cancelled in time (the "
            "carrier's deadline, usually 23:59 on the day it was made); where Sendcloud cannot "
            "cancel at once, the cancellation is requested and watched for up to 14 days. To "
            "test for free, use the option “Unstamped letter” (sendcloud:letter). Only here, "
            "not sent to Sendcloud."
        ),
    )

    def clean_service_point_carriers(self):
        raw = self.cleaned_data["service_point_carriers"]
        return [code.strip().lower() for code in raw.split(",") if code.strip()]

    def clean(self):
        data = super().clean()
        if data.get("service_point_enabled") and not data.get("service_point_carriers"):
            self.add_error(
                "service_point_carriers",
                _("Name at least one carrier to enable service points, or switch them off."),
            )
        return data

    @classmethod
    def initial_for(cls, integration: Integration) -> dict:
        return {
            "shop_name": integration.shop_name,
            "shop_url": integration.shop_url,
            "webhook_active": integration.webhook_active,
            "service_point_enabled": integration.service_point_enabled,
            "service_point_carriers": ", ".join(integration.service_point_carriers),
            "export_reason": integration.export_reason,
            "test_mode": integration.test_mode,
        }

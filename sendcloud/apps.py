from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SendcloudConfig(AppConfig):
    name = "sendcloud"
    verbose_name = _("Sendcloud")

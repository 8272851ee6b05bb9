from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender, **kwargs):
    from .schedules import sendcloud_schedules_ensure

    sendcloud_schedules_ensure()


class SendcloudConfig(AppConfig):
    name = "sendcloud"
    verbose_name = _("Sendcloud")

    def ready(self):
        from . import signals  # noqa: F401  (queues order pushes with delivery order changes)

        post_migrate.connect(_ensure_schedules, sender=self)

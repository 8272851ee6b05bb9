from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SendcloudConfig(AppConfig):
    name = "sendcloud"
    verbose_name = _("Sendcloud")

    def ready(self):
        # Signal registration: these modules import models, which exist only once apps are ready.
        from . import schedules, signals  # noqa: F401  (signals queues order pushes)

        post_migrate.connect(schedules.sendcloud_schedules_ensure, sender=self)

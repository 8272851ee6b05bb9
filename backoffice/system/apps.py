from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender, **kwargs):
    from .services import worker_heartbeat_schedule_ensure

    worker_heartbeat_schedule_ensure()


class SystemConfig(AppConfig):
    name = "backoffice.system"
    label = "system"
    verbose_name = _("System")

    def ready(self):
        post_migrate.connect(_ensure_schedules, sender=self)

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SystemConfig(AppConfig):
    name = "backoffice.system"
    label = "system"
    verbose_name = _("System")

    def ready(self):
        # Signal registration: services imports models, which exist only once apps are ready.
        from . import services

        post_migrate.connect(services.worker_heartbeat_schedule_ensure, sender=self)
        if settings.CELERY_BROKER_URL.startswith(services.SQLITE_BROKER):
            post_migrate.connect(services.broker_purge_schedule_ensure, sender=self)

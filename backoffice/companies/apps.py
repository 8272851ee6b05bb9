from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .roles import roles_sync_after_migrate


class CompaniesConfig(AppConfig):
    name = "backoffice.companies"
    label = "companies"
    verbose_name = _("Companies and users")

    def ready(self):
        post_migrate.connect(roles_sync_after_migrate, sender=self)

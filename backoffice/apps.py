from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    """Django admin, with our site as the default: it is the back office's shell."""

    default_site = "backoffice.admin_site.BackofficeAdminSite"

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401  (registers the configuration checks)

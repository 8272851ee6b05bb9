from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class BackofficeAdminSite(admin.AdminSite):
    """The back office shell: Django admin with our navigation and German first."""

    site_header = _("Back office")
    site_title = _("Back office")
    index_title = _("Overview")
    enable_nav_sidebar = False
    site_url = None

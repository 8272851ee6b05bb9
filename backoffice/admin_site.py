from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class InvalidFilterGuard:
    """A list whose address holds a filter the database cannot answer (a year 0 or 10000, a
    date before 0001-01-01 00:00 in UTC, a number beyond 64 bits) is shown unfiltered with a
    message, as Django does for an unknown lookup (redirect to ?e=1), instead of a 500.

    Django builds such a filter without complaint and fails only when the query is compiled
    (`datetime(0, 1, 1)`, a UTC conversion before year 1, SQLite's 64-bit integers), which
    happens while the list counts its rows, outside Django's own check for bad lookups.
    """

    def get_changelist_instance(self, request):
        try:
            try:
                return super().get_changelist_instance(request)
            except (ValueError, OverflowError) as error:
                raise IncorrectLookupParameters(error) from error
        except IncorrectLookupParameters:
            if ERROR_FLAG not in request.GET:
                messages.error(
                    request,
                    gettext(
                        "A filter in the address could not be applied (for example a date "
                        "outside the years 1 to 9999), so the list shows all entries."
                    ),
                )
            raise


class BackofficeAdminSite(admin.AdminSite):
    """The back office shell: Django admin with our navigation and German first."""

    site_header = _("Back office")
    site_title = _("Back office")
    index_title = _("Overview")
    enable_nav_sidebar = False
    site_url = None

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every list, ours and that of a package (schedules), gets the InvalidFilterGuard."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, InvalidFilterGuard):
            admin_class = type(admin_class.__name__, (InvalidFilterGuard, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice.companies.roles import ROLES


def may_enter(user) -> bool:
    """Who may use the back office: the operator, a user of a company with a role, and (as
    before roles were enough) staff. A role is what a company gives its people, so nobody has
    to tick Django's "Mitarbeiter-Status" as well; a user without a company and a role stays out.
    """
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser or user.is_staff:
        return True
    if not hasattr(user, "_backoffice_role"):  # asked on every page: one query per request
        user._backoffice_role = (
            user.company_id is not None and user.groups.filter(name__in=ROLES).exists()
        )
    return user._backoffice_role


class BackofficeLoginForm(AuthenticationForm):
    """Django's admin login, with the back office's rule instead of "staff only" and without
    its hint to log in with a "Staff-Account", which our users do not know."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_role": _(
            "Your user has no role in a company yet. Ask your company's administrator to give "
            "you one."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not may_enter(user):
            raise ValidationError(self.error_messages["no_role"], code="no_role")


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
    login_form = BackofficeLoginForm

    def has_permission(self, request):
        return may_enter(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every list, ours and that of a package (schedules), gets the InvalidFilterGuard."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, InvalidFilterGuard):
            admin_class = type(admin_class.__name__, (InvalidFilterGuard, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

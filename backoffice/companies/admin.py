"""Companies, users and roles.

Only the installation operator sees companies, groups, schedules and users of every company.
A company administrator (role Verwaltung) manages the users of their own company and gives
them roles, but never makes anyone an operator nor moves a user to another company.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin  # noqa: F401  (registered before we wrap)
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from backoffice.scoping import OperatorOnlyAdmin, company_of, is_operator
from backoffice.system.schedules import crontab_text, interval_text, task_title

from .models import ApiToken, Company, User
from .roles import ROLES


@admin.register(Company)
class CompanyAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class ApiTokenInline(admin.TabularInline):
    """The user's REST API tokens: listed, revocable; made by `manage.py sendcloud_api_token`
    (only the hash is stored, so a secret cannot be shown here)."""

    model = ApiToken
    extra = 0
    can_delete = True
    fields = ["prefix", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "name", "created_at", "last_used_at"]
    verbose_name_plural = _("API tokens (revoke: set “revoked”, or delete)")

    def has_add_permission(self, request, obj=None):
        return False

    # Whoever may see or change a user (the page is already scoped to their company) sees and
    # revokes the user's tokens: no permission of its own for the token model.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("companies.view_user") or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("companies.change_user")

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ApiTokenInline]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Company"), {"fields": ["company"]}),)
    list_display = ["username", "email", "company", "is_staff", "is_superuser"]
    list_filter = ["company", "is_staff", "is_superuser"]
    company_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        # No "Mitarbeiter-Status": in a company the role is what lets a user in (admin_site.py).
        (_("Roles"), {"fields": ("is_active", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_inlines(self, request, obj):
        # A new user has no tokens; the add form stays the plain two steps of Django's.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if is_operator(request.user):
            return users
        # Operators are out of reach even when they belong to the company.
        return users.filter(company=company_of(request), is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if obj is None or is_operator(request.user):
            return super().get_fieldsets(request, obj)
        return self.company_fieldsets

    def get_list_display(self, request):
        if is_operator(request.user):
            return self.list_display
        return ["username", "email", "first_name", "last_name", "is_active"]

    def get_list_filter(self, request):
        if is_operator(request.user):
            return self.list_filter
        return ["is_active"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not is_operator(request.user):
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not is_operator(request.user):
            obj.company = company_of(request)
            obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def _of_own_company(self, request, obj):
        if is_operator(request.user):
            return True
        company = getattr(request.user, "company", None)
        if company is None:
            return False
        return obj is None or (obj.company_id == company.pk and not obj.is_superuser)

    def has_module_permission(self, request):
        return self._of_own_company(request, None) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._of_own_company(request, obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._of_own_company(request, None) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._of_own_company(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False  # nobody locks themselves out
        return self._of_own_company(request, obj) and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not self._of_own_company(request, None):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(OperatorOnlyAdmin, DjangoGroupAdmin):
    """The roles are the same for every company; only the operator may change them."""


class SchedulerPartAdmin:
    """Crontabs, intervals, solar events and clocked times are parts of a schedule: edited from
    the schedule they belong to (its + and pencil buttons), not listed on the home page."""

    def has_module_permission(self, request):
        return False


class PeriodicTaskWithoutInternalsAdmin:
    """The schedule list shows the jobs of the back office, not Celery's own housekeeping, with
    translated titles and timings in words ("jede Minute", "täglich um 03:30") instead of the
    stored English names, crontab strings and "every 60 seconds"."""

    list_display = ["title", "enabled", "timing", "last_run_at"]
    list_display_links = ["title"]
    # The package's form template adds "Translation: <crontab in English>" under the crontab
    # field; the crontab choices already read in words (formfield_for_foreignkey below).
    change_form_template = "admin/change_form.html"
    readonly_fields = ["last_run_at"]

    def get_fieldsets(self, request, obj=None):
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f != "crontab_translation"]},
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    list_filter = ["enabled"]
    date_hierarchy = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(task__in=CELERY_INTERNAL_TASKS)
            .select_related("interval", "crontab", "solar", "clocked")
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Title and breadcrumb name the job as the list does, not as `str(task)` spells it."""
        task = self.get_object(request, object_id) if object_id else None
        if task is not None:
            name = f"{self.title(task)}: {self.timing(task)}"
            extra_context = {**(extra_context or {}), "subtitle": name}
            extra_context["original"] = NamedTask(task, name)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The interval and crontab choices of the form in the same words as the list."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "interval":
            field.label_from_instance = lambda every: interval_text(every.every, every.period)
        elif field is not None and db_field.name == "crontab":
            field.label_from_instance = lambda cron: (
                crontab_text(
                    cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year
                )
                or str(cron)
            )
        return field

    def action_checkbox(self, task):
        """The row's checkbox, labelled with the title and timing in words, not `str(task)`."""
        label = format_html(
            gettext("Select this object for an action - {}"),
            f"{self.title(task)}: {self.timing(task)}",
        )
        checkbox = forms.CheckboxInput(
            {"class": "action-select", "aria-label": label}, lambda value: False
        )
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(task.pk))

    @admin.display(description=_("Job"), ordering="name")
    def title(self, task):
        return task_title(task.task, task.name)

    @admin.display(description=_("Runs"))
    def timing(self, task):
        if task.interval:
            return interval_text(task.interval.every, task.interval.period)
        if task.crontab:
            cron = task.crontab
            words = crontab_text(
                cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year
            )
            return words or str(cron)
        if task.clocked:
            return _("once, on %(when)s") % {
                "when": date_format(localtime(task.clocked.clocked_time), "SHORT_DATETIME_FORMAT")
            }
        return str(task.solar or "–")


class NamedTask:
    """A periodic task that prints as its title and timing in words; otherwise the task."""

    def __init__(self, task, name: str):
        self._task, self._name = task, name

    def __getattr__(self, attribute):
        return getattr(self._task, attribute)

    def __str__(self):
        return self._name


CELERY_INTERNAL_TASKS = ["celery.backend_cleanup"]

for _model in (PeriodicTask, ClockedSchedule, CrontabSchedule, IntervalSchedule, SolarSchedule):
    # Beat schedules hold every company's jobs: the operator's.
    _admin_class = type(admin.site.get_model_admin(_model))
    _hide = PeriodicTaskWithoutInternalsAdmin if _model is PeriodicTask else SchedulerPartAdmin
    admin.site.unregister(_model)
    admin.site.register(
        _model, type(_admin_class.__name__, (_hide, OperatorOnlyAdmin, _admin_class), {})
    )

"""Periodic work of the integration, stored in the beat database so admins can change it."""

from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from backoffice.system.schedules import task_titles_register

DEFAULT_SCHEDULES = [
    # (name, task, seconds between runs or None for the crontab below)
    ("Sendcloud: webhook inbox safety drain", "sendcloud.webhook_inbox_drain", 60),
    ("Sendcloud: deliver queued order pushes", "sendcloud.order_outbox_deliver", 60),
    # Abgleich: starts the object types whose per-integration schedule is due (see
    # sendcloud.services.sync_schedules; intervals are edited on the integration).
    ("Sendcloud: scheduled sync (Abgleich)", "sendcloud.sync_due", 60),
    ("Sendcloud: purge old webhook events and API calls", "sendcloud.logs_purge", None),
    ("Sendcloud: reconcile parcel statuses of labels", "sendcloud.labels_reconcile", 900),
    ("Sendcloud: reconcile open returns", "sendcloud.returns_reconcile", 900),
]

# The stored names above are the beat database's keys; the schedule list shows these instead.
task_titles_register(
    {
        "sendcloud.webhook_inbox_drain": _("Sendcloud: process waiting webhook events"),
        "sendcloud.order_outbox_deliver": _("Sendcloud: deliver queued order pushes"),
        "sendcloud.sync_due": _("Sendcloud: start due scheduled syncs (Abgleich)"),
        "sendcloud.logs_purge": _(
            "Sendcloud: delete old webhook events, API calls and stored REST API answers"
        ),
        "sendcloud.labels_reconcile": _("Sendcloud: check parcel statuses of labels"),
        "sendcloud.returns_reconcile": _("Sendcloud: check the status of open returns"),
    }
)


def sendcloud_schedules_ensure(**signal_kwargs) -> None:
    """Create the default schedules once; later edits in the UI are kept."""
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    for name, task, seconds in DEFAULT_SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if seconds:
            every, _ = IntervalSchedule.objects.get_or_create(
                every=seconds, period=IntervalSchedule.SECONDS
            )
            PeriodicTask.objects.create(name=name, task=task, interval=every)
        else:
            PeriodicTask.objects.create(name=name, task=task, crontab=nightly)

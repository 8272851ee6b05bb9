"""The home page and the menu show what a person works with, each entry named apart."""

import pytest
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def test_operator_home_page_hides_scheduler_internals(client):
    client.force_login(OperatorFactory())

    page = client.get(reverse("admin:index")).content.decode()

    assert "django_celery_beat/periodictask/" in page
    for internal in ("crontabschedule", "solarschedule", "intervalschedule", "clockedschedule"):
        assert f"django_celery_beat/{internal}/" not in page


def test_schedule_list_leaves_out_celery_housekeeping(client):
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    PeriodicTask.objects.create(name="celery.backend_cleanup", task="celery.backend_cleanup",
                                interval=every)  # fmt: skip
    PeriodicTask.objects.create(name="Abgleich", task="sendcloud.sync_due", interval=every)
    client.force_login(OperatorFactory())

    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()

    assert "Abgleich" in page and "backend_cleanup" not in page


def test_the_two_shipping_method_entries_are_named_apart(clerk_client):
    page = clerk_client.get(reverse("admin:index")).content.decode()

    assert "Sendcloud-Versandmethoden" in page and "Eigene Versandarten" in page

"""The home page and the menu show what a person works with, each entry named apart."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from backoffice.system.schedules import crontab_text, interval_text
from backoffice.system.services import worker_heartbeat_schedule_ensure
from sendcloud.schedules import sendcloud_schedules_ensure
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


def test_schedule_list_names_the_sendcloud_jobs_and_their_timing_in_german(client):
    sendcloud_schedules_ensure()
    worker_heartbeat_schedule_ensure()
    client.force_login(OperatorFactory())

    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()

    assert "Sendcloud: fällige geplante Abgleiche starten" in page
    assert (
        "Sendcloud: alte Webhook-Ereignisse, API-Aufrufe und gespeicherte REST-API-Antworten "
        "löschen" in page
    )
    assert "Lebenszeichen des Workers" in page
    assert "jede Minute" in page and "alle 15 Minuten" in page and "täglich um 03:30" in page
    assert "Sekunden" not in page and "sekunden" not in page and "30 3 * * *" not in page
    assert "scheduled sync (Abgleich)" not in page


def test_schedule_wording(settings):
    with translation.override("de"):
        assert interval_text(60, "seconds") == "jede Minute"
        assert interval_text(900, "seconds") == "alle 15 Minuten"
        assert interval_text(2, "hours") == "alle 2 Stunden"
        assert interval_text(45, "seconds") == "alle 45 Sekunden"
        assert crontab_text("30", "3", "*", "*", "*") == "täglich um 03:30"
        assert crontab_text("*/5", "*", "*", "*", "*") is None
    with translation.override("en"):
        assert interval_text(1, "days") == "daily"
        assert crontab_text("30", "3", "*", "*", "*") == "daily at 03:30"


def test_schedule_rows_start_unselected(client):
    sendcloud_schedules_ensure()
    client.force_login(OperatorFactory())

    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()

    assert 'class="action-select"' in page and "checked" not in page


def test_schedule_form_offers_intervals_in_words(client):
    sendcloud_schedules_ensure()
    task = PeriodicTask.objects.get(task="sendcloud.sync_due")
    client.force_login(OperatorFactory())

    page = client.get(
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    ).content.decode()

    assert ">jede Minute</option>" in page and ">täglich um 03:30</option>" in page
    assert "jede 60 sekunden" not in page.lower() and "every 60 seconds" not in page
    assert "<title>Sendcloud: fällige geplante Abgleiche starten: jede Minute" in page


def test_schedule_form_help_is_german_without_the_packages_english_crontab_line(client):
    sendcloud_schedules_ensure()
    task = PeriodicTask.objects.get(task="sendcloud.logs_purge")
    client.force_login(OperatorFactory())

    page = client.get(
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    ).content.decode()

    assert "Translation:" not in page and "-_-" not in page
    assert "Ausschalten, um den Zeitplan anzuhalten." in page
    assert "Uhrzeiten, zu denen die Aufgabe läuft." in page

"""Daily and weekly Abgleich at a time of day: "täglich um 03:00" in Berlin time, due once a day
at or after that time, validated with a German message, shown in words on the Abgleich page."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sendcloud.models import ObjectType, SyncState
from sendcloud.services.sync_schedules import (
    sync_due_dispatch,
    sync_state_next_at,
    sync_states_ensure,
)
from tests.factories import CompanyFactory
from tests.sendcloud.factories import IntegrationFactory

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


def daily_at(at, last, minutes=24 * 60):
    return SyncState(
        object_type="invoices",
        schedule_enabled=True,
        interval_minutes=minutes,
        run_at=at,
        last_scheduled_at=last,
    )


def test_daily_at_three_is_due_at_three_local_time_not_24_hours_after_the_last_run():
    state = daily_at(time(3, 0), last=berlin(2026, 11, 29, 14, 5))

    assert sync_state_next_at(state) == berlin(2026, 11, 30, 3, 0)


def test_daily_at_three_is_not_due_a_minute_before_and_due_from_three_on():
    state = daily_at(time(3, 0), last=berlin(2026, 11, 29, 3, 0, 20))
    due = sync_state_next_at(state)

    assert due == berlin(2026, 11, 30, 3, 0)
    assert not due <= berlin(2026, 11, 30, 2, 59)
    assert due <= berlin(2026, 11, 30, 3, 0) and due <= berlin(2026, 11, 30, 9, 0)


def test_daily_run_late_in_the_day_still_runs_the_next_day_at_three():
    state = daily_at(time(3, 0), last=berlin(2026, 11, 30, 23, 50))

    assert sync_state_next_at(state) == berlin(2026, 12, 1, 3, 0)


def test_a_run_just_after_three_is_not_repeated_the_same_day():
    state = daily_at(time(3, 0), last=berlin(2026, 11, 30, 3, 0))

    assert sync_state_next_at(state) == berlin(2026, 12, 1, 3, 0)


def test_daily_at_three_stays_at_three_across_the_change_to_summer_time():
    state = daily_at(time(3, 0), last=berlin(2026, 3, 28, 3, 0))

    due = sync_state_next_at(state)

    assert due == berlin(2026, 3, 29, 3, 0)
    assert due.astimezone(ZoneInfo("UTC")).hour == 1  # 02:00 UTC the day before


def test_weekly_at_a_time_runs_seven_days_later_at_that_time():
    state = daily_at(time(3, 30), last=berlin(2026, 11, 23, 3, 30, 10), minutes=7 * 24 * 60)

    assert sync_state_next_at(state) == berlin(2026, 11, 30, 3, 30)


def test_daily_without_a_time_still_counts_from_the_last_run():
    state = daily_at(None, last=berlin(2026, 11, 29, 14, 5))

    assert sync_state_next_at(state) == berlin(2026, 11, 30, 14, 5)


@pytest.mark.django_db
def test_dispatcher_starts_a_daily_type_once_at_its_time(monkeypatch):
    monkeypatch.setattr("sendcloud.tasks.sync_run_execute_task.apply_async", lambda *a, **k: None)
    integration = IntegrationFactory(company=CompanyFactory())
    sync_states_ensure(integration)
    yesterday = berlin(2026, 11, 29, 3, 0, 30)
    SyncState.objects.update(last_scheduled_at=yesterday, last_finished_at=yesterday)
    SyncState.objects.exclude(object_type="invoices").update(schedule_enabled=False)
    SyncState.objects.filter(object_type="invoices").update(run_at=time(3, 0))

    assert sync_due_dispatch(berlin(2026, 11, 30, 2, 59)) == []
    started = sync_due_dispatch(berlin(2026, 11, 30, 3, 0, 10))
    assert [run.object_types for run in started] == [["invoices"]]
    started[0].state = "succeeded"
    started[0].save()
    assert sync_due_dispatch(berlin(2026, 11, 30, 3, 1)) == []
    assert sync_due_dispatch(berlin(2026, 11, 30, 23, 59)) == []


def schedule_data(**overrides):
    data = {}
    for name in ObjectType.values:
        data[f"{name}-enabled"] = "on"
        data[f"{name}-minutes"] = "60"
        data[f"{name}-at"] = ""
    data.update(overrides)
    return data


def test_schedules_page_saves_daily_at_three_and_the_sync_page_says_so(
    clerk_client, sandbox_integration
):
    url = reverse("sendcloud:sync-schedules", args=[sandbox_integration.pk])
    page = clerk_client.get(url).content.decode()
    assert '<option value="03:00">03:00</option>' in page
    assert '<option value="03:15">03:15</option>' in page

    response = clerk_client.post(
        url, schedule_data(**{"invoices-minutes": "1440", "invoices-at": "03:00"})
    )

    assert response.status_code == 302
    state = sandbox_integration.sync_states.get(object_type="invoices")
    assert state.run_at == time(3, 0) and state.interval_minutes == 1440
    page = clerk_client.get(reverse("sendcloud:sync", args=[sandbox_integration.pk]))
    summary = page.content.decode()
    assert "täglich um 03:00" in summary
    assert "stündlich" in summary


def test_a_time_with_an_hourly_interval_is_refused_in_german_naming_the_field(
    clerk_client, sandbox_integration
):
    url = reverse("sendcloud:sync-schedules", args=[sandbox_integration.pk])

    response = clerk_client.post(url, schedule_data(**{"parcels-at": "03:00"}))

    assert response.status_code == 200
    assert "Uhrzeit bei Pakete: Eine Uhrzeit gibt es nur bei „täglich“ oder „wöchentlich“" in (
        response.content.decode()
    )
    assert sandbox_integration.sync_states.get(object_type="parcels").run_at is None


def test_a_time_off_the_quarter_hours_is_refused_in_german(clerk_client, sandbox_integration):
    url = reverse("sendcloud:sync-schedules", args=[sandbox_integration.pk])

    response = clerk_client.post(
        url, schedule_data(**{"invoices-minutes": "1440", "invoices-at": "03:07"})
    )

    assert response.status_code == 200
    assert "Uhrzeit: Bitte wählen Sie eine Uhrzeit aus der Liste" in response.content.decode()


def test_the_next_run_is_shown_in_the_readers_date_format(clerk_client, sandbox_integration):
    states = sync_states_ensure(sandbox_integration)
    last = berlin(2026, 11, 29, 3, 0, 30)
    for state in states:
        state.last_scheduled_at = last
        state.run_at = time(3, 0)
        state.interval_minutes = 1440
        state.save()

    page = clerk_client.get(reverse("sendcloud:sync", args=[sandbox_integration.pk]))

    assert "30.11.2026 03:00" in page.content.decode()
    assert "täglich um 03:00" in page.content.decode()


def test_dispatch_tolerates_a_next_time_computed_in_another_zone():
    state = daily_at(time(0, 0), last=datetime(2026, 11, 29, 23, 30, tzinfo=ZoneInfo("UTC")))

    # 23:30 UTC is 00:30 in Berlin on the 30th: the next midnight there is the 1st.
    assert sync_state_next_at(state) == berlin(2026, 12, 1, 0, 0)

"""The per-minute dispatcher with many integrations: bounded queries, one run each, spread
starts, and one dispatch per minute however many beats run."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from sendcloud.models import ObjectType, ScheduleTick, SyncRun, SyncState
from sendcloud.services.sync_schedules import (
    sync_dispatch_offset,
    sync_due_dispatch,
    sync_states_ensure,
)
from tests.factories import CompanyFactory
from tests.sendcloud.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """What the dispatcher hands to the broker: (run id, countdown)."""
    sent = []
    monkeypatch.setattr(
        "sendcloud.tasks.sync_run_execute_task.apply_async",
        lambda args, countdown=0: sent.append((args[0], countdown)),
    )
    monkeypatch.setattr(
        "sendcloud.tasks.sync_run_execute_task.delay", lambda run_id: sent.append((run_id, 0))
    )
    return sent


def integrations(count):
    return [IntegrationFactory(company=CompanyFactory()) for _ in range(count)]


def test_fifty_integrations_with_nothing_due_cost_a_bounded_number_of_queries(
    django_assert_max_num_queries, queued
):
    for integration in integrations(50):
        sync_states_ensure(integration)
    now = timezone.now()
    SyncState.objects.update(last_scheduled_at=now)

    with django_assert_max_num_queries(10):
        assert sync_due_dispatch(now + timedelta(minutes=1)) == []


def test_first_dispatch_of_fifty_new_integrations_creates_their_states_in_bulk(
    django_capture_on_commit_callbacks, queued
):
    companies = integrations(50)

    with django_capture_on_commit_callbacks(execute=True):
        started = sync_due_dispatch()

    assert len(started) == 50
    assert SyncState.objects.count() == 50 * len(ObjectType)
    assert sorted(run_id for run_id, _countdown in queued) == sorted(r.pk for r in started)
    assert {r.integration_id for r in started} == {i.pk for i in companies}


def test_at_most_one_run_per_integration_however_often_it_is_due(
    django_capture_on_commit_callbacks, queued
):
    integrations(3)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(sync_due_dispatch(now)) == 3
    # The runs have not run yet (no worker) when everything is due again: nothing new starts.
    SyncState.objects.update(last_scheduled_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert sync_due_dispatch(now + timedelta(minutes=1)) == []
    assert SyncRun.objects.count() == 3
    assert len(queued) == 3


def test_a_second_beat_in_the_same_minute_starts_nothing(
    django_capture_on_commit_callbacks, queued
):
    integrations(2)
    now = timezone.now().replace(second=5)
    with django_capture_on_commit_callbacks(execute=True):
        first = sync_due_dispatch(now)
    with django_capture_on_commit_callbacks(execute=True):
        second = sync_due_dispatch(now + timedelta(seconds=40))

    assert len(first) == 2 and second == []
    assert SyncRun.objects.count() == 2 and len(queued) == 2
    assert ScheduleTick.objects.get().runs_started == 2


def test_scheduled_runs_are_queued_at_their_integrations_offset_into_the_minute(
    django_capture_on_commit_callbacks, queued
):
    created = integrations(4)
    with django_capture_on_commit_callbacks(execute=True):
        started = sync_due_dispatch()

    offsets = {
        run.integration_id: countdown for run, (_, countdown) in zip(started, queued, strict=True)
    }
    assert offsets == {i.pk: sync_dispatch_offset(i.pk) for i in created}


def test_a_thousand_integrations_are_spread_over_the_minute():
    per_second = Counter(sync_dispatch_offset(pk) for pk in range(1, 1001))

    assert len(per_second) == 60
    assert max(per_second.values()) <= 17  # an even spread is 16.7 per second
    assert sync_dispatch_offset(17) == sync_dispatch_offset(17)

import subprocess
import sys
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction

from sendcloud import jobs

SCRIPT = """
import django
django.setup()
from celery import current_app
from celery.app.task import Task
from sendcloud import jobs

assert jobs.SYNC_DUE not in current_app.tasks, "a web process has not imported the tasks"
sent = []
Task.delay = lambda self, *args: sent.append(self.name)
jobs._send(jobs.SYNC_DUE, ())
print(sent)
"""


def test_a_process_that_never_imported_the_tasks_can_queue_one_by_name():
    """The web process queues through jobs.py without importing tasks.py (only a worker loads
    the task modules at start), so the registry must be loaded on first use."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['sendcloud.sync_due']"


def test_a_kick_the_broker_refuses_leaves_the_drain_to_the_beat_for_a_while(monkeypatch):
    """Each attempt against a broker that is down blocks the saving request for about a second;
    the rows wait in the database, so the process stops trying for a few seconds."""
    clock = [1e9]
    attempts = []

    def broker_down(task_name, args, countdown=0):
        attempts.append(task_name)
        raise OSError("Connection refused")

    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(jobs, "_send", broker_down)
    task = f"tests.drain-{uuid.uuid4().hex}"

    jobs._kick_now(task, 0.5)
    clock[0] += 1.0  # past `every`, within the pause
    jobs._kick_now(task, 0.5)
    assert len(attempts) == 1

    clock[0] += jobs.KICK_PAUSE_AFTER_FAILURE
    jobs._kick_now(task, 0.5)
    assert len(attempts) == 2


def test_kicks_are_sent_at_most_once_per_interval(monkeypatch):
    clock = [1e9]
    sent = []
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(
        jobs, "_send", lambda task_name, args, countdown=0: sent.append((task_name, countdown))
    )
    task = f"tests.drain-{uuid.uuid4().hex}"

    jobs._kick_now(task, 0.5)
    clock[0] += 0.2
    jobs._kick_now(task, 0.5)  # within the window: one drain for its end
    jobs._kick_now(task, 0.5)  # the window's trailing drain is already queued
    clock[0] += 0.3
    jobs._kick_now(task, 0.5)
    assert [name for name, _c in sent] == [task] * 3
    assert [round(c, 6) for _n, c in sent] == [0, 0.3, 0]


@pytest.fixture
def sent(monkeypatch):
    monkeypatch.setattr(jobs, "_next_kick", {})
    monkeypatch.setattr(jobs, "_trailing", {})
    monkeypatch.setattr(jobs, "_paused_until", {})
    with mock.patch.object(jobs, "_send") as send:
        yield send


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_kick_is_sent_at_once_without_commit_hooks(sent):
    with mock.patch.object(transaction, "on_commit") as on_commit:
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)  # within half a second: one delayed drain

    assert sent.call_args_list[0] == mock.call(jobs.WEBHOOK_INBOX_DRAIN, (), 0)
    assert sent.call_count == 2 and 0 < sent.call_args_list[1].args[2] <= 0.5
    on_commit.assert_not_called()


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_kick_waits_for_the_commit_and_is_lost_with_a_rollback(sent):
    with transaction.atomic():
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
        sent.assert_not_called()
    sent.assert_called_once_with(jobs.WEBHOOK_INBOX_DRAIN, (), 0)

    jobs._next_kick.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.kick(jobs.WEBHOOK_INBOX_DRAIN)
        raise RuntimeError
    assert sent.call_count == 1

"""Queue background work by task name.

Views and services hand work to the worker through this module, so nothing below `tasks.py`
imports it: `tasks.py` registers the tasks under these names and stays a thin adapter on top.
"""

import logging
import time

from celery import current_app
from django.db import transaction

WEBHOOK_INBOX_DRAIN = "sendcloud.webhook_inbox_drain"
ORDER_OUTBOX_DELIVER = "sendcloud.order_outbox_deliver"
ORDER_PUSH_RUN = "sendcloud.order_push_run"
SYNC_RUN_EXECUTE = "sendcloud.sync_run_execute"
SYNC_DUE = "sendcloud.sync_due"
LOGS_PURGE = "sendcloud.logs_purge"

# After a kick the broker refused, this process leaves the drain to the beat for a while: each
# attempt against a broker that is down blocks the request for about a second.
KICK_PAUSE_AFTER_FAILURE = 5.0

logger = logging.getLogger(__name__)
_next_kick: dict[str, float] = {}
_paused_until: dict[str, float] = {}
_trailing: dict[str, float] = {}


def tasks_register() -> None:
    """Import the `tasks` modules now. Only a worker does it by itself (autodiscovery is lazy);
    a web process calls this at start (`config.wsgi`), so that its first webhook does not pay
    for the imports (about a quarter of a second of CPU)."""
    current_app.loader.import_default_modules()


def _task(task_name: str):
    """The registered task (a process that never called `tasks_register` does it now)."""
    if task_name not in current_app.tasks:
        tasks_register()
    return current_app.tasks[task_name]


def _send(task_name: str, args: tuple, countdown: float = 0) -> None:
    # Through the registered task (not send_task) so CELERY_TASK_ALWAYS_EAGER still runs inline.
    # The queue comes from CELERY_TASK_ROUTES (settings): each kind of work has its own.
    task = _task(task_name)
    if countdown:
        task.apply_async(args, countdown=countdown)
    else:
        task.delay(*args)


def enqueue(task_name: str, *args) -> None:
    """Queue the task once the surrounding transaction commits (at once outside of one)."""
    transaction.on_commit(lambda: _send(task_name, args))


def enqueue_in(task_name: str, seconds: float, *args) -> None:
    """Like `enqueue`, but the worker starts the task `seconds` later (spreads a burst)."""
    transaction.on_commit(lambda: _send(task_name, args, seconds))


def kick(task_name: str, every: float = 0.5) -> None:
    """Queue a drain task at most once per `every` seconds per process, after commit.

    The work a drain does is stored in the database and a beat schedule runs the same task, so a
    kick lost while the broker is down only delays it.
    """
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _kick_now(task_name, every))
    else:  # what on_commit does outside a transaction, without its bookkeeping (every webhook)
        _kick_now(task_name, every)


def _kick_now(task_name: str, every: float) -> None:
    now = time.monotonic()
    due = _next_kick.get(task_name, 0.0)
    if now < due:
        # The drain queued earlier in this window may finish before this caller's rows are
        # committed; one more, delayed to the window's end, keeps the last event of a burst from
        # waiting for the beat's pass (a minute). Not while paused after a failure.
        if now >= _paused_until.get(task_name, 0.0) and _trailing.get(task_name) != due:
            _trailing[task_name] = due
            _send_or_pause(task_name, due - now)
        return
    _next_kick[task_name] = now + every
    _send_or_pause(task_name, 0)


def _send_or_pause(task_name: str, countdown: float) -> None:
    try:
        _send(task_name, (), countdown)
    except Exception as error:
        _next_kick[task_name] = _paused_until[task_name] = (
            time.monotonic() + KICK_PAUSE_AFTER_FAILURE
        )
        logger.warning("could not queue %s, the beat's pass will: %s", task_name, error)


LABEL_JOB_EXECUTE = "sendcloud.label_job_execute"
LABEL_DOCUMENTS_FETCH = "sendcloud.label_documents_fetch"
LABELS_RECONCILE = "sendcloud.labels_reconcile"
RETURNS_RECONCILE = "sendcloud.returns_reconcile"

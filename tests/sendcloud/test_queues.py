"""Each kind of work goes to its own Celery queue (docs/deploy.md names them)."""

from django.conf import settings

from config.celery import app
from sendcloud import jobs

QUEUES = {
    jobs.WEBHOOK_INBOX_DRAIN: "webhooks",
    jobs.ORDER_OUTBOX_DELIVER: "orders",
    jobs.ORDER_PUSH_RUN: "orders",
    jobs.LABEL_JOB_EXECUTE: "labels",
    jobs.LABEL_DOCUMENTS_FETCH: "labels",
    jobs.LABELS_RECONCILE: "labels",
    jobs.RETURNS_RECONCILE: "labels",
    jobs.SYNC_RUN_EXECUTE: "sync",
    jobs.SYNC_DUE: "default",
    jobs.LOGS_PURGE: "default",
}


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_goes_to_the_queue_of_its_kind_of_work():
    assert {name: queue_of(name) for name in QUEUES} == QUEUES


def test_every_sendcloud_task_is_listed_here():
    app.loader.import_default_modules()
    registered = {name for name in app.tasks if name.startswith("sendcloud.")}
    assert registered == set(QUEUES)


def test_the_make_run_worker_consumes_every_queue():
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    worker = next(line for line in procfile.splitlines() if line.startswith("worker:"))
    consumed = worker.split("--queues=")[1].split()[0].split(",")
    assert sorted(consumed) == sorted(set(QUEUES.values()))

"""Real Celery worker processes for tests, on the configured broker and the test database."""

import os
import subprocess
import sys
import uuid
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from config.celery import app as celery_app


def database_url_of_test_db() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{params['NAME']}"


def _celery(arguments: list[str], environment: dict, log) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), **environment}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *arguments],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE if log is None else log,
        stderr=subprocess.STDOUT,
    )


def worker_start(
    queue: str, index: int = 0, hostname: str | None = None, log=None, **environment
) -> subprocess.Popen:
    """One worker process (solo pool: the process is the job) consuming `queue` (comma list);
    its output goes to `log` (an open file) when given."""
    arguments = [
        "worker",
        "--pool=solo",
        f"--queues={queue}",
        f"--hostname={hostname or f'{queue}-{index}'}@test",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=WARNING",
    ]
    return _celery(arguments, environment, log)


def beat_start(log=None, **environment) -> subprocess.Popen:
    """The beat, reading its schedule from the test database like production's."""
    arguments = ["beat", f"--scheduler={settings.CELERY_BEAT_SCHEDULER}", "--loglevel=INFO"]
    return _celery(arguments, environment, log)


def queues_declare(*names: str) -> None:
    """Create queues on the broker before the workers that share them start. The embedded
    SQLite broker creates a queue by a look then an insert: workers declaring the same new queue
    at once can both insert, and the one that loses dies at start ("Unrecoverable error:
    IntegrityError ... kombu_queue.name"), leaving its queues without a consumer."""
    with celery_app.connection_for_write() as broker:
        channel = broker.default_channel
        for name in names:
            Queue(name, Exchange(name, type="direct"), routing_key=name).declare(channel=channel)


def worker_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@contextmanager
def queue_of_its_own():
    """Send this process's tasks to a queue of its own (never shared with `make run` or another
    test run), whatever the production routes say."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_default_queue, celery_app.conf.task_routes
    # update() (not attribute assignment) makes Celery rebuild its cached router.
    celery_app.conf.update(task_default_queue=queue, task_routes={})
    try:
        yield queue
    finally:
        celery_app.conf.update(task_default_queue=previous[0], task_routes=previous[1])


@contextmanager
def sending_to(broker_url: str):
    """This process queues its tasks on the broker at `broker_url` (e.g. a test's own Redis)."""
    previous = os.environ.get("CELERY_BROKER_URL"), celery_app.conf.broker_url
    _broker_switch(broker_url, broker_url)
    try:
        yield
    finally:
        _broker_switch(*previous)


def _broker_switch(environment: str | None, configured: str) -> None:
    # Celery prefers the environment variable to its configuration.
    if environment is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = environment
    celery_app.conf.update(broker_url=configured)
    # It also caches its connection and producer pools for the first broker it used (kombu
    # keeps one per broker for the process: left open, so switching back finds it usable).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_workers(count: int, **environment):
    """`count` workers on one test queue; `environment` passes settings to them (they read them
    from env vars like every process of the project)."""
    with queue_of_its_own() as queue, ExitStack() as stack:
        queues_declare(queue)
        processes = []
        for index in range(count):
            process = worker_start(queue, index, **environment)
            stack.callback(worker_stop, process)
            processes.append(process)
        yield processes, queue


@contextmanager
def celery_worker(**environment):
    """One worker on a test queue of its own."""
    with celery_workers(1, **environment) as (processes, queue):
        yield processes[0], queue


@contextmanager
def celery_worker_on_own_broker(broker_dir, **environment):
    """One worker on a broker of its own (an SQLite file in `broker_dir`) that also consumes
    the production queues: what a task queues for another kind of work (the webhook drain
    queues the documents fetch on "labels") runs too, and no other worker or `make run` can
    take the messages, nor this one theirs."""
    broker = f"sqla+sqlite:///{broker_dir / 'celery-broker.sqlite3'}"
    production = sorted({route["queue"] for route in settings.CELERY_TASK_ROUTES.values()})
    with sending_to(broker), queue_of_its_own() as queue:
        queues_declare(queue, *production)
        process = worker_start(
            ",".join([queue, *production]), CELERY_BROKER_URL=broker, **environment
        )
        try:
            yield process, queue
        finally:
            worker_stop(process)

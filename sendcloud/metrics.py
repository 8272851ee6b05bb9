"""Prometheus figures of the integration (`/metrics`).

Two kinds, both safe with many gunicorn workers, granian and Celery processes:
- Events counted where they happen (Sendcloud calls, webhooks received and processed, runs
  finished): prometheus_client counters and histograms in multiprocess mode, one file per
  process under PROMETHEUS_MULTIPROC_DIR (settings.py sets it before anything imports
  prometheus_client); the scrape sums every process's files.
- State read from the database at scrape time (outbox backlog and age, webhook inbox, labels
  created and cancelled): `DatabaseCollector`, so every process answers the same figure and
  no process has to own a gauge.
"""

from __future__ import annotations

import os
import re

from django.db.models import Min
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from sendcloud.client import CallRecord
from sendcloud.models import OrderOutbox, Shipment, WebhookEvent
from sendcloud.models.shipments import Label

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30)
WAIT_BUCKETS = (0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60)
LAG_BUCKETS = (0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 21600)
RUN_BUCKETS = (1, 5, 15, 60, 300, 900, 1800, 3600, 7200)

API_CALLS = Counter(
    "sendcloud_api_calls",
    "HTTP attempts to Sendcloud by endpoint and status (status 'error': no answer).",
    ["method", "endpoint", "status"],
)
API_RATE_LIMITED = Counter(
    "sendcloud_api_rate_limited", "Sendcloud answers 429 Too Many Requests.", ["endpoint"]
)
API_RETRIES = Counter(
    "sendcloud_api_retries", "Attempts the client will repeat (after 429, 5xx, no answer).",
    ["endpoint"],
)  # fmt: skip
API_LATENCY = Histogram(
    "sendcloud_api_call_duration_seconds",
    "Time of one HTTP attempt to Sendcloud.",
    ["method", "endpoint"],
    buckets=LATENCY_BUCKETS,
)
LIMITER_WAIT = Histogram(
    "sendcloud_rate_limiter_wait_seconds",
    "Time a request waited for the shared Sendcloud rate budget before going out.",
    buckets=WAIT_BUCKETS,
)
WEBHOOKS_RECEIVED = Counter(
    "sendcloud_webhooks_received", "Webhook requests stored by the intake.", ["action", "status"]
)
WEBHOOKS_PROCESSED = Counter(
    "sendcloud_webhooks_processed", "Webhook events processed by a worker.", ["action", "state"]
)
WEBHOOK_LAG = Histogram(
    "sendcloud_webhook_processing_lag_seconds",
    "From receiving a webhook to having processed it.",
    buckets=LAG_BUCKETS,
)
RUNS_FINISHED = Counter(
    "sendcloud_runs_finished", "Background runs finished (sync, order push, label jobs).",
    ["kind", "state"],
)  # fmt: skip
RUN_DURATION = Histogram(
    "sendcloud_run_duration_seconds", "Duration of finished runs.", ["kind"], buckets=RUN_BUCKETS
)
SYNC_OBJECTS = Counter(
    "sendcloud_sync_objects", "Objects an Abgleich wrote, by object type and outcome.",
    ["object_type", "outcome"],
)  # fmt: skip
PRINT_JOBS = Counter(
    "backoffice_print_jobs", "Documents sent to printers, by kind and result (sent, failed).",
    ["kind", "state"],
)  # fmt: skip

LABEL_MADE_STATES = (
    Shipment.State.LIVE,
    Shipment.State.CANCEL_REQUESTED,
    Shipment.State.CANCELLED,
)

# Ids in paths would give every parcel its own time series.
_ID_SEGMENT = re.compile(r"^(\d+|[0-9a-fA-F-]{16,}|[A-Za-z0-9_-]*\d[A-Za-z0-9_-]{7,})$")


def endpoint_of(path: str) -> str:
    """The path with ids replaced by `{id}`: `/api/v3/parcels/12` → `/api/v3/parcels/{id}`."""
    return "/".join("{id}" if _ID_SEGMENT.match(part) else part for part in path.split("/"))


def print_job_observe(job) -> None:
    """A PrintJob row was written: count it by kind and result."""
    PRINT_JOBS.labels(job.kind, job.state).inc()


def api_call_observe(call: CallRecord) -> None:
    """The client's on_call hook side: every attempt counted, timed, its limiter wait noted."""
    endpoint = endpoint_of(call.path)
    API_CALLS.labels(call.method, endpoint, str(call.status or "error")).inc()
    API_LATENCY.labels(call.method, endpoint).observe(call.duration_ms / 1000)
    LIMITER_WAIT.observe(max(call.limiter_wait_seconds, 0.0))
    if call.status == 429:
        API_RATE_LIMITED.labels(endpoint).inc()
    if call.will_retry:
        API_RETRIES.labels(endpoint).inc()


def webhook_received(action: str, status: int) -> None:
    WEBHOOKS_RECEIVED.labels(action or "unknown", str(status)).inc()


def webhook_processed(event: WebhookEvent) -> None:
    WEBHOOKS_PROCESSED.labels(event.action or "unknown", event.state).inc()
    if event.processed_at and event.received_at:
        lag = (event.processed_at - event.received_at).total_seconds()
        WEBHOOK_LAG.observe(max(lag, 0.0))


def run_finished(run) -> None:
    """A background run (any `Run` model) reached its end state."""
    kind = type(run)._meta.model_name
    RUNS_FINISHED.labels(kind, run.state).inc()
    duration = run.duration
    if duration is not None:
        RUN_DURATION.labels(kind).observe(max(duration.total_seconds(), 0.0))
    for object_type, progress in (getattr(run, "progress", None) or {}).items():
        if not isinstance(progress, dict):
            continue
        for outcome in ("created", "updated", "archived", "failed"):
            count = progress.get(outcome)
            if isinstance(count, int) and count > 0:
                SYNC_OBJECTS.labels(object_type, outcome).inc(count)


class DatabaseCollector:
    """Gauges read from the database at scrape time: the same answer from every process."""

    def collect(self):
        now = timezone.now()
        outbox = OrderOutbox.objects.aggregate(oldest=Min("created_at"))
        yield _gauge(
            "sendcloud_outbox_backlog", "Order changes waiting for delivery to Sendcloud.",
            OrderOutbox.objects.count(),
        )  # fmt: skip
        yield _gauge(
            "sendcloud_outbox_oldest_age_seconds",
            "Age of the oldest undelivered order change (0 when the outbox is empty).",
            _age(now, outbox["oldest"]),
        )
        inbox = WebhookEvent.objects.filter(state=WebhookEvent.State.RECEIVED)
        yield _gauge(
            "sendcloud_webhook_inbox_backlog", "Webhook events stored but not yet processed.",
            inbox.count(),
        )  # fmt: skip
        yield _gauge(
            "sendcloud_webhook_inbox_oldest_age_seconds",
            "Age of the oldest unprocessed webhook event (0 when none waits).",
            _age(now, inbox.aggregate(oldest=Min("received_at"))["oldest"]),
        )
        made = Label.objects.filter(shipment__state__in=LABEL_MADE_STATES)
        created = CounterMetricFamily("sendcloud_labels_created", "Labels Sendcloud made.")
        created.add_metric([], made.count())
        yield created
        cancelled = CounterMetricFamily("sendcloud_labels_cancelled", "Labels cancelled.")
        cancelled.add_metric([], made.filter(shipment__state=Shipment.State.CANCELLED).count())
        yield cancelled


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _age(now, oldest) -> float:
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


def metrics_exposition() -> tuple[bytes, str]:
    """The scrape body (every process's counters plus the database gauges) and its type."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    registry.register(DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST

"""Many companies, many workers: the whole integration on PostgreSQL, Redis and Celery.

    make bench-scale                                   # full scale: 200 x 2,000 x 100
    make bench-scale BENCH_ARGS="--companies 20 --parcels 300 --orders 30"
    make bench-scale BENCH_ARGS="--only drain"          # steps alone: rounds,pressure,drain,idle

One sandbox process (published rate limits on, per account) gets one account per company with
`--parcels` parcels, seeded once. The back office is built once in PostgreSQL (`--companies`
companies, each with a connected integration, a warehouse and `--orders` READY delivery orders
in the outbox) and kept as a template database; each round of 1, 2 and 4 Celery worker
processes (`--workers`; solo pool, on the queues orders, sync, labels and default, with one more
worker on the webhooks queue as docs/deploy.md lays out) starts from a clone of it, its orders
numbered for the round so only its own are counted at the sandbox. (One worker on every queue
does not do: an inbox drain runs until the inbox is empty, and with webhooks arriving all the
time it kept the only worker for minutes.) In a round every integration
starts a full Abgleich of its parcels while the outbox and inbox drains run every 2 s (the beat
does it every minute) and signed webhooks arrive at `--webhook-rate` at gunicorn (`config.wsgi`,
the bare webhook path). The clock starts once the workers answer a ping. Measured: time until
every integration is synced and every order is at the sandbox, requests per account in the
busiest 60 s / 1 s window against the published limits, 429s, duplicate runs, outbox retries,
webhook intake and drain, peak RSS per worker, and how busy the machine was (all processes).

Then four workers on ONE account (`--pressure-parcels`, `--pressure-orders`): its sync and its
pushes, then `--pressure-cancel` orders cancelled in the back office, one DELETE each at
Sendcloud from all four workers at once: the busiest windows against the limits and the 429s.
Then `--drain-events` stored events drained by two workers, and the dispatcher's queries and
time for `--idle` integrations with nothing to do. The machine's background load (other work on
the cores before anything here starts) is printed with the table. Redis db 14 and the databases
`verwaltung_bench` and `verwaltung_bench_seed` are created and dropped here, so tests and
`make run` are never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402
import redis  # noqa: E402
from _bench_util import (  # noqa: E402
    PYTHON,
    django_env,
    free_port,
    machine_busy_seconds,
    machine_info,
    process_cpu_seconds,
    sandbox_serve,
    sandbox_start,
    temp_dir,
)
from _scale_setup import (  # noqa: E402
    DB_NAME,
    accounts_seed,
    companies_setup,
    database_clone,
    drop_databases,
    fresh_database,
    orders_renumber,
    sandbox_orders,
    template_build,
)

DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_SCALE_REDIS", "redis://127.0.0.1:6379/14")
STEPS = ("rounds", "pressure", "drain", "idle")
QUEUES = "webhooks,orders,labels,sync,default"
WORK_QUEUES = "orders,labels,sync,default"  # the rounds' N workers; webhooks have their own
SCRIPT = str(Path(__file__).resolve())
READS_PER_MINUTE, WRITES_PER_MINUTE, WRITES_PER_SECOND = 1000, 100, 15


# -- processes -------------------------------------------------------------------------------------
def serve_sandbox(storage: str) -> None:
    sandbox_serve(storage, rate_limits=True)


def start_sandbox(storage: Path) -> tuple[subprocess.Popen, str]:
    return sandbox_start(SCRIPT, storage)


def process_env(var_dir: Path, sandbox_url: str) -> dict:
    return django_env(
        DATABASE_URL,
        var_dir,
        CELERY_BROKER_URL=REDIS_URL,
        SENDCLOUD_RATE_LIMIT_STORAGE=REDIS_URL,
        SENDCLOUD_BASE_URL=sandbox_url,
    )


def start_workers(
    env: dict, count: int, queues: str = QUEUES, name: str = "bench"
) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                f"--queues={queues}",
                f"--hostname={name}{i}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for i in range(count)
    ]


def peak_rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def stop(processes) -> None:
    for proc in processes:
        proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


# -- webhooks --------------------------------------------------------------------------------------
def status_event(index: int) -> dict:
    return {
        "action": "parcel_status_changed",
        "timestamp": 1_767_225_600_000 + index,
        "parcel": {
            "id": 700_000_000 + index,
            "tracking_number": f"BENCH{index}",
            "status": {"id": 3, "message": "En route to sorting center"},
            "carrier": {"code": "dhl", "name": "DHL"},
        },
    }


def signed(integration, index: int) -> tuple[bytes, dict]:
    body = json.dumps(status_event(index)).encode()
    signature = hmac.new(integration.secret_key.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "Sendcloud-Signature": signature}


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2):
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            httpx.get(f"{base}/sendcloud/webhook/probe/", timeout=2)
            break
        time.sleep(0.2)
    try:
        yield base, proc
    finally:
        stop([proc])


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


class WebhookLoad(threading.Thread):
    """Signed status webhooks for random integrations from a few keep-alive clients."""

    def __init__(self, base: str, integrations, rate: float, threads: int = 4):
        super().__init__(daemon=True)
        self.base, self.integrations, self.threads = base, integrations, threads
        self.pause = threads / rate if rate > 0 else 0  # each thread: rate/threads per second
        self.done = threading.Event()
        self.statuses: Counter = Counter()
        self.sent = 0
        self.wall = 0.0
        self.lock = threading.Lock()

    def run(self):
        if not self.pause:
            return
        began = time.perf_counter()
        workers = [threading.Thread(target=self.post, args=(t,)) for t in range(self.threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.wall = time.perf_counter() - began

    def post(self, thread: int):
        rng = random.Random(thread)
        index = thread * 10_000_000
        with httpx.Client(timeout=30) as client:
            while not self.done.wait(self.pause):
                integration = rng.choice(self.integrations)
                body, headers = signed(integration, index)
                index += 1
                url = f"{self.base}/sendcloud/webhook/{integration.webhook_token}/"
                try:
                    status = client.post(url, content=body, headers=headers).status_code
                except httpx.TransportError:
                    status = "error"
                with self.lock:
                    self.statuses[status] += 1
                    self.sent += 1


# -- one round -------------------------------------------------------------------------------------
def busiest_windows(calls) -> dict:
    """Per integration: the most reads in any 60 s, writes in any 60 s and writes in any 1 s."""
    worst = {"reads_60s": 0, "writes_60s": 0, "writes_1s": 0, "per_account": 0}
    by_integration = defaultdict(list)
    for integration_id, method, at in calls:
        by_integration[integration_id].append((at.timestamp(), method))
    for rows in by_integration.values():
        rows.sort()
        worst["per_account"] = max(worst["per_account"], len(rows))
        for key, writes, span in (
            ("reads_60s", False, 60),
            ("writes_60s", True, 60),
            ("writes_1s", True, 1),
        ):
            window: deque = deque()
            for at, method in rows:
                if (method not in ("GET", "HEAD")) != writes:
                    continue
                window.append(at)
                while window[0] <= at - span:
                    window.popleft()
                worst[key] = max(worst[key], len(window))
    return worst


def workers_ready(count: int, timeout: float = 180) -> float:
    """Wait until `count` workers answer a ping: their start is not what a round measures."""
    from config.celery import app

    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if len(app.control.ping(timeout=1.0)) >= count:
            return time.perf_counter() - began
    sys.exit(f"{count} workers did not answer within {timeout:.0f} s")


class MachineLoad:
    """Cores the whole machine kept busy (all processes, ours and others') since `start`."""

    def __init__(self):
        self.busy, self.wall = machine_busy_seconds(), time.perf_counter()

    def cores(self) -> float:
        return (machine_busy_seconds() - self.busy) / (time.perf_counter() - self.wall)


def run_round(args, workers: int, control: httpx.Client, env: dict, storage: Path) -> dict:
    from sendcloud.models import ApiCall, Integration

    print(f"\n== {workers} worker process(es)", flush=True)
    prefix = f"W{workers}-"
    database_clone()
    orders_renumber(prefix)
    redis.Redis.from_url(REDIS_URL).flushdb()
    ApiCall.objects.all().delete()  # only the round's traffic counts
    integrations = list(Integration.objects.order_by("pk"))
    control.post("/rate-limits", json={"enabled": True}).raise_for_status()  # resets the windows
    with gunicorn(env) as (base, web):
        procs = start_workers(env, workers, WORK_QUEUES)
        hooks = start_workers(env, 1, "webhooks", name="hooks")
        try:
            boot = workers_ready(workers + 1)
            result = _measure(args, integrations, procs, hooks, base, web)
        finally:
            stop(procs + hooks)
    at_sandbox = sandbox_orders(storage, prefix)
    result.update(
        boot_s=boot,
        orders_at_sandbox=at_sandbox["distinct"],
        accounts_with_orders=at_sandbox["accounts"],
    )
    print(json.dumps(result, default=str), flush=True)
    return result


def _measure(args, integrations, procs, hooks, base, web) -> dict:
    from django.db.models import Count

    from config.celery import app
    from sendcloud import jobs
    from sendcloud.models import (
        ApiCall,
        OrderOutbox,
        OrderPush,
        OrderPushEvent,
        SyncRun,
        WebhookEvent,
    )
    from sendcloud.sync import sync_start

    load = WebhookLoad(base, integrations, args.webhook_rate)
    web_cpu = process_cpu_seconds(children(web.pid))
    machine = MachineLoad()
    began = time.perf_counter()
    for integration in integrations:
        sync_start(integration, ["parcels"], trigger=SyncRun.Trigger.MANUAL)
    load.start()
    synced_at = pushed_at = None
    while time.perf_counter() - began < args.time_limit:
        # What the beat does every minute, more often here so the figures are not minutes.
        for task in (jobs.ORDER_OUTBOX_DELIVER, jobs.WEBHOOK_INBOX_DRAIN):
            app.tasks[task].delay()
        time.sleep(2)
        active = SyncRun.objects.active().count()
        if synced_at is None and not active:
            synced_at = time.perf_counter() - began
        if pushed_at is None and not OrderOutbox.objects.exists():
            pushed_at = time.perf_counter() - began
        if synced_at is not None and pushed_at is not None:
            break
    load.done.set()
    load.join()
    web_cpu = process_cpu_seconds(children(web.pid)) - web_cpu
    busy_cores = machine.cores()
    drain_deadline = time.perf_counter() + 120
    waiting = WebhookEvent.objects.filter(state=WebhookEvent.State.RECEIVED)
    while waiting.exists() and time.perf_counter() < drain_deadline:
        app.tasks[jobs.WEBHOOK_INBOX_DRAIN].delay()
        time.sleep(1)
    rss = [peak_rss_mb(p.pid) for p in procs + hooks]
    calls = list(ApiCall.objects.values_list("integration_id", "method", "created_at"))
    runs = SyncRun.objects.values("integration_id").annotate(n=Count("id"))
    processed = WebhookEvent.objects.filter(state=WebhookEvent.State.PROCESSED)
    stamps = list(processed.order_by("processed_at").values_list("processed_at", flat=True))
    drain_span = (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else 0.0
    retries = OrderPushEvent.objects.filter(outcome=OrderPushEvent.Outcome.WAITING)
    return {
        "workers": len(procs),
        "synced_s": synced_at,
        "pushed_s": pushed_at,
        "runs_ok": SyncRun.objects.filter(state=SyncRun.State.SUCCEEDED).count(),
        "run_errors": sorted(
            set(SyncRun.objects.exclude(error="").values_list("error", flat=True))
        )[:3],
        "duplicate_runs": sum(max(r["n"] - 1, 0) for r in runs),
        "parcels": _parcels(),
        "orders_pushed": OrderPush.objects.filter(state=OrderPush.State.PUSHED).count(),
        "outbox_retries": retries.count(),
        "outbox_errors": sorted(set(retries.values_list("message", flat=True)))[:3],
        "requests": len(calls),
        "http_429": ApiCall.objects.filter(status_code=429).count(),
        **busiest_windows(calls),
        "webhooks_sent": load.sent,
        "webhooks_accepted": load.statuses.get(200, 0),
        "intake_per_s": load.statuses.get(200, 0) / load.wall if load.wall else 0.0,
        "web_cpu_ms": 1000 * web_cpu / max(load.sent, 1),
        "drained": len(stamps),
        "drain_per_s": len(stamps) / drain_span if drain_span else 0.0,
        "left_waiting": waiting.count(),
        "rss_mb": max(rss),
        "busy_cores": busy_cores,
    }


def _parcels() -> int:
    """Parcels mirrored from Sendcloud by the round's sync runs (webhooks add unknown ones)."""
    from sendcloud.models import Parcel

    return Parcel.objects.filter(sendcloud_id__lt=700_000_000).count()


# -- four workers on one account ------------------------------------------------------------------
def pressure(args, control: httpx.Client, env: dict, account: dict, workers: int = 4) -> dict:
    """Four workers share ONE account's budget: its parcels synced and its orders pushed, then
    `--pressure-cancel` of them cancelled in the back office, one DELETE each at Sendcloud (the
    outbox hands each worker up to 100 of them, so every worker sends at once)."""
    from backoffice.sales.models import DeliveryOrder
    from config.celery import app
    from sendcloud import jobs
    from sendcloud.models import ApiCall, Integration, OrderOutbox, OrderPush, SyncRun
    from sendcloud.sync import sync_start

    print(
        f"\n== {workers} workers, one account: {args.pressure_parcels} parcels, "
        f"{args.pressure_orders} orders, {args.pressure_cancel} cancelled",
        flush=True,
    )
    fresh_database()
    redis.Redis.from_url(REDIS_URL).flushdb()
    companies_setup([account], args.pressure_orders)
    ApiCall.objects.all().delete()
    control.post("/rate-limits", json={"enabled": True}).raise_for_status()
    integration = Integration.objects.get()
    procs = start_workers(env, workers)
    try:
        workers_ready(workers)

        def until_empty(limit: float) -> float | None:
            began = time.perf_counter()
            while time.perf_counter() - began < limit:
                app.tasks[jobs.ORDER_OUTBOX_DELIVER].delay()
                time.sleep(1)
                if not OrderOutbox.objects.exists() and not SyncRun.objects.active().exists():
                    return time.perf_counter() - began
            return None

        sync_start(integration, ["parcels"], trigger=SyncRun.Trigger.MANUAL)
        pushed_s = until_empty(args.time_limit)
        first_delete = ApiCall.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cancelled = DeliveryOrder.objects.order_by("pk")[: args.pressure_cancel]
        for delivery in cancelled:  # the back office's own path: save → signal → outbox
            delivery.state = DeliveryOrder.State.CANCELLED
            delivery.save(update_fields=["state"])
        cancel_s = until_empty(args.time_limit)
        rss = max(peak_rss_mb(p.pid) for p in procs)
    finally:
        stop(procs)
    calls = list(ApiCall.objects.values_list("integration_id", "method", "created_at"))
    deletes = ApiCall.objects.filter(pk__gt=first_delete, method="DELETE")
    writes = sorted(at for _i, method, at in calls if method not in ("GET", "HEAD"))
    row = {
        "workers": workers,
        "pushed_s": pushed_s,
        "cancel_s": cancel_s,
        "sync": SyncRun.objects.values_list("state", flat=True).first(),
        "pushed": OrderPush.objects.exclude(sendcloud_order_id=None).count(),
        "removed": OrderPush.objects.filter(state=OrderPush.State.REMOVED).count(),
        "deletes": deletes.count(),
        "requests": len(calls),
        "reads": sum(1 for _i, method, _at in calls if method in ("GET", "HEAD")),
        "writes": len(writes),
        "http_429": ApiCall.objects.filter(status_code=429).count(),
        "writes_span_s": (writes[-1] - writes[0]).total_seconds() if writes else 0.0,
        "bound_s": sliding_window_bound(len(writes)),
        "rss_mb": rss,
        **busiest_windows(calls),
    }
    print(json.dumps(row, default=str), flush=True)
    return row


def sliding_window_bound(writes: int) -> float:
    """Seconds from the first to the last of `writes` back-to-back writes that the published
    limits allow at best (write k waits until write k-15 is 1 s old and write k-100 60 s)."""
    times: list[float] = []
    for k in range(writes):
        second = times[k - WRITES_PER_SECOND] + 1 if k >= WRITES_PER_SECOND else 0.0
        minute = times[k - WRITES_PER_MINUTE] + 60 if k >= WRITES_PER_MINUTE else 0.0
        times.append(max(second, minute))
    return times[-1] if times else 0.0


# -- the inbox drain on its own, and the idle dispatcher -------------------------------------------
def drain_rate(args, env: dict, workers: int = 2) -> dict:
    from backoffice.companies.models import Company
    from config.celery import app
    from sendcloud import jobs
    from sendcloud.models import Integration, WebhookEvent

    print(f"\n== inbox drain: {args.drain_events} events, {workers} workers", flush=True)
    fresh_database()
    redis.Redis.from_url(REDIS_URL).flushdb()
    integrations = []
    for n in range(20):
        company = Company.objects.create(name=f"Drain {n} GmbH")
        integration = Integration(
            company=company, shop_name="Drain", state=Integration.State.CONNECTED,
            public_key=f"drain-{n}", sendcloud_id=5000 + n,
        )  # fmt: skip
        integration.secret_key = f"drain-secret-{n}"
        integration.save()
        integrations.append(integration)
    events = []
    for index in range(args.drain_events):
        integration = integrations[index % len(integrations)]
        body, _headers = signed(integration, index)
        events.append(
            WebhookEvent(
                integration=integration,
                raw_body=body,
                action="parcel_status_changed",
                body_sha256=hashlib.sha256(body).hexdigest(),
                signature=WebhookEvent.Signature.VALID,
            )  # fmt: skip
        )
    WebhookEvent.objects.bulk_create(events, batch_size=2000)
    procs = start_workers(env, workers, queues="webhooks")
    try:
        time.sleep(8)  # workers up before the clock starts
        waiting = WebhookEvent.objects.filter(state=WebhookEvent.State.RECEIVED)
        began = time.perf_counter()
        for _ in range(workers):
            app.tasks[jobs.WEBHOOK_INBOX_DRAIN].delay()
        while waiting.exists() and time.perf_counter() - began < 600:
            time.sleep(0.2)
        wall = time.perf_counter() - began
    finally:
        stop(procs)
    done = WebhookEvent.objects.filter(state=WebhookEvent.State.PROCESSED).count()
    row = {"events": done, "wall_s": wall, "per_s": done / wall}
    print(json.dumps(row), flush=True)
    return row


def idle_dispatch(args) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from backoffice.companies.models import Company
    from sendcloud.models import Integration, SyncState
    from sendcloud.services.sync_schedules import sync_due_dispatch, sync_states_ensure

    print(f"\n== dispatcher: {args.idle} integrations with nothing to do", flush=True)
    fresh_database()
    for n in range(args.idle):
        company = Company.objects.create(name=f"Idle {n} GmbH")
        integration = Integration(
            company=company, shop_name="Idle", state=Integration.State.CONNECTED,
            public_key=f"idle-{n}", sendcloud_id=10_000 + n,
        )  # fmt: skip
        integration.secret_key = f"idle-secret-{n}"
        integration.save()
        sync_states_ensure(integration)
    now = timezone.now()
    SyncState.objects.update(last_scheduled_at=now)
    minutes = []
    for minute in range(1, 6):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            started = sync_due_dispatch(now + timedelta(minutes=minute))
            minutes.append((time.perf_counter() - began, len(queries), len(started)))
    row = {
        "integrations": args.idle,
        "queries": max(q for _t, q, _s in minutes),
        "ms": 1000 * max(t for t, _q, _s in minutes),
        "started": sum(s for _t, _q, s in minutes),
    }
    print(json.dumps(row), flush=True)
    return row


# -- report ----------------------------------------------------------------------------------------
ROWS = [
    ("workers ready after start (s)", "boot_s", "{:.1f}"),
    ("all synced (s)", "synced_s", "{:.1f}"),
    ("all orders pushed (s)", "pushed_s", "{:.1f}"),
    ("sync runs succeeded", "runs_ok", "{:d}"),
    ("parcels mirrored", "parcels", "{:d}"),
    ("duplicate runs", "duplicate_runs", "{:d}"),
    ("orders pushed / at sandbox", None, None),
    ("outbox rows postponed (retried)", "outbox_retries", "{:d}"),
    ("requests to Sendcloud", "requests", "{:d}"),
    ("max requests of one account", "per_account", "{:d}"),
    ("429 answers", "http_429", "{:d}"),
    (f"max reads/60s per acct (<= {READS_PER_MINUTE})", "reads_60s", "{:d}"),
    (f"max writes/60s per acct (<= {WRITES_PER_MINUTE})", "writes_60s", "{:d}"),
    (f"max writes/1s per acct (<= {WRITES_PER_SECOND})", "writes_1s", "{:d}"),
    ("webhooks accepted / sent", None, None),
    ("webhook intake /s", "intake_per_s", "{:.0f}"),
    ("gunicorn CPU ms/webhook", "web_cpu_ms", "{:.2f}"),
    ("webhooks drained /s", "drain_per_s", "{:.0f}"),
    ("webhooks left waiting", "left_waiting", "{:d}"),
    ("peak RSS per worker (MB)", "rss_mb", "{:.0f}"),
    ("machine busy, all processes (cores)", "busy_cores", "{:.2f}"),
]


def _cell(r: dict, label: str, key: str | None, fmt: str | None) -> str:
    if label.startswith("orders pushed"):
        return f"{r['orders_pushed']}/{r['orders_at_sandbox']}"
    if label.startswith("webhooks accepted"):
        return f"{r['webhooks_accepted']}/{r['webhooks_sent']}"
    return "timeout" if r[key] is None else fmt.format(r[key])


def report(args, setup, rounds, press, drain, idle) -> None:
    print(
        f"\nscale: {args.companies} companies x {args.parcels} parcels, {args.orders} ready "
        f"delivery orders each; webhooks {args.webhook_rate:g}/s offered during the rounds; "
        f"sandbox limits on; PostgreSQL {DB_NAME}, Redis {REDIS_URL}"
    )
    if rounds:
        print(
            f"setup, once: sandbox accounts {setup['seed_s']:.0f} s, back office (template "
            f"database) {setup['template_s']:.0f} s; each round starts from a clone of it"
        )
        head = "workers (orders, sync, labels)".ljust(38)
        head += "".join(str(r["workers"]).rjust(12) for r in rounds)
        print("\n" + head)
        for label, key, fmt in ROWS:
            print(label.ljust(38) + "".join(_cell(r, label, key, fmt).rjust(12) for r in rounds))
        print(
            "(beside them, in every round, 1 worker for the webhooks queue: a worker on every "
            "queue spends minutes in one inbox drain while webhooks keep coming)"
        )
        print(
            "(windows counted on the ApiCall rows, stamped when an answer is logged; the sandbox "
            "counts arrivals, and its 429s are the verdict)"
        )
    if press:
        cancel = "timeout" if press["cancel_s"] is None else f"{press['cancel_s']:.1f} s"
        pushed = "timeout" if press["pushed_s"] is None else f"{press['pushed_s']:.1f} s"
        print(
            f"\n{press['workers']} workers on ONE account ({args.pressure_parcels} parcels, "
            f"{args.pressure_orders} orders, {args.pressure_cancel} cancelled): sync "
            f"{press['sync']}, orders pushed {press['pushed']} in {pushed}; "
            f"{press['deletes']} DELETEs in {cancel}; {press['requests']} requests "
            f"({press['reads']} reads, {press['writes']} writes), {press['http_429']} x 429; "
            f"first to last write {press['writes_span_s']:.1f} s (the published limits allow "
            f"{press['writes']} writes in >= {press['bound_s']:.1f} s); busiest windows: reads/60s "
            f"{press['reads_60s']} (<= {READS_PER_MINUTE}), writes/60s {press['writes_60s']} "
            f"(<= {WRITES_PER_MINUTE}), writes/1s {press['writes_1s']} (<= {WRITES_PER_SECOND})"
        )
    if drain:
        print(
            f"\ninbox drain, 2 workers, PostgreSQL: {drain['events']} events in "
            f"{drain['wall_s']:.1f} s = {drain['per_s']:.0f} events/s (goal >= 1000)"
        )
    if idle:
        print(
            f"dispatcher, {idle['integrations']} integrations with nothing due: "
            f"{idle['queries']} queries, {idle['ms']:.0f} ms per minute "
            f"(runs started: {idle['started']})"
        )
    print(
        f"\nmachine: {setup['background']:.2f} of {os.cpu_count()} cores busy with other work "
        f"before the run (5 s sample); load average at the end {_loadavg()}"
    )
    for key, value in machine_info().items():
        print(f"{key}: {value}")


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def background_cores(seconds: float = 5.0) -> float:
    machine = MachineLoad()
    time.sleep(seconds)
    return machine.cores()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "sandbox":
        serve_sandbox(sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--parcels", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--webhook-rate", type=float, default=50, help="webhooks/s during rounds")
    parser.add_argument("--pressure-parcels", type=int, default=4000)
    parser.add_argument("--pressure-orders", type=int, default=400, help="0: skip that step")
    parser.add_argument("--pressure-cancel", type=int, default=400)
    parser.add_argument("--drain-events", type=int, default=10_000)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds per round")
    parser.add_argument(
        "--only", default=",".join(STEPS), help=f"steps to run, comma-separated: {','.join(STEPS)}"
    )
    args = parser.parse_args()
    steps = {step.strip() for step in args.only.split(",") if step.strip()}
    if not steps <= set(STEPS):
        parser.error(f"--only takes steps of {', '.join(STEPS)}")
    setup = {"background": background_cores()}
    with temp_dir("bench-scale-") as var_dir:
        storage = var_dir / "sandbox.sqlite3"
        sandbox, sandbox_url = start_sandbox(storage)
        env = process_env(var_dir, sandbox_url)
        os.environ.update(env)
        import django

        django.setup()
        import sendcloud.tasks  # noqa: F401 (registers the tasks this process queues)

        control = httpx.Client(base_url=f"{sandbox_url}/_sandbox", timeout=120)
        control.post("/orders/settings", json={"processing_seconds": 0}).raise_for_status()
        try:
            rounds, press, drain, idle = [], None, None, None
            if "rounds" in steps:
                began = time.perf_counter()
                accounts = accounts_seed(control, args.companies, args.parcels)
                setup["seed_s"] = time.perf_counter() - began
                print(f"sandbox accounts seeded in {setup['seed_s']:.1f} s", flush=True)
                setup["template_s"] = template_build(accounts, args.orders)
                print(f"back office built in {setup['template_s']:.1f} s", flush=True)
                rounds = [
                    run_round(args, int(n), control, env, storage)
                    for n in args.workers.split(",")
                    if n
                ]
            if "pressure" in steps and args.pressure_orders:
                single = accounts_seed(control, 1, args.pressure_parcels, first_seed=10_000)[0]
                press = pressure(args, control, env, single)
            if "drain" in steps and args.drain_events:
                drain = drain_rate(args, env)
            if "idle" in steps and args.idle:
                idle = idle_dispatch(args)
        finally:
            drop_databases()
            redis.Redis.from_url(REDIS_URL).flushdb()
            sandbox.stdin.close()
            sandbox.wait(timeout=30)
        report(args, setup, rounds, press, drain, idle)


if __name__ == "__main__":
    main()

"""Helpers for benchmark scripts: throwaway databases, a gunicorn process, a loopback load test.

Everything here talks to loopback only, and every wait or loop has a count and a time bound.
"""

import contextlib
import json
import os
import platform
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
# The project's venv; a git worktree without its own runs the children on this interpreter.
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def sandbox_serve(storage, *, rate_limits: bool) -> None:
    """Serve a sandbox on a free loopback port until stdin closes (the benchmark's child)."""
    from sandbox.app import create_app
    from sandbox.testing import start_server

    app = create_app(Path(storage), rate_limits=rate_limits)
    base_url, stop = start_server(app, port=0)
    print(json.dumps({"base_url": base_url}), flush=True)
    sys.stdin.read()
    stop()
    app.extensions["sandbox"].close()


def sandbox_start(script: str, storage: Path) -> tuple[subprocess.Popen, str]:
    """Run `script sandbox --storage …` (which calls `sandbox_serve`); its process and URL."""
    proc, ready = sandbox_child(script, storage)
    return proc, ready["base_url"]


def sandbox_child(script: str, storage: Path) -> tuple[subprocess.Popen, dict]:
    """Run `script sandbox --storage …`; its process and the JSON line it printed when ready."""
    proc = subprocess.Popen(
        [PYTHON, script, "sandbox", "--storage", str(storage)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    ready, _w, _x = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline() if ready else ""
    if not line:
        sys.exit("the sandbox did not start")
    return proc, json.loads(line)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_database(backend: str, var_dir: Path):
    """Yield a DATABASE_URL for an empty database that is gone afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{var_dir / 'bench.sqlite3'}"
        return
    import psycopg

    name = f"bench_webhooks_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def temp_dir(prefix: str):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def django_env(database_url: str, var_dir: Path, **extra: str) -> dict:
    """Production-like settings for a child process (DEBUG off, own keys, own VAR_DIR)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        VAR_DIR=str(var_dir),
        DEBUG="0",
        SECRET_KEY="bench-secret-key-not-the-dev-default-6c1f0a9e2b7d4e8a",
        SECRETS_ENCRYPTION_KEY="bench-secrets-encryption-key-3f9b2c",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        LOG_HTTPX_LEVEL="WARNING",  # a figure per run, not a line per Sendcloud request
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def django_run(env: dict, code: str, timeout: float = 600) -> dict:
    """Run `code` in a fresh Django process; it must print one JSON object as its last line."""
    script = "import django, json, time\ndjango.setup()\n" + code
    done = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        sys.exit(f"Django snippet failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(env: dict, *args: str, timeout: float = 300) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def process_cpu_seconds(pids) -> float:
    """utime+stime of these processes (0 for ones that are gone)."""
    return sum(process_cpu_split(pids))


def process_cpu_split(pids) -> tuple[float, float]:
    """(user, kernel) CPU seconds of these processes (0 for ones that are gone)."""
    user = system = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            user, system = user + int(fields[11]), system + int(fields[12])
    return user / CLK_TCK, system / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU seconds spent not idle on the whole machine since boot (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / CLK_TCK


@dataclass
class Gunicorn:
    port: int
    proc: subprocess.Popen
    log: Path

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in path.read_text().split()]
        return []


def server_command(server: str, port: int, workers: int, worker_class: str, threads: int):
    """The command line of the web server serving `config.wsgi` on a loopback port."""
    if server == "granian":
        cmd = [GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--workers", str(workers), "--blocking-threads", str(threads)]
        return [*cmd, "--backlog", "2048", "--log-level", "warning", "config.wsgi:application"]
    cmd = [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads)]
    return [*cmd, "--backlog", "2048", "--keep-alive", "30", "--log-level", "warning"]


@contextlib.contextmanager
def gunicorn(
    env: dict,
    *,
    workers: int,
    worker_class: str,
    threads: int,
    probe_path: str,
    server: str = "gunicorn",
):
    """Start the web server (gunicorn or granian) on a free loopback port; yield once it
    answers."""
    port = free_port()
    log = Path(env["VAR_DIR"]) / "gunicorn.log"
    cmd = server_command(server, port, workers, worker_class, threads)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Gunicorn(port, proc, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"{server} did not start:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}{probe_path}", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        # Warm every worker (imports, URL resolver, DB connection) with the harmless GET probe.
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(20 * workers):
                client.get(probe_path, headers={"Connection": "close"})
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class LoadResult:
    wall_s: float
    latencies_ms: list[float] = field(default_factory=list)
    status_counts: dict = field(default_factory=dict)
    unsent: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def post_concurrently(url: str, requests, concurrency: int, time_limit_s: float) -> LoadResult:
    """POST prepared (body, headers) pairs from `concurrency` keep-alive clients in threads."""
    result = LoadResult(wall_s=0.0)
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def client_loop(share):
        latencies, statuses, unsent = [], {}, 0
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        with httpx.Client(timeout=10, limits=limits) as client:
            start.wait()
            for body, headers in share:
                if time.monotonic() > deadline[0]:
                    unsent += 1
                    continue
                began = time.perf_counter()
                try:
                    status = client.post(url, content=body, headers=headers).status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        with lock:
            result.latencies_ms.extend(latencies)
            result.unsent += unsent
            for status, count in statuses.items():
                result.status_counts[status] = result.status_counts.get(status, 0) + count

    threads = [
        threading.Thread(target=client_loop, args=(requests[i::concurrency],), daemon=True)
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + time_limit_s
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=time_limit_s + 30)
    result.wall_s = time.perf_counter() - began
    return result


def machine_info() -> dict:
    import django
    import gunicorn as gunicorn_pkg

    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "?")
    info = {
        "cores (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "gunicorn": gunicorn_pkg.__version__,
        "SQLite": sqlite3.sqlite_version,
    }
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3) as conn:
            row = conn.execute(
                "SELECT current_setting('server_version'), current_setting('synchronous_commit')"
            ).fetchone()
            info["PostgreSQL"] = f"{row[0]} (synchronous_commit={row[1]})"
    with contextlib.suppress(Exception):
        import redis

        info["Redis"] = redis.Redis(host="127.0.0.1", socket_timeout=3).info("server")[
            "redis_version"
        ]
    return info

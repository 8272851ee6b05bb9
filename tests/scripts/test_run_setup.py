"""`make run`: a crashed worker is started again, and every local file follows VAR_DIR.

The tests wait for what the processes report (files they write, their exit), never for a fixed
short time: a loaded machine only makes them slower. The limits of `_wait_for` and `wait` only
keep a broken run from hanging, and every process a test starts is killed at its end, also when
it fails (`spawned`).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEEP_RUNNING = ROOT / "scripts" / "keep_running.sh"
HANG = 300.0  # seconds after which a test gives up instead of hanging forever


def _wait_for(condition, limit=HANG):
    """Poll until `condition()` holds; the limit only keeps a broken run from hanging."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def spawned():
    """Start processes in sessions of their own; kill their process groups (and those of the
    commands they started, by pid) when the test ends, passed or failed."""
    groups: list[int] = []

    def start(args, **options):
        process = subprocess.Popen(args, start_new_session=True, **options)
        groups.append(process.pid)
        return process

    start.also_kill = groups.append
    yield start
    for group in reversed(groups):
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _pids(path: Path) -> list[int]:
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def test_keep_running_starts_a_killed_command_again_and_stops_on_term(tmp_path, spawned):
    starts = tmp_path / "starts"
    command = f"echo $$ >> {starts}; exec sleep 600"
    wrapper = spawned(
        ["sh", str(KEEP_RUNNING), "sh", "-c", command],
        env={**os.environ, "KEEP_RUNNING_DELAY": "0"},
        stderr=subprocess.PIPE,
    )
    assert _wait_for(lambda: len(_pids(starts)) == 1)
    first = _pids(starts)[0]
    spawned.also_kill(first)
    os.kill(first, signal.SIGKILL)  # the worker dies as under kill -9
    assert _wait_for(lambda: len(_pids(starts)) == 2)
    assert wrapper.poll() is None  # honcho sees nothing end
    second = _pids(starts)[1]
    spawned.also_kill(second)
    wrapper.send_signal(signal.SIGTERM)
    assert wrapper.wait(timeout=HANG) == 0
    assert _wait_for(lambda: not _alive(second))
    assert b"starting it again" in wrapper.stderr.read()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_the_procfile_keeps_the_worker_running_and_follows_var_dir():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert "scripts/keep_running.sh" in lines["worker"]
    assert "--schedule=${VAR_DIR:-var}/" in lines["worker"]
    assert "${VAR_DIR:-var}/sandbox.sqlite3" in lines["sandbox"]


def test_make_demo_writes_the_logins_into_var_dir(tmp_path):
    out = subprocess.run(
        ["make", "-n", "demo", f"VAR_DIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"--login-file {tmp_path}/demo-login.txt" in out
    assert f"--operator-login-file {tmp_path}/operator-login.txt" in out
    assert " var/" not in out


def test_the_sandbox_storage_default_follows_var_dir(tmp_path, monkeypatch):
    from sandbox.cli import build_parser

    monkeypatch.delenv("SANDBOX_STORAGE", raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    args = build_parser().parse_args(["serve"])
    assert args.storage == str(tmp_path / "sandbox.sqlite3")


def test_keep_running_stops_a_command_stuck_in_its_warm_shutdown_with_quit(tmp_path, spawned):
    quit_seen = tmp_path / "quit"
    started = tmp_path / "started"
    # Like a Celery worker that does not finish its warm shutdown: TERM is ignored, QUIT ends it
    # (Python, as Celery, installs its handlers even for signals a background job starts without).
    program = (
        "import os, pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"signal.signal(signal.SIGQUIT, lambda *a: (pathlib.Path({str(quit_seen)!r}).touch(),"
        " sys.exit(0)))\n"
        f"pathlib.Path({str(started)!r}).write_text(str(os.getpid()))\n"
        "while True: time.sleep(0.1)\n"
    )
    wrapper = spawned(
        ["sh", str(KEEP_RUNNING), sys.executable, "-c", program],
        # TERM is ignored, so QUIT follows after the 1 s; the wait after QUIT only bounds a
        # command that ignores QUIT too, and is long so a slow machine never reaches the KILL.
        env={
            **os.environ,
            "KEEP_RUNNING_DELAY": "0",
            "KEEP_RUNNING_STOP_WAIT": "1",
            "KEEP_RUNNING_KILL_WAIT": str(int(HANG)),
        },
        stderr=subprocess.PIPE,
    )
    assert _wait_for(lambda: started.exists() and started.read_text())
    spawned.also_kill(int(started.read_text()))
    wrapper.send_signal(signal.SIGINT)  # Ctrl-C
    assert wrapper.wait(timeout=HANG) == 0
    assert quit_seen.exists()
    assert b"cold shutdown" in wrapper.stderr.read()


def test_killing_keep_running_itself_stops_its_command_and_a_guard_takes_over(tmp_path, spawned):
    starts = tmp_path / "starts"
    wrapper = spawned(
        ["sh", str(KEEP_RUNNING), "sh", "-c", f"echo $$ >> {starts}; exec sleep 600"],
        env={**os.environ, "KEEP_RUNNING_DELAY": "0"},
        stderr=subprocess.PIPE,
    )
    assert _wait_for(lambda: len(_pids(starts)) == 1)
    first = _pids(starts)[0]
    spawned.also_kill(first)

    os.kill(wrapper.pid, signal.SIGKILL)  # kill -9 of keep_running.sh itself
    wrapper.wait()

    assert _wait_for(lambda: not _alive(first))  # not orphaned
    assert _wait_for(lambda: len(_pids(starts)) == 2)  # supervised again
    second = _pids(starts)[1]
    spawned.also_kill(second)
    os.kill(second, signal.SIGKILL)  # and it still restarts a worker that dies
    assert _wait_for(lambda: len(_pids(starts)) == 3)
    third = _pids(starts)[2]
    spawned.also_kill(third)

    os.killpg(wrapper.pid, signal.SIGTERM)  # honcho stopping: TERM to the group
    assert _wait_for(lambda: not _alive(third))
    assert b"taking over" in wrapper.stderr.read()


def test_honcho_keeps_web_running_when_keep_running_is_killed(tmp_path, spawned):
    """The Procfile's arrangement under honcho: kill -9 of the worker's keep_running.sh, and the
    worker then dying, leave web running (honcho stops everything once one process ends)."""
    starts, web = tmp_path / "starts", tmp_path / "web"
    (tmp_path / "Procfile").write_text(
        f"web: echo $$ >> {web}; exec sleep 600\n"
        f"worker: sh {KEEP_RUNNING} sh -c 'echo $$ >> {starts}; exec sleep 600'\n"
    )
    honcho = spawned(
        [str(Path(sys.executable).with_name("honcho")), "start"],
        cwd=tmp_path,
        env={**os.environ, "KEEP_RUNNING_DELAY": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert _wait_for(lambda: len(_pids(starts)) == 1 and len(_pids(web)) == 1)
    first, web_pid = _pids(starts)[0], _pids(web)[0]
    spawned.also_kill(first)
    spawned.also_kill(web_pid)
    supervisor = _parent_of(first)
    assert "keep_running" in Path(f"/proc/{supervisor}/cmdline").read_text()

    os.kill(supervisor, signal.SIGKILL)
    assert _wait_for(lambda: len(_pids(starts)) == 2)
    second = _pids(starts)[1]
    spawned.also_kill(second)
    os.kill(second, signal.SIGKILL)
    assert _wait_for(lambda: len(_pids(starts)) == 3)
    spawned.also_kill(_pids(starts)[2])

    assert honcho.poll() is None and _alive(web_pid)
    honcho.send_signal(signal.SIGINT)
    assert honcho.wait(timeout=HANG) in (0, 130)
    assert _wait_for(lambda: not any(_alive(pid) for pid in [*_pids(starts), web_pid]))


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

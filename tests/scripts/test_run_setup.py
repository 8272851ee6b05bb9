"""`make run`: a crashed worker is started again, and every local file follows VAR_DIR."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEEP_RUNNING = ROOT / "scripts" / "keep_running.sh"


def _wait_for(condition, limit=30.0):
    """Poll until `condition()` holds; the limit only keeps a broken run from hanging."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_keep_running_starts_a_killed_command_again_and_stops_on_term(tmp_path):
    starts = tmp_path / "starts"
    command = f"echo $$ >> {starts}; exec sleep 600"
    wrapper = subprocess.Popen(
        ["sh", str(KEEP_RUNNING), "sh", "-c", command],
        env={**os.environ, "KEEP_RUNNING_DELAY": "0"},
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert _wait_for(lambda: starts.exists() and len(starts.read_text().split()) == 1)
        first = int(starts.read_text().split()[0])
        os.kill(first, signal.SIGKILL)  # the worker dies as under kill -9
        assert _wait_for(lambda: len(starts.read_text().split()) == 2)
        assert wrapper.poll() is None  # honcho sees nothing end
        second = int(starts.read_text().split()[1])
        wrapper.send_signal(signal.SIGTERM)
        assert wrapper.wait(timeout=30) == 0
        assert _wait_for(lambda: not _alive(second))
    finally:
        if wrapper.poll() is None:
            os.killpg(wrapper.pid, signal.SIGKILL)
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


def test_keep_running_stops_a_command_stuck_in_its_warm_shutdown_with_quit(tmp_path):
    quit_seen = tmp_path / "quit"
    started = tmp_path / "started"
    # Like a Celery worker that does not finish its warm shutdown: TERM is ignored, QUIT ends it
    # (Python, as Celery, installs its handlers even for signals a background job starts without).
    program = (
        "import pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"signal.signal(signal.SIGQUIT, lambda *a: (pathlib.Path({str(quit_seen)!r}).touch(),"
        " sys.exit(0)))\n"
        f"pathlib.Path({str(started)!r}).touch()\n"
        "while True: time.sleep(0.1)\n"
    )
    wrapper = subprocess.Popen(
        ["sh", str(KEEP_RUNNING), sys.executable, "-c", program],
        env={**os.environ, "KEEP_RUNNING_DELAY": "0", "KEEP_RUNNING_STOP_WAIT": "1"},
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert _wait_for(started.exists)
        wrapper.send_signal(signal.SIGINT)  # Ctrl-C
        assert wrapper.wait(timeout=30) == 0
        assert quit_seen.exists()
    finally:
        if wrapper.poll() is None:
            os.killpg(wrapper.pid, signal.SIGKILL)
    assert b"cold shutdown" in wrapper.stderr.read()

"""`make run` runs without DEBUG, serves its static files itself, and never answers a 500 to a
path that climbs out of the static directories."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
RUN_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "SECRETS_ENCRYPTION_KEY",
    "SECURE_COOKIES",
    "SERVE_STATIC",
    "SILENCED_SYSTEM_CHECKS",
}
ESCAPES = [
    "/static/%2e%2e/config/settings.py",
    "/static/..%2fconfig/settings.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/backoffice/%2e%2e/%2e%2e/%2e%2e/config/settings.py",
]


def run_env(var_dir: Path, **given) -> dict:
    """The environment `make run` gives its processes (scripts/run_env.sh), as a dict."""
    env = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES}
    env = {**env, "VAR_DIR": str(var_dir), **given}
    out = subprocess.run(
        ["sh", "-c", ". scripts/run_env.sh && env"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def test_make_run_sources_the_run_environment_for_every_step():
    out = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    steps = [line for line in out.splitlines() if "manage.py" in line or "honcho" in line]
    assert steps and all(line.startswith(". scripts/run_env.sh &&") for line in steps)
    assert "--nostatic" in (ROOT / "Procfile").read_text().splitlines()[0]


def test_the_run_environment_turns_debug_off_and_keeps_its_secrets(tmp_path):
    first = run_env(tmp_path)
    assert first["DEBUG"] == "0" and first["SERVE_STATIC"] == "1"
    assert first["SECURE_COOKIES"] == "0"
    assert len(first["SECRET_KEY"]) == 64 and len(first["SECRETS_ENCRYPTION_KEY"]) == 64
    again = run_env(tmp_path)
    assert (again["SECRET_KEY"], again["SECRETS_ENCRYPTION_KEY"]) == (
        first["SECRET_KEY"],
        first["SECRETS_ENCRYPTION_KEY"],
    )
    assert oct((tmp_path / "local-secrets.env").stat().st_mode & 0o777) == "0o600"
    assert run_env(tmp_path, DEBUG="1")["DEBUG"] == "1"


def test_a_database_from_before_keeps_the_key_its_secrets_were_encrypted_with(tmp_path):
    from config.settings import DEV_SECRET_KEY

    (tmp_path / "backoffice.sqlite3").write_bytes(b"")
    assert run_env(tmp_path)["SECRETS_ENCRYPTION_KEY"] == f"dev:{DEV_SECRET_KEY}"


def test_django_starts_in_the_run_environment_without_errors(tmp_path):
    env = {**os.environ, **run_env(tmp_path), "PYTHONPATH": str(ROOT)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@override_settings(DEBUG=False, SERVE_STATIC=True)
def test_static_files_are_served_without_debug(client):
    response = client.get("/static/backoffice/backoffice.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
@override_settings(DEBUG=False, SERVE_STATIC=True)
@pytest.mark.parametrize("path", ESCAPES)
def test_a_path_out_of_the_static_directories_answers_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@override_settings(DEBUG=False, SERVE_STATIC=False)
def test_production_leaves_static_files_to_the_proxy(client):
    assert client.get("/static/backoffice/backoffice.css").status_code == 404

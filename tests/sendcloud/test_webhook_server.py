"""The production webhook server (Procfile.production `webhook-web`, granian) stores a signed
webhook and answers 200, and refuses a forged one: the command line as the Procfile has it."""

import os
import shlex
import socket
import subprocess
import time

import httpx
import pytest
from django.conf import settings

from sendcloud.models import WebhookEvent
from tests.sendcloud.factories import SECRET
from tests.sendcloud.webhook_helpers import sendcloud_body, sign
from tests.worker import database_url_of_test_db

pytestmark = [pytest.mark.http, pytest.mark.django_db(transaction=True)]


def procfile_command(name: str) -> str:
    lines = (settings.BASE_DIR / "Procfile.production").read_text().splitlines()
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(f"{name}:"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def webhook_server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "WEBHOOK_WEB_HOST": "127.0.0.1",
        "WEBHOOK_WEB_PORT": str(port),
        "WEBHOOK_WEB_WORKERS": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    # The Procfile's line, with its ${NAME:-default} expanded from this environment.
    command = subprocess.run(
        ["bash", "-c", f"printf '%s\\n' {procfile_command('webhook-web')}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    log = (tmp_path / "granian.log").open("w")
    process = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(f"{base}/login/", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        if process.returncode not in (0, -15):
            print((tmp_path / "granian.log").read_text())


def test_the_webhook_server_of_the_procfile_stores_a_signed_webhook(webhook_server, integration):
    assert shlex.split(procfile_command("webhook-web"))[0].endswith("granian")
    url = f"{webhook_server}/sendcloud/webhook/{integration.webhook_token}/"
    body = sendcloud_body({"action": "test_webhook", "timestamp": 1767225600000})

    signed = httpx.post(url, content=body, headers={"Sendcloud-Signature": sign(body, SECRET)})
    forged = httpx.post(url, content=body, headers={"Sendcloud-Signature": "0" * 64})

    assert (signed.status_code, forged.status_code) == (200, 403)
    events = list(WebhookEvent.objects.order_by("id").values_list("status_code", "signature"))
    assert events == [(200, "valid"), (403, "invalid")]

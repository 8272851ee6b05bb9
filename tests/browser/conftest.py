import os
import shutil
from pathlib import Path

import pytest

from sendcloud.models import SenderAddress, SyncRun, WarehouseSenderAddress
from sendcloud.services.connect import integration_keys_save
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from tests.browser.words import (  # noqa: F401  (the browser tests import them from here)
    ALLOWED_WORDS,
    ENGLISH_WORDS,
    assert_german,
    english_words,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Debian's chromium is missing: run `make test` (it installs it) or "
            "`bash scripts/ensure_chromium.sh`."
        )
    return path


@pytest.fixture
def page(chromium_path, live_server):
    """A headless Chromium page; Playwright's event loop shares this thread with the ORM."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def shop_linked(company, warehouse, sandbox_account):
    """The company linked with the sandbox account's keys, as "API-Schlüssel eingeben" does,
    its options and routes brought in by a real Abgleich, and the warehouse mapped to the
    account's German sender address (Lager konfigurieren). Returns the integration."""
    integration = integration_keys_save(
        company,
        public_key=sandbox_account["public_key"],
        secret_key=sandbox_account["secret_key"],
        shop_name="Muster Shop",
    )
    run = sync_start(
        integration,
        ["sender_addresses", "shipping_methods", "routes"],
        trigger=SyncRun.Trigger.CLI,
        queue=False,
    )
    assert sync_run_execute(run.pk).state == SyncRun.State.SUCCEEDED
    WarehouseSenderAddress.objects.create(
        integration=integration,
        warehouse=warehouse,
        sender_address=SenderAddress.objects.filter(integration=integration, country="DE").first(),
    )
    return integration

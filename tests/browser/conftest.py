import os
import re
import shutil
from pathlib import Path

import pytest

from sendcloud.models import SenderAddress, SyncRun, WarehouseSenderAddress
from sendcloud.services.connect import integration_keys_save
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute

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


# Words that only an English text contains (not "was": German has it too); a German page
# showing one leaks English. Product names and codes a German office uses as they are
# ("Sendcloud", "Webhook", "API") are allowed.
ENGLISH_WORDS = frozenset(
    """the and with without is are were not yet to of from this that these there which
    delivered cancelled cancellation requested shipment shipments parcel parcels sync synced
    orders waiting pending connected disconnected settings save delete show back none yes
    last seen ago created updated archived failed ready send sent warehouse warehouses
    address addresses carrier carriers invoice invoices returns search nothing next previous
    minutes hours seconds just now linked account keys select choose items load loaded
    running started finished succeeded progress objects pages read retry retrying
    from unknown announced sorted en route driver pickup refund exchange credit open""".split()
)
ALLOWED_WORDS = frozenset({"sendcloud", "webhook", "webhooks", "api", "setup", "english"})


def english_words(page, allowed=()) -> list[str]:
    """English words in the visible text of the page (code, payloads and URLs left out)."""
    text = page.evaluate(
        """() => {
            const body = document.body.cloneNode(true);
            body.querySelectorAll("code, pre, script, style, [translate=no], [lang=en]")
                .forEach(node => node.remove());
            return body.innerText;
        }"""
    )
    allowed_lower = ALLOWED_WORDS | {word.lower() for word in allowed}
    words = re.findall(r"[A-Za-zÄÖÜäöüß]+", text)
    return sorted({w for w in words if w.lower() in ENGLISH_WORDS - allowed_lower})


def assert_german(page, allowed=()) -> None:
    """Fail with the English words found on a page that should be German."""
    found = english_words(page, allowed)
    assert not found, f"English on the German page {page.url}: {found}"


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

"""Walk the product as a new user does after `make run` and save a screenshot per step.

    .venv/bin/python scripts/screenshots.py \\
        --base-url http://127.0.0.1:8000 --sandbox-url http://127.0.0.1:8001 \\
        --login-file var/demo-login.txt [--out docs/screenshots]

It expects a fresh `make run` (an empty VAR_DIR): it links the demo account through Sendcloud's
connect page (the sandbox's), runs an Abgleich, configures the warehouses, pushes the orders,
maps the shipping methods, creates labels one by one and in bulk, cancels one, and visits the
worklist, the mirrored lists, the webhook inbox, the API log and the sandbox's pages. Every
German page is checked for English words (the word list of the browser tests); the walk stops
at the first step that fails and exits non-zero when a page shows English.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.words import english_words  # noqa: E402  (the same word list)

ENGLISH_FOUND: dict[str, list[str]] = {}
SENDCLOUD_PRODUCTS = ("parcel", "pickup")  # option names as Sendcloud spells them
ISLE_OF_MAN = ("of",)  # the German name of a country in the delivery order's country list


class Walk:
    def __init__(self, page, base, sandbox, out: Path):
        self.page, self.base, self.sandbox, self.out = page, base.rstrip("/"), sandbox, out

    def goto(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is None or response.status < 400, f"{path}: HTTP {response.status}"

    def shot(self, name: str, german: bool = True, allowed=(), full_page: bool = True):
        """Save docs/screenshots/<name>.png and note English words on a German page."""
        self.page.wait_for_load_state("networkidle")
        if german:
            found = english_words(self.page, allowed)
            if found:
                ENGLISH_FOUND[f"{name} ({self.page.url})"] = found
        self.page.screenshot(path=self.out / f"{name}.png", full_page=full_page)
        print(f"  {name}.png  {self.page.url}")

    def wait_for(self, selector: str, timeout: float = 120):
        self.page.locator(selector).first.wait_for(timeout=timeout * 1000)


STAGES = (
    "setup", "sync", "warehouses", "shipping", "orders", "labels", "packing", "lists", "sandbox"
)  # fmt: skip


def walk(walk: Walk, username: str, password: str, start_at: str = "setup"):
    page, sandbox = walk.page, walk.sandbox
    account = httpx.get(f"{sandbox}/_sandbox/demo-account", timeout=10).json()

    def stage(name: str) -> bool:
        return STAGES.index(name) >= STAGES.index(start_at)

    # Login → the menu Konfiguration → Lager → Sendcloud → Integration.
    walk.goto("/login/")
    walk.shot("login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(walk.base + "/**")
    page.hover("#menu-configuration")
    page.hover("#menu-configuration-warehouse")
    page.hover("#menu-sendcloud")
    walk.shot("menu")
    page.click("#menu-sendcloud-integration")
    if stage("setup"):
        setup(walk, account)
    if stage("sync"):
        sync(walk)
    if stage("warehouses"):
        warehouses(walk)
    if stage("shipping"):
        map_shipping_methods(walk)
    if stage("orders"):
        orders(walk)
    if stage("labels"):
        labels(walk)
    if stage("packing"):
        packing(walk)
    if stage("lists"):
        lists(walk)
    sandbox_pages(walk, account)


def operator_pages(walk: Walk, password: str):
    """The operator's Installation → Zeitpläne: the jobs by name, their timing in words."""
    page = walk.page
    page.context.clear_cookies()
    walk.goto("/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(walk.base + "/**")
    walk.goto("/django_celery_beat/periodictask/")
    walk.shot("schedules")


def setup(walk: Walk, account: dict):
    page, sandbox = walk.page, walk.sandbox
    walk.shot("integration-empty")

    # Setup → Sendcloud's connect page (the sandbox's) → Connect → back, verbunden.
    page.click("#button-setup")
    page.fill("#id_shop_name", "Muster Shop")
    walk.shot("setup")
    page.click("#continue-to-sendcloud")
    page.wait_for_url(sandbox + "/shops/**")
    page.fill("input[name=email]", account["email"])
    page.fill("input[name=password]", account["password"])
    walk.shot("sandbox-connect")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/sendcloud/integration/")
    walk.wait_for(".integration-state[data-state=connected]", 60)
    walk.wait_for(".integration-card dd:has-text('bei Sendcloud aktiv')", 30)
    walk.shot("integration-overview")


def sync(walk: Walk):
    """Abgleich with every box → the run page until it is done."""
    page = walk.page
    walk.goto("/sendcloud/integration/")
    page.click("#button-sync")
    while page.locator("#sync-active").count():  # the first scheduled run after connecting
        time.sleep(2)
        page.reload()
    boxes = page.locator("#sync-start-form .sync-types input[type=checkbox]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    walk.shot("sync")
    page.click("#sync-start")
    page.wait_for_url("**/sendcloud/sync/runs/*/")
    walk.wait_for("#run-state[data-state=succeeded], #run-state[data-state=partial]", 300)
    walk.shot("sync-run")

    # Zeitpläne: invoices daily at 03:00; the Abgleich page then lists it in words.
    walk.goto("/sendcloud/integration/sync/schedules/")
    page.select_option("select[name=invoices-minutes]", "1440")
    page.select_option("select[name=invoices-at]", "03:00")
    walk.shot("sync-schedules")
    page.click("#content-main form button[type=submit]")
    page.wait_for_url("**/sendcloud/integration/*/sync/")
    page.locator("#sync-schedule-summary").scroll_into_view_if_needed()
    walk.shot("sync-schedule-summary", full_page=False)


def warehouses(walk: Walk):
    """Lager konfigurieren: confirm every suggestion, save."""
    page = walk.page
    walk.goto("/sendcloud/integration/")
    page.click("#button-warehouses")
    for button in page.locator(".suggestion-apply").all():
        button.click()
    walk.shot("warehouses")
    page.click("#save-warehouses")
    page.wait_for_url("**/sendcloud/integration/")
    walk.shot("integration-warehouses")


def orders(walk: Walk):
    """Bestellungen abgleichen: preview → start → result."""
    page = walk.page
    walk.goto("/sendcloud/integration/")
    page.click("#button-orders")
    page.click("#show-preview")
    walk.wait_for("#preview-summary")
    walk.shot("orders-preview")
    page.click("#start-backfill")
    page.wait_for_url("**/sendcloud/orders/runs/**")
    walk.wait_for(".order-run[data-state=succeeded], .order-run[data-state=partial]", 300)
    walk.shot("orders-result")


def labels(walk: Walk):
    """A delivery order → Label erstellen → tracking number, status and the PDF."""
    page = walk.page
    ready = ready_delivery_orders(walk)
    first, *bulk = ready[:6]
    walk.goto(f"/sales/deliveryorder/{first}/change/")
    page.click("#label-create")
    walk.shot("label-create")
    page.click("#confirm-label-create")
    walk.wait_for("#label-parcels .tracking-number a, #label-failed, #label-problems", 120)
    walk.goto(f"/sales/deliveryorder/{first}/change/")
    page.locator("#label-section").scroll_into_view_if_needed()
    walk.shot("label-delivery-order", allowed=ISLE_OF_MAN + SENDCLOUD_PRODUCTS)
    pdf = page.locator("#label-parcels a.label-pdf").first.get_attribute("href")
    response = page.request.get(walk.base + pdf)
    assert response.ok and response.headers["content-type"] == "application/pdf", pdf

    # Several delivery orders selected in the list → Labels erstellen → job → merged PDF.
    walk.goto("/sales/deliveryorder/?state__exact=ready")
    for pk in bulk:
        page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", "labels_create")
    page.evaluate("window.scrollTo(0, 0)")
    walk.shot("delivery-orders-bulk", allowed=ISLE_OF_MAN, full_page=False)
    page.click("button[name=index]")
    page.wait_for_url("**/sendcloud/labels/jobs/**")
    walk.wait_for(".label-job[data-state=succeeded], .label-job[data-state=partial]", 300)
    walk.shot("label-bulk", allowed=SENDCLOUD_PRODUCTS)
    merged = page.locator("#merged-a6").get_attribute("href")
    response = page.request.get(walk.base + merged)
    assert response.ok and response.headers["content-type"] == "application/pdf", merged

    # Cancel one label: confirmation, then Sendcloud's answer.
    walk.goto(f"/sales/deliveryorder/{bulk[0]}/change/")
    page.click("#label-cancel")
    walk.shot("label-cancel-confirm")
    page.click("#confirm-label-cancel")
    walk.wait_for("#cancel-result, #cancel-error")
    walk.shot("label-cancel")


def packing(walk: Walk):
    """Verkauf → Packplatz with the keyboard: the station, an order, its items, Enter."""
    page = walk.page
    walk.goto("/sendcloud/packing/")
    options = page.locator("#packing-station option")
    if options.count() > 1:  # the demo's "Packtisch 1" with the sandbox printer
        with page.expect_navigation():
            page.select_option("#packing-station", index=1)
    # A ready order from Berlin the pre-flight lets through (the first six have labels).
    for pk in ready_delivery_orders(walk)[6:30]:
        walk.goto(f"/sales/deliveryorder/{pk}/change/")
        number = page.input_value("#id_number")
        walk.goto("/sendcloud/packing/")
        page.keyboard.type(number)
        page.keyboard.press("Enter")
        walk.wait_for("#packing-order, .packing-message.error", 30)
        if page.locator("#packing-order").count() and not page.locator("#packing-problems").count():
            break
    else:
        raise AssertionError("no ready order without pre-flight problems to pack")
    rows = page.locator("#packing-lines tbody tr")
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        ean, sku = cells.nth(1).inner_text().strip(), cells.nth(0).inner_text().strip()
        quantity = cells.nth(3).inner_text().strip()
        page.keyboard.type(f"{quantity}*{ean if ean != '–' else sku}")
        page.keyboard.press("Enter")
        walk.wait_for(f"#packing-lines tbody tr:nth-child({index + 1}).packed", 30)
    walk.wait_for("#packing-ready", 30)
    walk.shot("packing", allowed=("EAN",) + SENDCLOUD_PRODUCTS)
    page.keyboard.press("Enter")
    walk.wait_for(".packing-message.ok:has-text('gedruckt'), .packing-message.error", 120)
    walk.shot("packing-printed", allowed=("EAN",) + SENDCLOUD_PRODUCTS)


def lists(walk: Walk):
    """The worklist, the mirrored lists, a delivery timeline, the inbox and the API log."""
    page = walk.page
    walk.goto("/sendcloud/labels/")
    walk.shot("labels-worklist", allowed=SENDCLOUD_PRODUCTS)
    for kind in (
        "parcels",
        "returns",
        "sender-addresses",
        "shipping-methods",
        "parcel-statuses",
        "carriers",
        "invoices",
        "brands",
    ):
        walk.goto(f"/sendcloud/mirror/{kind}/")
        walk.shot(f"mirror-{kind}")
    walk.goto("/sales/deliveryorder/?state__exact=ready")
    page.locator("#result_list a[href*='/sendcloud/orders/delivery/']").first.click()
    walk.shot("delivery-timeline")
    walk.goto("/sendcloud/webhooks/")
    walk.shot("webhook-inbox")
    event = page.locator("#content-main table tbody tr a").first
    if event.count():
        event.click()
        walk.shot("webhook-event")
    walk.goto("/sendcloud/api-calls/")
    walk.shot("api-calls")
    page.locator("#content-main table tbody tr a").first.click()
    walk.shot("api-call")


def sandbox_pages(walk: Walk, account: dict):
    """The sandbox: its root page and its panel (German where it offers German)."""
    page, sandbox = walk.page, walk.sandbox
    page.goto(sandbox + "/?lang=de")
    walk.shot("sandbox-home", german=False)
    page.goto(f"{sandbox}/panel/orders?account={account['id']}&lang=de")
    walk.shot("sandbox-orders", german=False)
    page.goto(f"{sandbox}/panel/shipments?account={account['id']}&lang=de")
    walk.shot("sandbox-shipments", german=False)


def map_shipping_methods(walk: Walk) -> list[str]:
    """Give each shipping method sent through Sendcloud an option of its carrier."""
    page = walk.page
    walk.goto("/sales/shippingmethod/")
    links = page.locator("#result_list tbody tr a[href*='/change/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    mapped = []
    for href in hrefs:
        page.goto(walk.base + href)
        if page.input_value("#id_provider") != "sendcloud":
            continue
        carrier = page.input_value("#id_carrier_code").lower()
        service_point = page.is_checked("#id_uses_service_point")
        group = page.locator(".inline-group").last
        if group.locator("tr.has_original").count():  # mapped already
            continue
        group.locator(".add-row a").click()
        row = group.locator("tr.form-row:not(.empty-form)").last
        row.locator("select[name$=integration]").select_option(index=1)
        options = row.locator("select[name$=shipping_option] option")
        texts = {
            options.nth(i).get_attribute("value"): options.nth(i).inner_text()
            for i in range(options.count())
        }
        fitting = [
            value
            for value, text in texts.items()
            if value
            and text.lower().startswith(carrier)
            and (("shop" in text.lower() or "point" in text.lower()) == service_point)
        ]
        if not fitting:
            continue
        row.locator("select[name$=shipping_option]").select_option(fitting[0])
        if not mapped:
            walk.shot("shipping-method", allowed=SENDCLOUD_PRODUCTS)
        page.click("input[name=_save]")
        page.wait_for_url("**/sales/shippingmethod/")
        mapped.append(page.locator(".messagelist").inner_text())
    return mapped


def ready_delivery_orders(walk: Walk) -> list[str]:
    """Ids of ready delivery orders from Germany to Germany (no customs), newest first."""
    page = walk.page
    walk.goto("/sales/deliveryorder/?state__exact=ready&country=DE")
    if not page.locator("#result_list").count():
        walk.goto("/sales/deliveryorder/?state__exact=ready")
    boxes = page.locator("#result_list input[name=_selected_action]")
    return [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--sandbox-url", default="http://127.0.0.1:8001")
    parser.add_argument("--login-file", default=str(ROOT / "var" / "demo-login.txt"))
    parser.add_argument("--user", default="demo")
    parser.add_argument(
        "--operator-login-file",
        help="the operator's password (default: operator-login.txt beside --login-file)",
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--start-at", choices=STAGES, default="setup", help="skip the stages before (done)"
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    password = Path(args.login_file).read_text().strip()
    operator_file = Path(
        args.operator_login_file or Path(args.login_file).with_name("operator-login.txt")
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-sync",
                "--lang=de-DE",
            ],
        )
        context = browser.new_context(  # a German office: language and clock
            locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": 1280, "height": 800}
        )
        page = context.new_page()
        page.set_default_timeout(30000)
        started = time.monotonic()
        try:
            tour = Walk(page, args.base_url, args.sandbox_url.rstrip("/"), out)
            walk(tour, args.user, password, args.start_at)
            if operator_file.exists():
                operator_pages(tour, operator_file.read_text().strip())
        finally:
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=ROOT / "test-artifacts" / "screenshots-last-page.png")
            context.close()
            browser.close()
    print(f"Walk done in {time.monotonic() - started:.0f} s.")
    for step, words in ENGLISH_FOUND.items():
        print(f"English on {step}: {', '.join(words)}")
    return 1 if ENGLISH_FOUND else 0


if __name__ == "__main__":
    sys.exit(main())

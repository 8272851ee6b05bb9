"""The shop "connect" page of the Setup flow (reference v2 §6) and a bare tracking page."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request

from .state import current

bp = Blueprint("connect", __name__)

TEXTS = {
    "en": {
        "title": "Connect your shop to Sendcloud",
        "intro": "Log in to your Sendcloud account to connect {shop}.",
        "email": "E-mail address",
        "password": "Password",
        "connect": "Connect",
        "shop": "Shop",
        "webhook": "Webhook URL",
        "bad_login": "E-mail address or password is wrong.",
        "bad_request": "The link is incomplete: webhook_url must be an http(s) URL.",
        "done_title": "Shop connected",
        "done": "The integration {id} was created and its keys were sent to your shop.",
        "failed_title": "Shop connected, but not reachable",
        "failed": "The integration {id} was created, but your shop did not accept the keys "
        "({error}). Sendcloud will retry sending them.",
        "back": "Back to the shop",
        "sandbox": "Sendcloud sandbox – no real Sendcloud account is involved.",
    },
    "de": {
        "title": "Shop mit Sendcloud verbinden",
        "intro": "Melden Sie sich bei Ihrem Sendcloud-Konto an, um {shop} zu verbinden.",
        "email": "E-Mail-Adresse",
        "password": "Passwort",
        "connect": "Verbinden",
        "shop": "Shop",
        "webhook": "Webhook-URL",
        "bad_login": "E-Mail-Adresse oder Passwort ist falsch.",
        "bad_request": "Der Link ist unvollständig: webhook_url muss eine http(s)-URL sein.",
        "done_title": "Shop verbunden",
        "done": "Die Integration {id} wurde angelegt und ihre Schlüssel an Ihren Shop gesendet.",
        "failed_title": "Shop verbunden, aber nicht erreichbar",
        "failed": "Die Integration {id} wurde angelegt, aber Ihr Shop hat die Schlüssel nicht "
        "angenommen ({error}). Sendcloud versucht es erneut.",
        "back": "Zurück zum Shop",
        "sandbox": "Sendcloud-Sandbox – es wird kein echtes Sendcloud-Konto verwendet.",
    },
}


def request_lang() -> str:
    """``?lang=``/form ``lang``, else the browser's preference; German or English."""
    wanted = (request.values.get("lang") or "").lower()[:2]
    if wanted in TEXTS:
        return wanted
    return request.accept_languages.best_match(["de", "en"], default="en")


def _valid_url(url) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@bp.route("/shops/<shop_type>/connect/", methods=["GET", "POST"])
def connect(shop_type):
    lang = request_lang()
    texts = TEXTS[lang]
    args = request.args
    webhook_url = args.get("webhook_url", "")
    shop_name = args.get("shop_name") or shop_type
    context = {
        "t": texts, "lang": lang, "shop_name": shop_name, "webhook_url": webhook_url,
        "url_webshop": args.get("url_webshop", ""), "error": None, "email": "",
        "intro": texts["intro"].format(shop=shop_name),
    }  # fmt: skip
    if not _valid_url(webhook_url):
        context["error"] = texts["bad_request"]
        return render_template("connect.html", **context), 400
    if request.method == "GET":
        return render_template("connect.html", **context)
    state = current()
    account_id = state.accounts.login(request.form.get("email", ""), request.form.get("password"))
    if account_id is None:
        context.update(error=texts["bad_login"], email=request.form.get("email", ""))
        return render_template("connect.html", **context), 401
    integration = state.accounts.create_integration(account_id, {
        "shop_name": shop_name, "shop_url": context["url_webshop"], "system": shop_type,
        "webhook_url": webhook_url, "webhook_active": True,
    })  # fmt: skip
    result = state.send_credentials(integration, webhook_url)
    if result["status"] == "delivered":
        state.emit_integration("integration_connected", integration)
        if _valid_url(context["url_webshop"]):
            return redirect(context["url_webshop"], code=302)
        message = texts["done"].format(id=integration["id"])
        return render_template("connected.html", title=texts["done_title"], message=message,
                               **context)  # fmt: skip
    message = texts["failed"].format(id=integration["id"], error=result["error"])
    return render_template("connected.html", title=texts["failed_title"], message=message,
                           **context), 502  # fmt: skip


@bp.get("/tracking/forward")
def tracking():
    code = request.args.get("code", "")
    state = current()
    row = state.store.one("SELECT id FROM parcels WHERE tracking_number = ?", (code,))
    parcel = state.parcel(row[0]) if row else None
    return render_template("tracking.html", code=code, parcel=parcel, args=request.args)

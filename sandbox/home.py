"""The sandbox's root page: what it is, and where its pages and the demo account are."""

from flask import Blueprint, render_template, request

from .connect import request_lang
from .state import current

bp = Blueprint("home", __name__)

TEXTS = {
    "en": {
        "title": "Sendcloud sandbox",
        "intro": "A simulator of the Sendcloud API for the back office: v2 and v3 endpoints, the "
        "connect page, label PDFs, webhooks and status changes. No real Sendcloud account is "
        "involved.",
        "connect": "Connect page",
        "connect_how": "Opened by Setup in the back office (it needs the shop's webhook URL).",
        "panel": "Panel",
        "orders": "Incoming orders",
        "shipments": "Shipments",
        "printer": "Printer (fake label printer)",
        "demo": "Demo account",
        "login": "Login (connect page)",
        "public_key": "Public key",
        "integration": "Integration id",
        "api": "API base URLs",
        "no_demo": "No demo account yet: start the sandbox with `python -m sandbox serve`.",
        "sandbox": "Sendcloud sandbox – no real Sendcloud account is involved.",
    },
    "de": {
        "title": "Sendcloud-Sandbox",
        "intro": "Ein Nachbau der Sendcloud-API für das Backoffice: Endpunkte von v2 und v3, die "
        "Verbindungsseite, Etiketten-PDFs, Webhooks und Statuswechsel. Es wird kein echtes "
        "Sendcloud-Konto verwendet.",
        "connect": "Verbindungsseite",
        "connect_how": "Wird vom Setup im Backoffice geöffnet (sie braucht die Webhook-URL des "
        "Shops).",
        "panel": "Panel",
        "orders": "Eingehende Bestellungen",
        "shipments": "Sendungen",
        "printer": "Drucker (simulierter Etikettendrucker)",
        "demo": "Demo-Konto",
        "login": "Anmeldung (Verbindungsseite)",
        "public_key": "Öffentlicher Schlüssel",
        "integration": "Integrations-ID",
        "api": "API-Adressen",
        "no_demo": "Noch kein Demo-Konto: starten Sie die Sandbox mit `python -m sandbox serve`.",
        "sandbox": "Sendcloud-Sandbox – es wird kein echtes Sendcloud-Konto verwendet.",
    },
}


@bp.get("/")
def home_page():
    lang = request_lang()
    base = request.host_url.rstrip("/")
    return render_template(
        "home.html", t=TEXTS[lang], lang=lang, base=base, demo=current().demo_account()
    )

"""A bare "Incoming orders" page of the sandbox panel, to watch pushed orders arrive.

No login: like the control API it is a loopback tool; ``?account=<id>`` picks the account
(default: the demo account), ``?q=`` searches order numbers, ``?lang=de|en``.
"""

from datetime import UTC, datetime

from flask import Blueprint, render_template, request

from . import catalogue as cat
from .connect import request_lang
from .shipments_store import created_shipments
from .state import current
from .timefmt import PANEL_TZ

bp = Blueprint("panel", __name__)
REFRESH_SECONDS = 10

TEXTS = {
    "en": {
        "title": "Incoming orders",
        "account": "Account",
        "search": "Order number",
        "find": "Search",
        "all": "Show all",
        "none": "No orders yet. Orders pushed with POST /api/v3/orders appear here.",
        "no_match": "No order matches this order number.",
        "no_account": "Unknown account. Pick one:",
        "columns": (
            "Sendcloud id",
            "Order id",
            "Order number",
            "Customer",
            "Country",
            "Items",
            "Total",
            "Status",
            "Created",
            "Modified",
        ),  # fmt: skip
        "processing": "processing",
        "count": ("{n} order", "{n} orders"),
        "refresh": "This page reloads every {s} seconds.",
        "sandbox": "Sendcloud sandbox – no real Sendcloud account is involved.",
        "date": "%Y-%m-%d %H:%M:%S %Z",
        "decimal": ".",
    },
    "de": {
        "title": "Eingehende Bestellungen",
        "account": "Konto",
        "search": "Bestellnummer",
        "find": "Suchen",
        "all": "Alle anzeigen",
        "none": "Noch keine Bestellungen. Mit POST /api/v3/orders gesendete Bestellungen "
        "erscheinen hier.",
        "no_match": "Keine Bestellung passt zu dieser Bestellnummer.",
        "no_account": "Unbekanntes Konto. Bitte eines wählen:",
        "columns": (
            "Sendcloud-ID",
            "Bestell-ID",
            "Bestellnummer",
            "Kunde",
            "Land",
            "Artikel",
            "Summe",
            "Status",
            "Angelegt",
            "Geändert",
        ),  # fmt: skip
        "processing": "in Verarbeitung",
        "count": ("{n} Bestellung", "{n} Bestellungen"),
        "refresh": "Die Seite lädt alle {s} Sekunden neu.",
        "sandbox": "Sendcloud-Sandbox – es wird kein echtes Sendcloud-Konto verwendet.",
        "date": "%d.%m.%Y %H:%M:%S %Z",
        "decimal": ",",
    },
}


def _money(price, texts) -> str:
    if not isinstance(price, dict) or price.get("value") is None:
        return ""
    try:
        amount = f"{float(price['value']):.2f}".replace(".", texts["decimal"])
    except (TypeError, ValueError):
        amount = str(price["value"])
    return f"{amount} {price.get('currency') or ''}".strip()


def _row(order, orders, texts) -> dict:
    doc = order.data
    details = doc.get("order_details") or {}
    shipping = doc.get("shipping_address") or {}
    customer = (doc.get("customer_details") or {}).get("name") or shipping.get("name") or ""
    items = details.get("order_items") or []
    stamp = lambda ts: datetime.fromtimestamp(ts, UTC).astimezone(PANEL_TZ).strftime(texts["date"])  # noqa: E731
    return {
        "id": order.id,
        "order_id": order.order_id,
        "order_number": order.order_number,
        "customer": customer,
        "country": shipping.get("country_code") or "",
        "item_count": sum(int(i.get("quantity") or 0) for i in items),
        "total": _money((doc.get("payment_details") or {}).get("total_price"), texts),
        "status": (details.get("status") or {}).get("code") or "",
        "created": stamp(order.created_at),
        "modified": stamp(order.modified_at),
        "processing": orders.busy(order),
    }


@bp.get("/panel/orders")
def orders_page():
    lang = request_lang()
    texts = TEXTS[lang]
    state = current()
    raw = request.args.get("account", "")
    account_id = int(raw) if raw.isdigit() else (state.demo_account() or {}).get("id")
    search = request.args.get("q", "").strip()
    context = {"t": texts, "lang": lang, "search": search, "account_id": account_id,
               "rows": None, "accounts": [], "refresh": None}  # fmt: skip
    if account_id is None or state.accounts.get(account_id) is None:
        context["accounts"] = [(a["id"], a["email"]) for a in state.accounts.all()]
        return render_template("panel_orders.html", **context), 404
    orders = state.orders.for_account(account_id, search)
    context["rows"] = [_row(o, state.orders, texts) for o in orders]
    context["email"] = state.accounts.get(account_id)["email"]
    if not search:
        context["refresh"] = REFRESH_SECONDS
    return render_template("panel_orders.html", **context)


# The parcel statuses in German for the German panel (the back office's words, sendcloud/
# vocabulary.py); the sandbox imports nothing of the back office, so it keeps its own list.
STATUS_DE = {
    999: "Kein Label", 1000: "Versandbereit", 1001: "Wird angemeldet",
    1002: "Anmeldung fehlgeschlagen", 1: "Angemeldet", 13: "Angemeldet: nicht abgeholt",
    15: "Fehler bei der Abholung", 22: "Vom Fahrer abgeholt", 3: "Unterwegs zum Sortierzentrum",
    62990: "Im Sortierzentrum", 7: "Wird sortiert", 5: "Sortiert", 6: "Nicht sortiert",
    4: "Zustellung verzögert", 62989: "Beim Zoll", 91: "Paket unterwegs", 92: "In Zustellung",
    8: "Zustellversuch fehlgeschlagen", 12: "Wartet auf Abholung durch den Kunden",
    11: "Zugestellt", 93: "Vom Kunden abgeholt", 80: "Nicht zustellbar",
    62991: "Annahme verweigert", 62992: "An Absender zurück", 62993: "Zustellart geändert",
    62994: "Zustelltermin geändert", 62995: "Zustelladresse geändert", 62996: "Störung",
    62997: "Adresse ungültig", 1999: "Stornierung beantragt",
    2001: "Stornierung wird übermittelt", 1998: "Beim Versanddienstleister storniert",
    2000: "Storniert", 94: "Stornierung fehlgeschlagen", 1337: "Unbekannter Status",
}  # fmt: skip

SHIPMENT_TEXTS = {
    "en": {
        "title": "Shipments and labels",
        "account": "Account",
        "none": "No shipments yet. Shipments created through the API (v3 shipments, "
        "ship-an-order, v2 parcels) appear here.",
        "no_account": "Unknown account. Pick one:",
        "columns": (
            "Created",
            "Shipment",
            "Via",
            "Order number",
            "Reference",
            "Carrier",
            "Recipient",
            "Parcels",
        ),  # fmt: skip
        "label": "Label (PDF)",
        "zpl": "ZPL",
        "customs": "Customs (PDF)",
        "auth": "Documents need the integration's API keys (user name: public key, "
        "password: secret key), as at Sendcloud.",
        "count": ("{n} shipment", "{n} shipments"),
        "refresh": "This page reloads every {s} seconds.",
        "sandbox": "Sendcloud sandbox – no real Sendcloud account is involved.",
        "date": "%Y-%m-%d %H:%M:%S %Z",
    },
    "de": {
        "title": "Sendungen und Labels",
        "account": "Konto",
        "none": "Noch keine Sendungen. Über die API erstellte Sendungen (v3-Sendungen, "
        "Ship-an-Order, v2-Pakete) erscheinen hier.",
        "no_account": "Unbekanntes Konto. Bitte eines wählen:",
        "columns": (
            "Angelegt",
            "Sendung",
            "Über",
            "Bestellnummer",
            "Referenz",
            "Versender",
            "Empfänger",
            "Pakete",
        ),  # fmt: skip
        "label": "Label (PDF)",
        "zpl": "ZPL",
        "customs": "Zoll (PDF)",
        "auth": "Dokumente verlangen die API-Schlüssel der Integration (Benutzername: "
        "öffentlicher Schlüssel, Passwort: geheimer Schlüssel), wie bei Sendcloud.",
        "count": ("{n} Sendung", "{n} Sendungen"),
        "refresh": "Die Seite lädt alle {s} Sekunden neu.",
        "sandbox": "Sendcloud-Sandbox – es wird kein echtes Sendcloud-Konto verwendet.",
        "date": "%d.%m.%Y %H:%M:%S %Z",
        "statuses": STATUS_DE,
    },
}


def _shipment_row(shipment: dict, base: str, texts) -> dict:
    created = datetime.fromtimestamp(shipment["created_at"], UTC).astimezone(PANEL_TZ)
    parcels = []
    for p in shipment["parcels"]:
        docs = f"{base}/api/v3/parcels/{p['id']}/documents"
        parcels.append({
            **p,
            "status": texts.get("statuses", {}).get(p["status_id"], p["status"]),
            "label": f"{docs}/label" if p["announced"] and p["status_id"] != 1002 else None,
            "customs": f"{docs}/customs-declaration" if p["announced"] and p["customs"] else None,
        })  # fmt: skip
    return {
        **shipment,
        "created": created.strftime(texts["date"]),
        "carrier_name": cat.CARRIERS.get(shipment["carrier"], shipment["carrier"]),
        "parcels": parcels,
    }


@bp.get("/panel/shipments")
def shipments_page():
    """Shipments created through the API with their parcels' status and document links."""
    lang = request_lang()
    texts = SHIPMENT_TEXTS[lang]
    state = current()
    raw = request.args.get("account", "")
    account_id = int(raw) if raw.isdigit() else (state.demo_account() or {}).get("id")
    context = {"t": texts, "lang": lang, "account_id": account_id, "rows": None,
               "accounts": [], "refresh": REFRESH_SECONDS}  # fmt: skip
    if account_id is None or state.accounts.get(account_id) is None:
        context["accounts"] = [(a["id"], a["email"]) for a in state.accounts.all()]
        return render_template("panel_shipments.html", **context), 404
    base = state.base_url()
    context["rows"] = [_shipment_row(s, base, texts) for s in created_shipments(state, account_id)]
    context["email"] = state.accounts.get(account_id)["email"]
    return render_template("panel_shipments.html", **context)

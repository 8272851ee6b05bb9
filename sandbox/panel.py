"""A bare "Incoming orders" page of the sandbox panel, to watch pushed orders arrive.

No login: like the control API it is a loopback tool; ``?account=<id>`` picks the account
(default: the demo account), ``?q=`` searches order numbers, ``?lang=de|en``.
"""

from datetime import UTC, datetime

from flask import Blueprint, render_template, request

from .connect import request_lang
from .state import current

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
        "date": "%Y-%m-%d %H:%M:%S",
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
        "date": "%d.%m.%Y %H:%M:%S",
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
    stamp = lambda ts: datetime.fromtimestamp(ts, UTC).strftime(texts["date"])  # noqa: E731
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

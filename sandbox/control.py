"""Control API under ``/_sandbox/`` (JSON, no auth; a loopback tool for tests and demos)."""

from flask import Blueprint, request

from . import partners
from .errors import json_response
from .progression import progression
from .render_parcels import v2_parcel
from .seed import seed_account
from .shipments_store import created_shipments
from .state import current
from .timefmt import parse_plain

bp = Blueprint("control", __name__)

ROUTES = [
    "POST /_sandbox/accounts  (registered: ISO date | after_cutoff: true)",
    "GET /_sandbox/accounts",
    "GET|PATCH /_sandbox/accounts/<id>  (PATCH: registered, after_cutoff)",
    "GET /_sandbox/accounts/<id>/counts",
    "POST /_sandbox/accounts/<id>/seed",
    "POST /_sandbox/accounts/<id>/integrations",
    "GET /_sandbox/demo-account",
    "GET|POST /_sandbox/clock",
    "GET|POST|PUT|DELETE /_sandbox/faults",
    "GET|POST /_sandbox/rate-limits",
    "POST /_sandbox/parcels/<id>/status",
    "GET|POST /_sandbox/progression",
    "POST /_sandbox/progression/run",
    "GET /_sandbox/accounts/<id>/shipments",
    "GET /_sandbox/accounts/<id>/orders",
    "GET|POST /_sandbox/orders/settings",
    "GET /panel/orders?account=<id>&q=<order number>&lang=de|en (HTML)",
    "GET /panel/shipments?account=<id>&lang=de|en (HTML)",
    "GET /_sandbox/webhooks",
    "POST /_sandbox/webhooks/run",
    "GET|POST /_sandbox/partners  (POST: partner_ids)",
    "GET /_sandbox/printer  (power, address, jobs newest first)",
    "GET|DELETE /_sandbox/printer/jobs",
    "GET /_sandbox/printer/jobs/<id>  (the bytes as received)",
    'POST /_sandbox/printer/power  ({"on": false} refuses connections)',
    "POST /ipp/print  (IPP Print-Job, stored as a print job)",
    "GET /panel/printer?lang=de|en (HTML)",
]
SEED_FIELDS = ("parcels", "returns", "invoices", "seed", "anchor")


class BadRequest(Exception):
    pass


@bp.errorhandler(BadRequest)
def _bad_request(exc):
    return json_response({"error": str(exc)}, 400)


def _body() -> dict:
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    return body


def _seed_args(body) -> dict:
    out = {}
    for name in SEED_FIELDS:
        if body.get(name) is not None:
            try:
                out[name] = float(body[name]) if name == "anchor" else int(body[name])
            except (TypeError, ValueError):
                raise BadRequest(f"{name} must be a number") from None
    return out


@bp.get("/")
def index():
    return json_response({"routes": ROUTES})


def _registered(body):
    """The sign-up time a body asks for: ``registered`` (ISO 8601 date or date-time, UTC
    unless it says otherwise) or ``after_cutoff: true`` (now, at the earliest the v2 cutoff
    2026-04-13, so v2 ``POST /parcels`` is closed to the account); None when neither."""
    if body.get("after_cutoff"):
        return max(current().clock.now(), partners.CUTOFF)
    if body.get("registered") is None:
        return None
    stamp = parse_plain(str(body["registered"]))
    if stamp is None:
        raise BadRequest("registered must be an ISO 8601 date or date-time")
    return stamp


@bp.post("/accounts")
def account_create():
    body = _body()
    account = current().create_account(
        email=body.get("email"),
        password=body.get("password"),
        company_name=body.get("company_name"),
        registered=_registered(body),
        **_seed_args(body),
    )
    return json_response(account, 201)


@bp.get("/accounts")
def account_list():
    return json_response({"accounts": current().accounts.all()})


def _account(account_id):
    state = current()
    if state.accounts.get(account_id) is None or not state.accounts.integrations(account_id):
        raise BadRequest(f"no account {account_id}")
    return state


@bp.route("/accounts/<int:account_id>", methods=["GET", "PATCH"])
def account_detail(account_id):
    state = _account(account_id)
    if request.method == "PATCH":
        registered = _registered(_body())
        if registered is not None:
            state.accounts.set_registered(account_id, registered)
    out = state.accounts.describe(account_id)
    out["v2_parcels_open"] = (
        state.accounts.registered(state.accounts.get(account_id)) < partners.CUTOFF
    )
    out["integrations"] = [
        {
            k: i[k]
            for k in (
                "id",
                "public_key",
                "secret_key",
                "shop_name",
                "system",
                "webhook_url",
                "webhook_active",
            )
        }  # fmt: skip
        for i in state.accounts.integrations(account_id)
    ]
    return json_response(out)


@bp.get("/accounts/<int:account_id>/counts")
def account_counts(account_id):
    state = _account(account_id)
    counts = {}
    for table in ("parcels", "shipments", "returns", "invoices", "sender_addresses", "brands",
                  "orders"):  # fmt: skip
        counts[table] = state.store.one(
            f"SELECT COUNT(*) FROM {table} WHERE account_id = ?", (account_id,)
        )[0]
    counts["integrations"] = len(state.accounts.integrations(account_id))
    return json_response(counts)


@bp.get("/accounts/<int:account_id>/orders")
def account_orders(account_id):
    """The account's pushed orders, newest first, as GET /api/v3/orders/{id} renders them."""
    state = _account(account_id)
    orders = state.orders.for_account(account_id, request.args.get("order_number", ""))
    return json_response({"orders": [{**o.render(), "processing": state.orders.busy(o)}
                                     for o in orders]})  # fmt: skip


@bp.route("/orders/settings", methods=["GET", "POST"])
def order_settings():
    """``processing_seconds``: how long a written order stays "being processed" (0: never)."""
    orders = current().orders
    if request.method == "POST":
        body = _body()
        if body.get("processing_seconds") is not None:
            try:
                orders.processing_seconds = float(body["processing_seconds"])
            except (TypeError, ValueError) as exc:
                raise BadRequest(str(exc)) from None
    return json_response({"processing_seconds": orders.processing_seconds})


@bp.post("/accounts/<int:account_id>/seed")
def account_seed(account_id):
    state = _account(account_id)
    return json_response(seed_account(state, account_id, **_seed_args(_body())))


@bp.post("/accounts/<int:account_id>/integrations")
def integration_create(account_id):
    state = _account(account_id)
    integration = state.accounts.create_integration(account_id, _body())
    return json_response({k: v for k, v in integration.items() if k != "account_id"}, 201)


@bp.get("/demo-account")
def demo_account():
    account = current().demo_account()
    if account is None:
        return json_response({"error": "no demo account yet; start `python -m sandbox serve`"}, 404)
    return json_response(account)


@bp.route("/clock", methods=["GET", "POST"])
def clock():
    state = current()
    if request.method == "POST":
        body = _body()
        try:
            if body.get("speed") is not None:
                state.clock.set_speed(float(body["speed"]))
            if body.get("advance") is not None:
                state.clock.advance(float(body["advance"]))
        except (TypeError, ValueError) as exc:
            raise BadRequest(str(exc)) from None
    return json_response(state.clock.state())


@bp.route("/faults", methods=["GET", "POST", "PUT", "DELETE"])
def faults():
    state = current()
    try:
        if request.method == "POST":
            body = _body()
            seed = body.pop("seed", None)
            state.faults.add(body, seed=seed)
        elif request.method == "PUT":
            body = _body()
            state.faults.configure(body.get("faults") or [], seed=body.get("seed"))
        elif request.method == "DELETE":
            state.faults.clear()
    except (TypeError, ValueError) as exc:
        raise BadRequest(str(exc)) from None
    return json_response(state.faults.state())


@bp.route("/rate-limits", methods=["GET", "POST"])
def rate_limits():
    limiter = current().limiter
    if request.method == "POST":
        body = _body()
        if "enabled" in body:
            limiter.enabled = bool(body["enabled"])
        if body.get("reset") or "enabled" in body:
            limiter.reset()
    return json_response(limiter.state())


@bp.post("/parcels/<int:parcel_id>/status")
def parcel_status(parcel_id):
    state = current()
    body = _body()
    stamp = body.get("carrier_status_change_timestamp")
    try:
        parcel = state.set_parcel_status(
            parcel_id, body.get("status"), None if stamp is None else float(stamp) / 1000
        )
    except LookupError:
        return json_response({"error": f"no parcel {parcel_id}"}, 404)
    except (TypeError, ValueError) as exc:
        raise BadRequest(str(exc)) from None
    if not body.get("keep_plan"):
        progression().forget([parcel_id])  # moved by hand: its own journey stops here
    return json_response({"parcel": v2_parcel(state.base_url(), parcel)})


@bp.route("/progression", methods=["GET", "POST"])
def progression_settings():
    """Status progression of created parcels: ``enabled``, ``announce_seconds``,
    ``cancel_seconds``, ``time_scale``, ``exception_rate``, ``seed``."""
    prog = progression()
    if request.method == "POST":
        try:
            return json_response(prog.configure(_body()))
        except (TypeError, ValueError) as exc:
            raise BadRequest(str(exc)) from None
    return json_response(prog.settings())


@bp.post("/progression/run")
def progression_run():
    """Apply every status step that is due on the sandbox clock now."""
    return json_response({"changed": progression().run_due()})


@bp.get("/accounts/<int:account_id>/shipments")
def account_shipments(account_id):
    """Shipments created through the API, newest first, with their parcels' state."""
    state = _account(account_id)
    return json_response({"shipments": created_shipments(state, account_id)})


@bp.get("/webhooks")
def webhooks():
    args = request.args
    items = current().outbox.deliveries(
        status=args.get("status"), action=args.get("action"), limit=args.get("limit", 100)
    )
    return json_response({"deliveries": items})


@bp.post("/webhooks/run")
def webhooks_run():
    return json_response({"results": current().outbox.run_due()})


@bp.route("/partners", methods=["GET", "POST"])
def partner_ids():
    """The partner ids ``Sendcloud-Partner-Id`` accepts; POST ``partner_ids`` replaces them."""
    state = current()
    if request.method == "POST":
        raw = _body().get("partner_ids")
        if not isinstance(raw, list):
            raise BadRequest("partner_ids must be a list of UUIDs")
        ids = [partners.normalise(str(value)) for value in raw]
        if None in ids:
            raise BadRequest("partner_ids must be a list of UUIDs")
        state.partner_ids = ids
    return json_response({"partner_ids": list(state.partner_ids), "header": partners.HEADER})

"""The sandbox WSGI app: ``create_app(storage_path, rate_limits=True, public_base_url=None)``."""

from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException

from . import (
    connect,
    control,
    home,
    panel,
    partners,
    printer_panel,
    service_points,
    v2,
    v2_account,
    v2_labels,
    v2_parcels_update,
    v2_parcels_write,
    v2_returns,
    v3,
    v3_documents,
    v3_integrations,
    v3_orders,
    v3_returns,
    v3_ship_orders,
    v3_shipments,
)
from .errors import empty, error_for_path, generation, v2_error, v3_error
from .faults import FaultMiddleware
from .progression import Progression
from .state import SandboxState, current

UNAUTHORIZED = "Invalid username/password."


def create_app(storage_path, *, rate_limits=True, public_base_url=None) -> Flask:
    app = Flask("sandbox")
    app.json.sort_keys = False
    state = SandboxState(storage_path, rate_limits=rate_limits, public_base_url=public_base_url)
    app.extensions["sandbox"] = state
    app.url_map.strict_slashes = False
    for blueprint, prefix in (
        (v2.bp, "/api/v2"),
        (v2_account.bp, "/api/v2"),
        (v2_returns.bp, "/api/v2"),
        (v2_parcels_write.bp, "/api/v2"),
        (v2_parcels_update.bp, "/api/v2"),
        (v2_labels.bp, "/api/v2"),
        (v3.bp, "/api/v3"),
        (v3_returns.bp, "/api/v3"),
        (v3_integrations.bp, "/api/v3"),
        (v3_orders.bp, "/api/v3"),
        (v3_shipments.bp, "/api/v3"),
        (v3_documents.bp, "/api/v3"),
        (v3_ship_orders.bp, "/api/v3"),
        (service_points.bp, service_points.PREFIX),  # its own host in reality (v2 §5.15)
        (control.bp, "/_sandbox"),
        (connect.bp, ""),
        (panel.bp, ""),
        (printer_panel.bp, ""),
        (home.bp, ""),
    ):
        app.register_blueprint(blueprint, url_prefix=prefix)
    app.extensions["progression"] = Progression(state)
    app.before_request(_gate)
    app.register_error_handler(HTTPException, _http_error)
    app.wsgi_app = FaultMiddleware(app.wsgi_app, state.faults)
    return app


def _gate():
    """Authenticate API calls and apply the account's rate limits."""
    gen = generation()
    if gen is None:
        return None
    state = current()
    auth = request.authorization
    who = None
    if auth is not None and auth.type == "basic":
        who = state.accounts.authenticate(auth.username or "", auth.password or "")
    if who is None:
        headers = {"WWW-Authenticate": "Bearer"}
        if gen == "v2":
            return v2_error(401, UNAUTHORIZED, headers)
        return v3_error(
            401, UNAUTHORIZED, "authentication_failed", source={"pointer": "/data"},
            headers=headers,
        )  # fmt: skip
    g.account_id, g.integration_id = who
    if not state.limiter.allow(g.account_id, request.method):
        return empty(429)  # published behaviour: empty body, no Retry-After
    if gen == "v3" and (refused := partners.v3_check(state)) is not None:
        return refused
    # Statuses move on the sandbox clock even where no background thread runs (in process).
    current_app.extensions["progression"].maybe_run()
    return None


def _http_error(exc: HTTPException):
    if exc.code == 405:
        return error_for_path(405, f'Method "{request.method}" not allowed.', "invalid")
    if exc.code == 404:
        return error_for_path(404, "Not found.")
    return error_for_path(exc.code or 500, exc.description or exc.name, "invalid")

"""Panel API v2: invoices, brands, integrations."""

import json

from flask import Blueprint, Response, g, request

from .errors import json_response, v2_error
from .paging import InvalidCursor, keyset, page_link
from .state import current, v2_integration
from .timefmt import iso_local
from .v2 import invoice_item

bp = Blueprint("v2_account", __name__)
PAGE = 100


@bp.get("/user/invoices")
def invoices():
    state = current()
    rows = state.store.query(
        "SELECT id, data FROM invoices WHERE account_id = ? ORDER BY id", (g.account_id,)
    )
    base = state.base_url()
    return json_response({"invoices": [invoice_item(base, i, json.loads(d)) for i, d in rows]})


@bp.get("/user/invoices/<int:invoice_id>")
def invoice(invoice_id):
    state = current()
    row = state.store.one(
        "SELECT id, data FROM invoices WHERE id = ? AND account_id = ?",
        (invoice_id, g.account_id),
    )
    if row is None:
        return v2_error(404, "No Invoice matches the given query.")
    return json_response(
        {"invoice": invoice_item(state.base_url(), row[0], json.loads(row[1]), detail=True)}
    )


def paged(table_select, where, params, key, key_name, render=None, descending=True,
          render_page=None):  # fmt: skip
    """A v2 cursor page; rows are rendered one by one (``render``) or all at once."""
    state = current()
    try:
        page = keyset(
            state.store.conn(), table_select, where, params, key, PAGE,
            request.args.get("cursor"), descending=descending,
        )  # fmt: skip
    except InvalidCursor:
        return v2_error(404, "Invalid cursor")
    url = f"{state.base_url()}{request.path}"
    return json_response({
        "next": page_link(url, request.args, page.next, True) if page.next else None,
        "previous": page_link(url, request.args, page.previous, True) if page.previous else None,
        key_name: render_page(page.rows) if render_page else [render(row) for row in page.rows],
    })  # fmt: skip


# v2 §5.12 documents `customization_settings` as `{header{…}, footer{…}}` without the inner
# keys; the sandbox sends the two objects empty.
CUSTOMIZATION = {"header": {}, "footer": {}}


def _brand(row) -> dict:
    return {"id": row[0], **json.loads(row[1]), "customization_settings": CUSTOMIZATION}


@bp.get("/brands")
def brands():
    return paged(
        "SELECT id, data FROM brands",
        ["account_id = ?"],
        [g.account_id],
        "id",
        "brands",
        _brand,
        descending=False,
    )


@bp.get("/brands/<int:brand_id>")
def brand(brand_id):
    row = current().store.one(
        "SELECT id, data FROM brands WHERE id = ? AND account_id = ?", (brand_id, g.account_id)
    )
    if row is None:
        return v2_error(404, "No Brand matches the given query.")
    return json_response(_brand(row))


@bp.get("/integrations")
def integrations():
    items = current().accounts.integrations(g.account_id)
    return json_response([v2_integration(i) for i in items])


def _integration(integration_id):
    return current().accounts.integration(g.account_id, integration_id)


@bp.get("/integrations/<int:integration_id>")
def integration(integration_id):
    found = _integration(integration_id)
    if found is None:
        return v2_error(404, "No Integration matches the given query.")
    return json_response(v2_integration(found))


def validate_integration_changes(current_values: dict, changes: dict) -> list[str]:
    """Messages in the panel's ``field: reason`` style; empty when the change is valid."""
    problems = []
    for name in ("webhook_active", "service_point_enabled"):
        if name in changes and changes[name] is None:
            problems.append(f"{name}: This field may not be null.")
    merged = {**current_values, **changes}
    if merged.get("webhook_active") and not merged.get("webhook_url"):
        problems.append("webhook_url: This field may not be null.")
    if merged.get("service_point_enabled") and not merged.get("service_point_carriers"):
        problems.append("service_point_carriers: Select at least one carrier.")
    return problems


@bp.route("/integrations/<int:integration_id>", methods=["PUT", "PATCH"])
def integration_update(integration_id):
    state = current()
    found = _integration(integration_id)
    if found is None:
        return v2_error(404, "No Integration matches the given query.")
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return v2_error(400, "Invalid JSON body.")
    problems = validate_integration_changes(found, changes)
    if problems:
        return v2_error(400, str({"settings": problems}))
    updated = state.accounts.update_integration(found, changes)
    state.emit_integration("integration_updated", updated)
    body = {k: v2_integration(updated)[k] for k in (
        "shop_name", "shop_url", "service_point_enabled", "service_point_carriers",
        "webhook_active", "webhook_url",
    )}  # fmt: skip
    body["last_updated_at"] = iso_local(updated["updated_at"])
    return json_response(body)


@bp.delete("/integrations/<int:integration_id>")
def integration_delete(integration_id):
    state = current()
    found = _integration(integration_id)
    if found is None:
        return v2_error(404, "No Integration matches the given query.")
    state.emit_integration("integration_deleted", found)
    state.accounts.delete_integration(found)
    return Response(status=204)

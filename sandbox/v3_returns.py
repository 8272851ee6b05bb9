"""Panel API v3: returns."""

from flask import Blueprint, Response, g, request

from . import labels_pdf
from . import returns_store as rs
from .errors import json_response
from .paging import InvalidCursor, keyset, page_link
from .progression import progression
from .render_returns import RETURN_COLUMNS, RETURN_SCOPE, Return, v3_return
from .state import current
from .timefmt import parse_plain
from .v3 import invalid_cursor, page_size

bp = Blueprint("v3_returns", __name__)
RETURNS_PAGE = (1, 40, 40)


def _field_error(status, field, message, code):
    """The returns bundle's own error shape: ``{"errors": [{field, message, code}]}``."""
    return json_response({"errors": [{"field": field, "message": message, "code": code}]}, status)


@bp.get("/returns")
def returns():
    state = current()
    args = request.args
    bounds = {}
    for name in ("from_date", "to_date"):
        if not args.get(name):
            return _field_error(400, name, "This field is required.", "required")
        bounds[name] = parse_plain(args[name])
        if bounds[name] is None:
            return _field_error(400, name, "Enter a valid date/time.", "invalid")
    size = page_size(RETURNS_PAGE)
    if size is None:
        return _field_error(400, "page_size", "A valid integer is required.", "invalid")
    where = ["account_id = ?", RETURN_SCOPE, "created_at >= ?", "created_at <= ?"]
    params = [g.account_id, g.integration_id, g.integration_id, bounds["from_date"],
              bounds["to_date"]]  # fmt: skip
    if args.get("parent_parcel_status"):
        where.append("status_slug = ?")
        params.append(args["parent_parcel_status"])
    try:
        page = keyset(
            state.store.conn(), f"SELECT {RETURN_COLUMNS} FROM returns", where, params, "id",
            size, args.get("cursor"),
        )  # fmt: skip
    except InvalidCursor:
        return invalid_cursor()
    base = state.base_url()
    url = f"{base}{request.path}"
    return json_response({
        "next": page_link(url, args, page.next) if page.next else None,
        "previous": page_link(url, args, page.previous) if page.previous else None,
        "data": [v3_return(base, Return(row)) for row in page.rows],
    })  # fmt: skip


@bp.get("/returns/<int:return_id>")
def return_detail(return_id):
    state = current()
    row = state.store.one(
        f"SELECT {RETURN_COLUMNS} FROM returns WHERE id = ? AND account_id = ? AND {RETURN_SCOPE}",
        (return_id, g.account_id, g.integration_id, g.integration_id),
    )
    if row is None:
        return Response(status=404)  # documented without a body
    # Not wrapped in "data", per the schema (reference v3 §10.5).
    return json_response(v3_return(state.base_url(), Return(row)))


# -- writes (reference v3 §10.1–§10.3, §10.6) ---------------------------------------------------


def _checked():
    """The normalised body, or the returns bundle's 400 for its first problem."""
    try:
        return rs.check(request.get_json(silent=True)), None
    except rs.Invalid as problem:
        return None, _field_error(400, problem.field, problem.message, problem.code)


@bp.post("/returns/validate")
def return_validate():
    checked, error = _checked()
    if error:
        return error
    if not rs.postal_code_valid(checked["from_address"]):
        return _field_error(400, "from_address.postal_code",
                            "The postal code you provided is invalid.", "invalid")  # fmt: skip
    if rs.reference_taken(current().store, g.account_id, checked["external_reference"]):
        return _field_error(400, "external_reference", rs.DUPLICATE, "invalid")
    return json_response(rs.validation_echo(checked))


def _create(synchronous: bool):
    state = current()
    checked, error = _checked()
    if error:
        if synchronous and error.status_code == 400:
            return _sync_error("invalid", error.get_json()["errors"][0]["message"])
        return error
    if not rs.postal_code_valid(checked["from_address"]):
        if synchronous:
            # Sync creation answers its carrier errors v2-style (v3 §10.2).
            return _sync_error("invalid_postal_code", "The postal code you provided is invalid.")
        return _field_error(400, "from_address.postal_code",
                            "The postal code you provided is invalid.", "invalid")  # fmt: skip
    try:
        return_id, parcel_id = rs.insert(state, g.account_id, g.integration_id, checked)
    except rs.Invalid as problem:
        if synchronous:
            return _sync_error(problem.code, problem.message)
        return _field_error(400, problem.field, problem.message, problem.code)
    created = rs.load(state, return_id)
    rs.emit_created(state, created)
    rs.emit_status(state, created, created["created_at"])
    rs.schedule(state, return_id, rs.journey_plan(progression().settings()))
    return json_response({"return_id": return_id, "parcel_id": parcel_id, "multi_collo_ids": []},
                         201)  # fmt: skip


def _sync_error(code, message):
    return json_response({"error": {
        "code": code, "request": "api/v2/brand/sandbox/return-portal/outgoing", "message": message,
    }}, 400)  # fmt: skip


@bp.post("/returns")
def return_create():
    return _create(synchronous=False)


@bp.post("/returns/announce-synchronously")
def return_create_synchronously():
    return _create(synchronous=True)


@bp.patch("/returns/<int:return_id>/cancel")
def return_cancel(return_id):
    state = current()
    r = rs.load(state, return_id, g.account_id)
    mine = r and r["data"].get("integration_id") in (None, g.integration_id)
    if not mine:
        return Response(status=404)  # documented without a body, like the detail
    if r["slug"] not in rs.CANCELLABLE:
        return json_response({"errors": [
            {"field": "returns", "code": 409, "message": "Return is not cancellable."}
        ]}, 409)  # fmt: skip
    # Only a request (v3 §10.6): the label is cancelling now and cancelled a while later.
    rs.set_slug(state, return_id, "cancelling")
    rs.schedule(state, return_id, [["cancelled", progression().settings()["cancel_seconds"]]])
    return json_response({"message": "Cancellation requested successfully"}, 202)


def return_label(parcel_id: int):
    """The return's label for ``GET /parcels/{id}/documents/label`` (v3 §10.4: the return's
    ``label.label_printer`` points there), or None when no return of the caller has it."""
    r = rs.by_parcel(current(), parcel_id, g.account_id)
    if r is None or r["data"].get("integration_id") not in (None, g.integration_id):
        return None
    paper = (request.args.get("paper_size") or "A6").upper()
    pdf = labels_pdf.label_pdf([rs.LabelParcel(r)], paper if paper in ("A4", "A5") else "A6")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="label-{parcel_id}.pdf"'},
    )

"""Panel API v3: returns."""

from flask import Blueprint, Response, g, request

from .errors import json_response
from .paging import InvalidCursor, keyset, page_link
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

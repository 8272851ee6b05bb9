"""Panel API v2: returns."""

from flask import Blueprint, g

from .errors import json_response, v2_error
from .render_returns import RETURN_COLUMNS, Return, v2_return
from .state import current
from .v2_account import paged

bp = Blueprint("v2_returns", __name__)


@bp.get("/returns")
def returns():
    base = current().base_url()
    return paged(
        f"SELECT {RETURN_COLUMNS} FROM returns", ["account_id = ?"], [g.account_id], "id",
        "returns", lambda row: v2_return(base, Return(row)),
    )  # fmt: skip


@bp.get("/returns/<int:return_id>")
def return_detail(return_id):
    state = current()
    row = state.store.one(
        f"SELECT {RETURN_COLUMNS} FROM returns WHERE id = ? AND account_id = ?",
        (return_id, g.account_id),
    )
    if row is None:
        return v2_error(404, "The requested resource could not be found")
    return json_response(v2_return(state.base_url(), Return(row)))

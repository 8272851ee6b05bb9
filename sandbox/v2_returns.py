"""Panel API v2: returns."""

import json

from flask import Blueprint, g

from .errors import json_response, v2_error
from .render_parcels import PARCEL_COLUMNS, PARCEL_FROM, Parcel
from .render_returns import RETURN_COLUMNS, RETURN_SCOPE, Return, v2_return
from .state import current
from .v2_account import paged

bp = Blueprint("v2_returns", __name__)


def _render_page(rows) -> list[dict]:
    """v2 returns with their outgoing parcels and brand names, fetched once per page."""
    state = current()
    returns = [Return(row) for row in rows]
    wanted = sorted({r.outgoing_parcel_id for r in returns if r.outgoing_parcel_id})
    parcels = {}
    if wanted:
        sql = (
            f"SELECT {PARCEL_COLUMNS} FROM {PARCEL_FROM} WHERE p.account_id = ?"
            f" AND p.id IN ({','.join('?' * len(wanted))})"
        )
        parcels = {p.id: p for p in map(Parcel, state.store.query(sql, [g.account_id, *wanted]))}
    brands = {
        row[0]: json.loads(row[1])["name"]
        for row in state.store.query(
            "SELECT id, data FROM brands WHERE account_id = ?", (g.account_id,)
        )
    }
    base = state.base_url()
    return [v2_return(base, r, parcels.get(r.outgoing_parcel_id), brands) for r in returns]


@bp.get("/returns")
def returns():
    return paged(
        f"SELECT {RETURN_COLUMNS} FROM returns", ["account_id = ?", RETURN_SCOPE],
        [g.account_id, g.integration_id, g.integration_id], "id", "returns",
        render_page=_render_page,
    )  # fmt: skip


@bp.get("/returns/<int:return_id>")
def return_detail(return_id):
    row = current().store.one(
        f"SELECT {RETURN_COLUMNS} FROM returns WHERE id = ? AND account_id = ? AND {RETURN_SCOPE}",
        (return_id, g.account_id, g.integration_id, g.integration_id),
    )
    if row is None:
        return v2_error(404, "The requested resource could not be found")
    return json_response(_render_page([row])[0])

"""Panel API v3: the Orders API (reference v3 §4) — batch upsert, list, detail, patch, delete."""

from datetime import UTC, datetime

from flask import Blueprint, Response, g, request

from .errors import json_response, v3_error
from .order_schema import validate_order
from .orders_store import (
    ORDER_COLUMNS,
    OrderProblems,
    StillProcessing,
    StoredOrder,
    immutable_problems,
    merge_patch,
)
from .paging import InvalidCursor, keyset, offset_page
from .state import current
from .timefmt import days
from .v3 import bad_page_size, invalid_cursor, link_header, page_size

bp = Blueprint("v3_orders", __name__)
BATCH_MAX = 100
ORDERS_PAGE = (1, 100, 200)
SORT_FIELDS = {
    "integration": "integration_id", "order_number": "order_number",
    "order_created_at": "order_created_at", "order_updated_at": "order_updated_at", "pk": "id",
}  # fmt: skip
PROCESSING = "We are still processing a previous request. Please try again in a moment."


def _errors(items, status=400) -> Response:
    """Several v3 error objects in one body (one per validation problem)."""
    errors = [
        {"status": str(status), "code": code, "detail": detail, "source": {"pointer": pointer}}
        for code, detail, pointer in items
    ]
    return json_response({"errors": errors}, status)


def _processing():
    return v3_error(400, PROCESSING, "invalid", source={"pointer": "/data"})


def _not_found(detail="The order could not be found with the search criteria given"):
    return v3_error(404, detail, "not_found", title="Not found")


def _integration_ids() -> set[int]:
    return {i["id"] for i in current().accounts.integrations(g.account_id)}


def _integration_of(item):
    details = item.get("order_details") if isinstance(item, dict) else None
    integration = details.get("integration") if isinstance(details, dict) else None
    return integration.get("id") if isinstance(integration, dict) else None


def _batch_pointer(index, path) -> str:
    return f"/data/attributes/[{index}]" + (f"/{path}" if path else "")


@bp.post("/orders")
def orders_upsert():
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        return v3_error(
            400, "Wrong request format, expected list of objects", "non_field_errors",
            title="Wrong format",
        )  # fmt: skip
    if len(body) > BATCH_MAX:
        detail = f"Orders list should have at most {BATCH_MAX} items, not {len(body)}"
        return v3_error(400, detail, "invalid", source={"pointer": "/data/attributes/"})
    if not body:
        # Inferred: only the upper bound has a documented message; this mirrors it.
        detail = "Orders list should have at least 1 item, not 0"
        return v3_error(400, detail, "invalid", source={"pointer": "/data/attributes/"})
    orders, problems, known = [], [], _integration_ids()
    for index, item in enumerate(body):
        order, found = validate_order(item)
        orders.append(order)
        integration_id = _integration_of(item)
        if type(integration_id) is int and integration_id not in known:
            message = f"Integration with id {integration_id} does not exist"
            found.append(("order_details/integration", message))
        # The one documented code for these Pydantic-style problems is "invalid" (ALX 400.json).
        problems += [("invalid", msg, _batch_pointer(index, path)) for path, msg in found]
    if problems:
        return _errors(problems)
    try:
        stored = current().orders.upsert(g.account_id, orders, known)
    except OrderProblems as exc:
        return _errors([("invalid", m, _batch_pointer(i, p)) for i, p, m in exc.problems])
    except StillProcessing:
        return _processing()
    return json_response({"data": [order.ref() for order in stored]}, 201)


def _date_bounds(args, name):
    """(conditions, params) for ``name``, ``name_min``, ``name_max`` (whole UTC days)."""
    where, params = [], []
    for suffix, ops in (("", (">=", "<")), ("_min", (">=", None)), ("_max", (None, "<"))):
        raw = args.get(name + suffix)
        if not raw:
            continue
        try:
            day = datetime.strptime(raw.strip(), "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise _BadFilter("invalid", "Enter a valid date.", name + suffix) from None
        if ops[0]:
            where.append(f"{name} {ops[0]} ?")
            params.append(day)
        if ops[1]:
            where.append(f"{name} {ops[1]} ?")
            params.append(day + days(1))
    return where, params


class _BadFilter(Exception):
    def __init__(self, code, detail, parameter, title=None):
        super().__init__(detail)
        self.response = v3_error(400, detail, code, title=title, source={"parameter": parameter})


def _filters():
    args = request.args
    where, params = ["account_id = ?"], [g.account_id]
    if args.get("integration"):
        known = _integration_ids()
        wanted = [x.strip() for x in args["integration"].split(",") if x.strip()]
        for value in wanted:
            if not value.isdigit() or int(value) not in known:
                detail = f"Select a valid choice. {value} is not one of the available choices."
                raise _BadFilter("invalid_choice", detail, "integration", title="Invalid Choice")
        where.append(f"integration_id IN ({','.join('?' * len(wanted))})")
        params += [int(v) for v in wanted]
    for name, column in (("order_number", "order_number"), ("order_id", "order_id"),
                         ("status", "status")):  # fmt: skip
        if args.get(name):
            where.append(f"lower({column}) = lower(?)")
            params.append(args[name])
    for name in ("order_created_at", "order_updated_at"):
        more_where, more_params = _date_bounds(args, name)
        where += more_where
        params += more_params
    return where, params


def _sort() -> list[str]:
    """ORDER BY terms; unknown fields are ignored, contradictions fall back to ``-pk``."""
    terms, seen = [], set()
    for token in (request.args.get("sort") or "").split(","):
        field = SORT_FIELDS.get(token.strip().lstrip("-"))
        if field is None:
            continue
        if field in seen:
            return ["id DESC"]
        seen.add(field)
        terms.append(f"{field} {'DESC' if token.strip().startswith('-') else 'ASC'}")
    return terms or ["id DESC"]


@bp.get("/orders")
def orders_list():
    size = page_size(ORDERS_PAGE)
    if size is None:
        return bad_page_size()
    try:
        where, params = _filters()
    except _BadFilter as exc:
        return exc.response
    terms = _sort()
    conn, cursor = current().store.conn(), request.args.get("cursor")
    select = f"SELECT {ORDER_COLUMNS} FROM orders"
    try:
        if len(terms) == 1 and terms[0].startswith("id "):
            descending = terms[0] == "id DESC"
            page = keyset(conn, select, where, params, "id", size, cursor, descending=descending)
        else:
            page = offset_page(conn, select, where, params, [*terms, "id DESC"], size, cursor)
    except InvalidCursor:
        return invalid_cursor()
    data = [StoredOrder(row).render() for row in page.rows]
    return json_response({"data": data}, headers=link_header(page))


@bp.get("/orders/<order_pk>")
def order_detail(order_pk):
    order = current().orders.get(g.account_id, order_pk)
    if order is None:
        return _not_found()
    return json_response({"data": order.render()})


@bp.patch("/orders/<order_pk>")
def order_patch(order_pk):
    orders = current().orders
    order = orders.get(g.account_id, order_pk)
    if order is None:
        return _not_found("Could not find specified item.")
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return v3_error(400, "Input should be a valid dictionary", "invalid", source={
            "pointer": "order"})  # fmt: skip
    # The one documented PATCH error points at "order/order_details/order_items"; other
    # problems use the same prefix (inferred). ``id`` is read-only: the path names the order.
    changes = {k: v for k, v in changes.items() if k != "id"}
    merged, problems = merge_patch(order.render(), changes)
    if not problems:
        merged, problems = validate_order(merged, patch=True)
    if not problems:
        problems = immutable_problems(order, merged)
    if problems:
        return _errors([("invalid", msg, f"order/{path}".rstrip("/")) for path, msg in problems])
    try:
        merged.pop("id", None)
        return json_response({"data": orders.patch(order, merged).ref()})
    except StillProcessing:
        return _processing()


@bp.delete("/orders/<order_pk>")
def order_delete(order_pk):
    orders = current().orders
    order = orders.get(g.account_id, order_pk)
    if order is None:
        return _not_found()
    try:
        orders.delete(order)
    except StillProcessing:
        return _processing()
    return Response(status=204)

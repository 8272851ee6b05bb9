"""Orders pushed through the v3 Orders API: upsert, patch, delete, render (reference v3 §4).

Saving is asynchronous at Sendcloud: for ``processing_seconds`` (sandbox clock) after a write the
order counts as "being processed", and another write touching it is refused.
"""

import copy
import json

from .timefmt import iso_utc, parse_iso

DEFAULT_PROCESSING_SECONDS = 0.2
ORDER_COLUMNS = (
    "id, account_id, integration_id, order_id, order_number, created_at, modified_at,"
    " busy_until, data"
)


class StillProcessing(Exception):
    """A write touched an order whose previous write is still being saved."""


class OrderProblems(Exception):
    """``(batch index or None, path, message)`` per problem; nothing was stored."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


class StoredOrder:
    def __init__(self, row):
        (self.id, self.account_id, self.integration_id, self.order_id, self.order_number,
         self.created_at, self.modified_at, self.busy_until, data) = row  # fmt: skip
        self.data = json.loads(data)

    def ref(self) -> dict:
        """What POST and PATCH answer per order (``id`` an integer there)."""
        return {"id": self.id, "order_id": self.order_id, "order_number": self.order_number}

    def render(self) -> dict:
        """The order as GET answers it: ``id`` a string, Sendcloud's timestamps added."""
        out = {
            "id": str(self.id),
            "order_id": self.order_id,
            "order_number": self.order_number,
            "created_at": iso_utc(self.created_at),
            "modified_at": iso_utc(self.modified_at),
        }
        out.update({k: v for k, v in self.data.items() if k not in out})
        return out


class Orders:
    def __init__(self, store, clock):
        self.store = store
        self.clock = clock
        self._processing = None

    # -- settings ----------------------------------------------------------------------------

    @property
    def processing_seconds(self) -> float:
        if self._processing is None:
            self._processing = float(
                self.store.get_meta("orders_processing_seconds", DEFAULT_PROCESSING_SECONDS)
            )
        return self._processing

    @processing_seconds.setter
    def processing_seconds(self, seconds: float):
        seconds = float(seconds)
        if not 0 <= seconds <= 3600:
            raise ValueError("processing_seconds must be between 0 and 3600")
        self.store.set_meta("orders_processing_seconds", seconds)
        self._processing = seconds

    # -- reads -------------------------------------------------------------------------------

    def get(self, account_id: int, order_pk, conn=None) -> StoredOrder | None:
        if not str(order_pk).isdigit():
            return None
        row = (
            (conn or self.store.conn())
            .execute(
                f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = ? AND account_id = ?",
                (int(order_pk), account_id),
            )
            .fetchone()
        )
        return StoredOrder(row) if row else None

    def _by_key(self, conn, integration_id: int, order_id: str) -> StoredOrder | None:
        row = conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE integration_id = ? AND order_id = ?",
            (integration_id, order_id),
        ).fetchone()
        return StoredOrder(row) if row else None

    def for_account(self, account_id: int, search: str = "", limit: int = 500) -> list:
        """Newest first; ``search`` matches part of the order number, case-insensitively."""
        sql = f"SELECT {ORDER_COLUMNS} FROM orders WHERE account_id = ?"
        params = [account_id]
        if search:
            sql += " AND lower(order_number) LIKE ? ESCAPE '\\'"
            escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        rows = self.store.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
        return [StoredOrder(row) for row in rows]

    def busy(self, order: StoredOrder) -> bool:
        return order.busy_until > self.clock.now()

    # -- writes ------------------------------------------------------------------------------

    def upsert(self, account_id: int, orders: list[dict], integration_ids: set[int]) -> list:
        """Create or update every order of a batch, or none (raises OrderProblems or
        StillProcessing). Returns the stored orders in input order."""
        now = self.clock.now()
        with self.store.write() as conn:
            problems, busy, written = [], False, []
            for index, order in enumerate(orders):
                target, found = self._target(conn, account_id, order, integration_ids)
                problems += [(index, path, message) for path, message in found]
                if problems:
                    continue
                if target and target.busy_until > now and target.id not in written:
                    busy = True
                    continue
                written.append(self._write(conn, account_id, order, target, now))
            if problems:
                raise OrderProblems(problems)
            if busy:
                raise StillProcessing()
            return [self.get(account_id, pk, conn) for pk in written]

    def _target(self, conn, account_id, order, integration_ids):
        """(existing order or None, problems) for one valid order of a batch."""
        integration_id = order["order_details"]["integration"]["id"]
        if integration_id not in integration_ids:
            message = f"Integration with id {integration_id} does not exist"
            return None, [("order_details/integration", message)]
        if order.get("id") is None:
            return self._by_key(conn, integration_id, order["order_id"]), []
        target = self.get(account_id, order["id"], conn)
        if target is None:
            # Inferred: the reference gives no message for an unknown upsert target.
            return None, [("id", f"Order with id {order['id']} does not exist")]
        problems = immutable_problems(target, order)
        return target, problems

    def _write(self, conn, account_id, order, target, now) -> int:
        doc = {k: v for k, v in order.items() if k != "id"}
        details = doc["order_details"]
        columns = (
            details["integration"]["id"], doc["order_id"], doc["order_number"],
            details["status"]["code"], parse_iso(details["order_created_at"]),
            parse_iso(details["order_updated_at"]) if details.get("order_updated_at") else None,
            now + self.processing_seconds, json.dumps(doc),
        )  # fmt: skip
        if target is None:
            pk = self.store.next_ids(conn, "orders")
            conn.execute(
                "INSERT INTO orders (integration_id, order_id, order_number, status,"
                " order_created_at, order_updated_at, busy_until, data, id, account_id,"
                " created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*columns, pk, account_id, now, now),
            )
            return pk
        conn.execute(
            "UPDATE orders SET integration_id = ?, order_id = ?, order_number = ?, status = ?,"
            " order_created_at = ?, order_updated_at = ?, busy_until = ?, data = ?,"
            " modified_at = ? WHERE id = ?",
            (*columns, now, target.id),
        )
        return target.id

    def _check_idle(self, conn, order: StoredOrder, now: float):
        row = conn.execute("SELECT busy_until FROM orders WHERE id = ?", (order.id,)).fetchone()
        if row and row[0] > now:
            raise StillProcessing()

    def patch(self, order: StoredOrder, merged: dict) -> StoredOrder:
        """Store a merged, validated order; raises StillProcessing."""
        now = self.clock.now()
        with self.store.write() as conn:
            self._check_idle(conn, order, now)
            self._write(conn, order.account_id, merged, order, now)
            return self.get(order.account_id, order.id, conn)

    def delete(self, order: StoredOrder):
        """Raises StillProcessing."""
        with self.store.write() as conn:
            self._check_idle(conn, order, self.clock.now())
            conn.execute("DELETE FROM orders WHERE id = ?", (order.id,))


def immutable_problems(target: StoredOrder, order: dict) -> list[tuple[str, str]]:
    """``order_id`` and the integration form the upsert key; neither may change."""
    problems = []
    if order["order_id"] != target.order_id:
        problems.append(("order_id", f"Order id {target.order_id} cannot be changed"))
    if order["order_details"]["integration"]["id"] != target.integration_id:
        # Inferred: not documented; moving an order would break the upsert key.
        message = f"Integration of order {target.id} cannot be changed"
        problems.append(("order_details/integration", message))
    return problems


def merge_patch(doc: dict, changes: dict) -> tuple[dict, list[tuple[str, str]]]:
    """``doc`` with ``changes`` applied: objects merge key by key, other values replace.

    PATCH order items update the stored item with the same ``item_id``; an item that matches
    none is refused with the reference's "Could not find specified item." (inferred matching).
    """
    merged = copy.deepcopy(doc)
    for key, value in changes.items():
        if key == "order_details" and isinstance(value, dict):
            details = merged.setdefault("order_details", {})
            for name, new in value.items():
                if name == "order_items" and isinstance(new, list):
                    items = _merge_items(details.get("order_items") or [], new)
                    if items is None:
                        return merged, [("order_details/order_items", "Could not find "
                                         "specified item.")]  # fmt: skip
                    details[name] = items
                else:
                    details[name] = _merge(details.get(name), new)
        else:
            merged[key] = _merge(merged.get(key), value)
    return merged, []


def _merge(old, new):
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for key, value in new.items():
            out[key] = _merge(old.get(key), value)
        return out
    return copy.deepcopy(new)


def _merge_items(items: list, changes: list) -> list | None:
    out = copy.deepcopy(items)
    for change in changes:
        item_id = change.get("item_id") if isinstance(change, dict) else None
        match = next((i for i in out if item_id and i.get("item_id") == item_id), None)
        if match is None:
            return None
        match.update(_merge(match, change))
    return out

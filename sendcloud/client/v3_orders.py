"""v3 orders and Ship-an-Order calls (v3 §4, §5) and the v2→v3 method-id mapping (§8.4)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from .errors import InvalidResponse
from .pagination import Page, items_at, iter_items, iter_pages, link_header_next
from .parsers import parse_label_results, parse_order, parse_order_ref
from .transport import Transport
from .types import LabelResult, Order, OrderRef

PREFIX = "/api/v3"
ORDERS_BATCH_MAX = 100
ORDERS_PAGE_MAX = 200
LABELS_ASYNC_MAX = 20
COMPAT_IDS_MAX = 100


def _data(body: Any, what: str) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        raise InvalidResponse(f"expected a `data` envelope for {what}")
    return body["data"]


def _seg(value: Any) -> str:
    """A path segment from an id we did not make (shipment ids, tracking numbers)."""
    return quote(str(value), safe="")


def _page_size(value: int, maximum: int) -> int:
    return max(1, min(int(value), maximum))


class OrdersApi:
    _t: Transport

    # -- orders --------------------------------------------------------------------------------
    def orders_pages(
        self, *, page_size: int = 100, resume: str | None = None, **filters: Any
    ) -> Iterator[Page[Order]]:
        params = {**filters, "page_size": _page_size(page_size, ORDERS_PAGE_MAX)}
        return iter_pages(
            self._t,
            PREFIX + "/orders",
            params,
            extract=items_at("data"),
            parse=parse_order,
            next_link=link_header_next,
            resume=resume,
        )

    def orders(self, **filters: Any) -> Iterator[Order]:
        return iter_items(self.orders_pages(**filters))

    def order(self, order_id: int | str) -> Order:
        return parse_order(self._get(f"/orders/{_seg(order_id)}"))

    def orders_upsert(self, orders: list[Mapping[str, Any]]) -> list[OrderRef]:
        """`POST /orders`, all or nothing. An upsert keyed on order_id + integration, so sending
        it again converges: that is why it may be retried like a read."""
        if not 1 <= len(orders) <= ORDERS_BATCH_MAX:
            raise ValueError(f"a batch holds 1 to {ORDERS_BATCH_MAX} orders, got {len(orders)}")
        response = self._t.request(
            "POST", PREFIX + "/orders", json=[dict(o) for o in orders], idempotent=True
        )
        items = _data(response.data, "order upsert")
        if not isinstance(items, list):
            raise InvalidResponse("expected a list of order references")
        return [parse_order_ref(i) for i in items]

    def order_update(self, order_id: int | str, body: Mapping[str, Any]) -> OrderRef:
        """`PATCH /orders/{id}` (partial). A PATCH to the same state converges, but it is not
        retried blind: a concurrent change by the shop could be overwritten by a stale replay."""
        response = self._t.request("PATCH", f"{PREFIX}/orders/{_seg(order_id)}", json=dict(body))
        return parse_order_ref(_data(response.data, "order update"))

    def order_delete(self, order_id: int | str) -> None:
        self._t.request("DELETE", f"{PREFIX}/orders/{_seg(order_id)}")

    def orders_create_label_sync(self, body: Mapping[str, Any]) -> list[LabelResult]:
        """Label for one stored order, bytes inline. Never retried blind (paid label).

        A list: the schema promises one object, the official example returns a list (v3 §5.2),
        so whatever arrives is handed on rather than guessing which entry is "the" label.
        """
        response = self._t.request("POST", PREFIX + "/orders/create-label-sync", json=dict(body))
        results, _errors = parse_label_results(response.data)
        if not results:
            raise InvalidResponse("label creation answered without a label result")
        return results

    def orders_create_labels_async(
        self, body: Mapping[str, Any]
    ) -> tuple[list[LabelResult], list[dict[str, Any]]]:
        """Labels for up to 20 orders; partial success: (accepted shipments, per-order errors)."""
        orders = body.get("orders")
        if isinstance(orders, list) and not 1 <= len(orders) <= LABELS_ASYNC_MAX:
            raise ValueError(f"1 to {LABELS_ASYNC_MAX} orders per call, got {len(orders)}")
        response = self._t.request("POST", PREFIX + "/orders/create-labels-async", json=dict(body))
        return parse_label_results(response.data)

    def compat_shipping_options(self, method_ids: list[int]) -> dict[int, str | None]:
        """v2 shipping-method ids → v3 option codes (None: no equivalent). Computes only."""
        if not 1 <= len(method_ids) <= COMPAT_IDS_MAX:
            raise ValueError(f"1 to {COMPAT_IDS_MAX} ids per call, got {len(method_ids)}")
        response = self._t.request(
            "POST",
            PREFIX + "/compat/shipping-options",
            json={"shipping_method_ids": [int(i) for i in method_ids]},
            idempotent=True,
        )
        mapping = _data(response.data, "compat shipping options")
        if not isinstance(mapping, dict):
            raise InvalidResponse("expected an object mapping ids to codes")
        # The official example writes the string "null" for "no equivalent" (v3 §8.4).
        return {
            int(k): (v if isinstance(v, str) and v and v != "null" else None)
            for k, v in mapping.items()
            if str(k).isdigit()
        }

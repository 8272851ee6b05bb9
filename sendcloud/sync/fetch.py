"""List reads for the Abgleich that tolerate a malformed object.

The client's list methods parse a whole page at once, so one unreadable object would fail the
page. These iterators use the same client pieces (transport, pagination, parsers) but parse
object by object and hand back a `Malformed` marker instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sendcloud.client import InvalidResponse, SendcloudClient
from sendcloud.client.pagination import body_next, items_at, iter_pages, link_header_next
from sendcloud.client.parsers import (
    parse_brand,
    parse_invoice,
    parse_return,
    parse_sender_address_v3,
    parse_shipment,
    parse_shipping_option,
)

from .base import Batch, Malformed

PAGE_SIZE_SHIPMENTS = 100
PAGE_SIZE_SENDERS = 100
PAGE_SIZE_RETURNS = 40
READ_ERRORS = (InvalidResponse, ValueError, TypeError, KeyError, AttributeError, ArithmeticError)


def tolerant(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse_or_mark(item: Any) -> Any:
        try:
            return parse(item)
        except READ_ERRORS as exc:
            return Malformed(item, str(exc) or type(exc).__name__)

    return parse_or_mark


def _batches(pages) -> Iterator[Batch]:
    for page in pages:
        yield Batch(page.items, page.next_token)


def sender_addresses(client: SendcloudClient, token: str | None) -> Iterator[Batch]:
    """v3 `GET /addresses/sender-addresses` (§18: v3 for sender addresses)."""
    return _batches(
        iter_pages(
            client.transport,
            "/api/v3/addresses/sender-addresses",
            {"page_size": PAGE_SIZE_SENDERS},
            extract=items_at("data"),
            parse=tolerant(parse_sender_address_v3),
            next_link=link_header_next,
            resume=token,
        )
    )


def brands(client: SendcloudClient, token: str | None) -> Iterator[Batch]:
    """v2 `GET /brands` (there is no v3 brands API)."""
    return _batches(
        iter_pages(
            client.transport,
            "/api/v2/brands",
            None,
            extract=items_at("brands"),
            parse=tolerant(parse_brand),
            next_link=body_next,
            resume=token,
        )
    )


def shipments(
    client: SendcloudClient,
    token: str | None,
    *,
    updated_after: datetime | None = None,
    integration_id: int | None = None,
) -> Iterator[Batch]:
    """v3 `GET /shipments`, newest first; `updated_after` for incremental walks.

    `integration_id` keeps the list to that integration's shipments: the reference scopes the
    list to the calling credentials (v3 §6.5), but a connector has seen every shipment of the
    account there, and a shipment names no integration to filter on afterwards."""
    params = {"page_size": PAGE_SIZE_SHIPMENTS}
    if integration_id is not None:
        params["integration_id"] = integration_id
    if updated_after is not None:
        params["updated_after"] = updated_after.astimezone(UTC).isoformat()
    return _batches(
        iter_pages(
            client.transport,
            "/api/v3/shipments",
            params,
            extract=items_at("data"),
            parse=tolerant(parse_shipment),
            next_link=link_header_next,
            resume=token,
        )
    )


def returns(
    client: SendcloudClient, token: str | None, *, created_from: datetime | None = None
) -> Iterator[Batch]:
    """v3 `GET /returns`; both dates are required, a missing start means everything."""
    start = created_from or datetime(2010, 1, 1, tzinfo=UTC)
    params = {
        "from_date": start.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "to_date": (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
        "page_size": PAGE_SIZE_RETURNS,
    }
    return _batches(
        iter_pages(
            client.transport,
            "/api/v3/returns",
            params,
            extract=items_at("data"),
            parse=tolerant(parse_return),
            next_link=body_next,
            resume=token,
        )
    )


def invoices(client: SendcloudClient) -> Batch:
    """v2 `GET /user/invoices` (one unpaginated list; v3 invoices are beta, §18)."""
    body = client.transport.request("GET", "/api/v2/user/invoices").data
    items = body.get("invoices") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise InvalidResponse("expected a list of invoices", path="/api/v2/user/invoices")
    return Batch([tolerant(parse_invoice)(item) for item in items], None)


def shipping_options(client: SendcloudClient, *, returns: bool) -> Batch:
    """v3 `POST /shipping-options` without filters: every option of the account's contracts.

    Return options only come back when asked for with the `returns` functionality."""
    body = {"functionalities": {"returns": True}} if returns else {}
    response = client.transport.request(
        "POST", "/api/v3/shipping-options", json=body, idempotent=True
    )
    data = response.data if isinstance(response.data, dict) else None
    if data is None:
        raise InvalidResponse("expected an object", path="/api/v3/shipping-options")
    items = data.get("data") or []
    if not isinstance(items, list):
        raise InvalidResponse("`data` is not a list", path="/api/v3/shipping-options")
    return Batch([tolerant(parse_shipping_option)(item) for item in items], None)

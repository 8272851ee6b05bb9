"""Calls of the Sendcloud panel API v3 (reference `sendcloud-api-v3.md`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ._values import comma_list, format_query_datetime
from .errors import InvalidResponse
from .pagination import (
    Page,
    body_next,
    items_at,
    iter_items,
    iter_pages,
    link_header_next,
    marking,
)
from .parsers import (
    parse_auth_metadata,
    parse_cancel_result,
    parse_integration_v3,
    parse_return,
    parse_return_created,
    parse_sender_address_v3,
    parse_shipment,
    parse_shipping_option,
    parse_shipping_options,
    parse_status_v3,
    parse_tracking,
    shipping_options_body,
)
from .transport import Transport
from .types import (
    AuthMetadata,
    CancelResult,
    Integration,
    Return,
    ReturnCreated,
    SenderAddress,
    Shipment,
    ShippingOptionsQuery,
    ShippingOptionsResult,
    StatusV3,
    Tracking,
)
from .v2 import _integration_fields
from .v3_orders import OrdersApi, _data, _page_size, _seg

PREFIX = "/api/v3"
SHIPMENTS_PAGE_MAX = 100
SENDER_ADDRESSES_PAGE_MAX = 100
RETURNS_PAGE_MAX = 40
# `GET /returns` requires both dates; without a caller's range we ask for everything since this
# date up to tomorrow (Sendcloud launched long after it).
RETURNS_EPOCH = datetime(2010, 1, 1, tzinfo=UTC)


def _returns_date(value: datetime | date | str) -> str:
    """`YYYY-MM-DD HH:MM:SS` as the returns filters want (v3 §3.4); aware values go to UTC."""
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S")


class V3Api(OrdersApi):
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._t.request("GET", PREFIX + path, params=params).data

    # -- account and integrations ------------------------------------------------------------
    def auth_metadata(self) -> AuthMetadata:
        return parse_auth_metadata(self._get("/user/auth/metadata"))

    def integrations(self, *, sort: str | None = None) -> list[Integration]:
        items = _data(self._get("/integrations", {"sort": sort}), "integrations")
        if not isinstance(items, list):
            raise InvalidResponse("expected a list of integrations")
        return [parse_integration_v3(i) for i in items]

    def integration(self, integration_id: int) -> Integration:
        return parse_integration_v3(self._get(f"/integrations/{int(integration_id)}"))

    def integration_update(self, integration_id: int, **fields: Any) -> None:
        """`PATCH /integrations/{id}` → 204. Allowed: shop_name, shop_url, service_point_enabled,
        service_point_carriers, webhook_active, webhook_url, feedback_type."""
        body = _integration_fields(fields, allow_feedback_type=True)
        self._t.request("PATCH", f"{PREFIX}/integrations/{int(integration_id)}", json=body)

    # -- sender addresses --------------------------------------------------------------------
    def sender_addresses_pages(
        self,
        *,
        page_size: int = SENDER_ADDRESSES_PAGE_MAX,
        resume: str | None = None,
        tolerant: bool = False,
    ) -> Iterator[Page[SenderAddress]]:
        return iter_pages(
            self._t,
            PREFIX + "/addresses/sender-addresses",
            {"page_size": _page_size(page_size, SENDER_ADDRESSES_PAGE_MAX)},
            extract=items_at("data"),
            parse=parse_sender_address_v3,
            next_link=link_header_next,
            resume=resume,
            tolerant=tolerant,
        )

    def sender_addresses(self) -> Iterator[SenderAddress]:
        return iter_items(self.sender_addresses_pages())

    def sender_address(self, address_id: int) -> SenderAddress:
        return parse_sender_address_v3(self._get(f"/addresses/sender-addresses/{int(address_id)}"))

    # -- shipping options and statuses ---------------------------------------------------------
    def shipping_options(
        self,
        query: ShippingOptionsQuery | Mapping[str, Any] | None = None,
        *,
        tolerant: bool = False,
    ) -> ShippingOptionsResult:
        """`POST /shipping-options`: a POST that only computes, so it is retried like a read.
        `tolerant`: an option that cannot be read comes back as `Malformed`."""
        if query is None:
            body: dict[str, Any] = {}
        elif isinstance(query, ShippingOptionsQuery):
            body = shipping_options_body(query)
        else:
            body = dict(query)
        response = self._t.request("POST", PREFIX + "/shipping-options", json=body, idempotent=True)
        parse = marking(parse_shipping_option) if tolerant else parse_shipping_option
        return parse_shipping_options(response.data, parse)

    def parcel_statuses(self) -> list[StatusV3]:
        items = _data(self._get("/parcels/statuses"), "parcel statuses")
        if not isinstance(items, list):
            raise InvalidResponse("expected a list of parcel statuses")
        return [parse_status_v3(s) for s in items]

    # -- shipments ---------------------------------------------------------------------------
    def shipments_pages(
        self,
        *,
        updated_after: datetime | str | None = None,
        updated_before: datetime | str | None = None,
        announced_after: datetime | str | None = None,
        announced_before: datetime | str | None = None,
        ids: Iterable[int] | None = None,
        shipment_uuids: Iterable[str] | None = None,
        parcel_status: str | int | None = None,
        tracking_number: str | None = None,
        external_reference_id: str | None = None,
        order_number: str | None = None,
        integration_id: int | None = None,
        page_size: int = SHIPMENTS_PAGE_MAX,
        resume: str | None = None,
        tolerant: bool = False,
    ) -> Iterator[Page[Shipment]]:
        """Shipments of this integration. `ids` are *parcel* ids, `shipment_uuids` shipment ids."""
        params = {
            "updated_after": format_query_datetime(updated_after) if updated_after else None,
            "updated_before": format_query_datetime(updated_before) if updated_before else None,
            "announced_after": format_query_datetime(announced_after) if announced_after else None,
            "announced_before": (
                format_query_datetime(announced_before) if announced_before else None
            ),
            "ids": comma_list(ids, "parcel ids"),
            "shipment_uuids": comma_list(shipment_uuids, "shipment ids"),
            "parcel_status": parcel_status,
            "tracking_number": tracking_number,
            "external_reference_id": external_reference_id,
            "order_number": order_number,
            "integration_id": integration_id,
            "page_size": _page_size(page_size, SHIPMENTS_PAGE_MAX),
        }
        return iter_pages(
            self._t,
            PREFIX + "/shipments",
            params,
            extract=items_at("data"),
            parse=parse_shipment,
            next_link=link_header_next,
            resume=resume,
            tolerant=tolerant,
        )

    def shipments(self, **filters: Any) -> Iterator[Shipment]:
        return iter_items(self.shipments_pages(**filters))

    def shipment(self, shipment_id: str) -> Shipment:
        return parse_shipment(self._get(f"/shipments/{_seg(shipment_id)}"))

    def shipment_cancel(self, shipment_id: str) -> CancelResult:
        """Cancels the whole shipment; 200 cancelled, 202 queued, 409 raises Conflict."""
        response = self._t.request("POST", f"{PREFIX}/shipments/{_seg(shipment_id)}/cancel")
        return parse_cancel_result(response.data, response.status)

    def shipment_announce(self, body: Mapping[str, Any]) -> Shipment:
        """`POST /shipments/announce` (sync). Never retried blind: a lost answer may hide a paid
        label, so on a timeout look the shipment up by `external_reference_id` first."""
        response = self._t.request("POST", PREFIX + "/shipments/announce", json=dict(body))
        return parse_shipment(response.data)

    def shipment_create(self, body: Mapping[str, Any]) -> Shipment:
        """`POST /shipments` (async; parcels come back ANNOUNCING). Not retried blind either."""
        response = self._t.request("POST", PREFIX + "/shipments", json=dict(body))
        return parse_shipment(response.data)

    # -- returns -----------------------------------------------------------------------------
    def returns_pages(
        self,
        *,
        from_date: datetime | date | str | None = None,
        to_date: datetime | date | str | None = None,
        parent_parcel_status: str | None = None,
        page_size: int = RETURNS_PAGE_MAX,
        resume: str | None = None,
        tolerant: bool = False,
    ) -> Iterator[Page[Return]]:
        """Returns list; paging links are in the body (v3 §10.4). Both dates are required by
        Sendcloud, so a missing one defaults to an all-covering range."""
        params = {
            "from_date": _returns_date(from_date or RETURNS_EPOCH),
            "to_date": _returns_date(to_date or datetime.now(UTC) + timedelta(days=1)),
            "parent_parcel_status": parent_parcel_status,
            "page_size": _page_size(page_size, RETURNS_PAGE_MAX),
        }
        return iter_pages(
            self._t,
            PREFIX + "/returns",
            params,
            extract=items_at("data"),
            parse=parse_return,
            next_link=body_next,
            resume=resume,
            tolerant=tolerant,
        )

    def returns(self, **filters: Any) -> Iterator[Return]:
        return iter_items(self.returns_pages(**filters))

    def return_(self, return_id: int) -> Return:
        parsed = parse_return(self._get(f"/returns/{int(return_id)}"))
        if parsed.id is None:  # the schema has no id field (v3 §10.4); we asked for this one
            parsed = replace(parsed, id=int(return_id))
        return parsed

    def return_create(self, body: Mapping[str, Any], *, synchronous: bool = False) -> ReturnCreated:
        """`POST /returns` (or `/returns/announce-synchronously`, which waits for the carrier).
        Not retried blind; `external_reference` makes a lookup possible."""
        path = "/returns/announce-synchronously" if synchronous else "/returns"
        response = self._t.request("POST", PREFIX + path, json=dict(body))
        return parse_return_created(response.data)

    def return_cancel(self, return_id: int) -> CancelResult:
        """Only a request (202); carriers may still refuse upstream."""
        response = self._t.request("PATCH", f"{PREFIX}/returns/{int(return_id)}/cancel")
        return parse_cancel_result(response.data, response.status)

    # -- tracking (documents: `client.labels_v3`) -----------------------------------------------
    def tracking(self, tracking_number: str) -> Tracking:
        return parse_tracking(self._get(f"/parcels/tracking/{_seg(tracking_number)}"))

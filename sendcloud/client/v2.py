"""Calls of the Sendcloud panel API v2 (reference `sendcloud-api.md`) and service-points host."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from ._values import comma_list, format_query_datetime
from .errors import InvalidResponse, NotFound
from .pagination import Page, body_next, items_at, iter_items, iter_pages, marking
from .parsers import (
    parse_brand,
    parse_cancel_result,
    parse_integration_v2,
    parse_invoice,
    parse_parcel_v2,
    parse_sender_address_v2,
    parse_shipping_method,
    parse_status_v2,
    parse_user,
)
from .service_points import ServicePointsApi
from .transport import Transport
from .types import (
    INTEGRATION_UPDATE_FIELDS,
    Brand,
    CancelResult,
    Carrier,
    Integration,
    Invoice,
    ParcelV2,
    SenderAddress,
    ServicePoint,
    ShippingMethod,
    StatusV2,
    User,
)

PREFIX = "/api/v2"
# The method list can be huge and slow (1.4 MB for 345 methods; WEB uses 60 s), v2 §5.3.
SHIPPING_METHODS_READ_TIMEOUT = 60.0


def _list(body: Any, key: str | None, what: str) -> list:
    data = body.get(key) if key is not None and isinstance(body, dict) else body
    if not isinstance(data, list):
        raise InvalidResponse(f"expected a list of {what}")
    return data


class V2Api:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def _get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self._t.request("GET", PREFIX + path, params=params, **kwargs).data

    # -- account ---------------------------------------------------------------------------
    def user(self) -> User:
        return parse_user(self._get("/user"))

    def invoices(self, *, tolerant: bool = False) -> list[Invoice]:
        """`GET /user/invoices` (not paginated); `tolerant` as for page iterators."""
        parse = marking(parse_invoice) if tolerant else parse_invoice
        return [parse(i) for i in _list(self._get("/user/invoices"), "invoices", "invoices")]

    def invoice(self, invoice_id: int) -> Invoice:
        return parse_invoice(self._get(f"/user/invoices/{int(invoice_id)}"))

    def sender_addresses(self) -> list[SenderAddress]:
        body = self._get("/user/addresses/sender")
        return [parse_sender_address_v2(a) for a in _list(body, "sender_addresses", "addresses")]

    def sender_address(self, address_id: int) -> SenderAddress:
        return parse_sender_address_v2(self._get(f"/user/addresses/sender/{int(address_id)}"))

    # -- brands ----------------------------------------------------------------------------
    def brands_pages(
        self, *, resume: str | None = None, tolerant: bool = False
    ) -> Iterator[Page[Brand]]:
        return iter_pages(
            self._t,
            PREFIX + "/brands",
            None,
            extract=items_at("brands"),
            parse=parse_brand,
            next_link=body_next,
            resume=resume,
            tolerant=tolerant,
        )

    def brands(self) -> Iterator[Brand]:
        return iter_items(self.brands_pages())

    def brand(self, brand_id: int) -> Brand:
        return parse_brand(self._get(f"/brands/{int(brand_id)}"))

    # -- integrations ----------------------------------------------------------------------
    def integrations(self) -> list[Integration]:
        return [
            parse_integration_v2(i) for i in _list(self._get("/integrations"), None, "integrations")
        ]

    def integration(self, integration_id: int) -> Integration:
        return parse_integration_v2(self._get(f"/integrations/{int(integration_id)}"))

    def integration_update(self, integration_id: int, **fields: Any) -> Integration:
        """`PATCH /integrations/{id}`; the answer echoes the updatable fields only."""
        body = _integration_fields(fields, allow_feedback_type=False)
        response = self._t.request(
            "PATCH", f"{PREFIX}/integrations/{int(integration_id)}", json=body
        )
        data = response.data if isinstance(response.data, dict) else {}
        return parse_integration_v2({"id": int(integration_id), **data})

    # -- shipping methods and statuses ------------------------------------------------------
    def shipping_methods_pages(
        self,
        *,
        sender_address: int | str | None = "all",
        is_return: bool | None = None,
        to_country: str | None = None,
        from_postal_code: str | None = None,
        to_postal_code: str | None = None,
        service_point_id: int | None = None,
        resume: str | None = None,
    ) -> Iterator[Page[ShippingMethod]]:
        """Without `sender_address` Sendcloud only considers the default sender's country, hence
        the default "all". Without `limit` the whole list comes in one page (no `next` key)."""
        params = {
            "sender_address": sender_address,
            "is_return": True if is_return else None,
            "to_country": to_country,
            "from_postal_code": from_postal_code,
            "to_postal_code": to_postal_code,
            "service_point_id": service_point_id,
        }
        transport = _SlowReads(self._t, SHIPPING_METHODS_READ_TIMEOUT)
        return iter_pages(
            transport,
            PREFIX + "/shipping_methods",
            params,  # type: ignore[arg-type]
            extract=items_at("shipping_methods"),
            parse=parse_shipping_method,
            next_link=body_next,
            resume=resume,
        )

    def shipping_methods(self, **filters: Any) -> Iterator[ShippingMethod]:
        return iter_items(self.shipping_methods_pages(**filters))

    def shipping_method(self, method_id: int, **filters: Any) -> ShippingMethod:
        return parse_shipping_method(self._get(f"/shipping_methods/{int(method_id)}", filters))

    def parcel_statuses(self) -> list[StatusV2]:
        return [parse_status_v2(s) for s in _list(self._get("/parcels/statuses"), None, "statuses")]

    # -- parcels ---------------------------------------------------------------------------
    def parcels_pages(
        self,
        *,
        updated_after: datetime | str | None = None,
        announced_after: datetime | str | None = None,
        parcel_status: int | None = None,
        tracking_number: str | None = None,
        external_reference: str | None = None,
        order_number: str | None = None,
        ids: Iterable[int] | None = None,
        resume: str | None = None,
    ) -> Iterator[Page[ParcelV2]]:
        """Parcels of this integration, newest id first, 100 per page (observed, v2 §3.3)."""
        params = {
            "updated_after": format_query_datetime(updated_after) if updated_after else None,
            "announced_after": format_query_datetime(announced_after) if announced_after else None,
            "parcel_status": parcel_status,
            "tracking_number": tracking_number,
            "external_reference": external_reference,
            "order_number": order_number,
            "ids": comma_list(None if ids is None else [int(i) for i in ids], "ids"),
        }
        return iter_pages(
            self._t,
            PREFIX + "/parcels",
            params,
            extract=items_at("parcels"),
            parse=parse_parcel_v2,
            next_link=body_next,
            resume=resume,
        )

    def parcels(self, **filters: Any) -> Iterator[ParcelV2]:
        return iter_items(self.parcels_pages(**filters))

    def parcel(self, parcel_id: int) -> ParcelV2:
        return parse_parcel_v2(self._get(f"/parcels/{int(parcel_id)}"))

    def parcels_create(
        self, body: dict[str, Any], *, errors: str | None = "verbose-carrier"
    ) -> list[ParcelV2]:
        """v2 `POST /parcels` with `{"parcel": ...}` or `{"parcels": [...]}` (closed to accounts
        created after 2026-04-13). Not retried blind: `external_reference` identifies a parcel
        so a caller can look it up after a timeout instead of buying a second label."""
        response = self._t.request(
            "POST", PREFIX + "/parcels", params={"errors": errors}, json=body
        )
        data = response.data if isinstance(response.data, dict) else {}
        single = data.get("parcel")
        if isinstance(single, list):  # the spec example of PUT wraps one parcel in a list
            return [parse_parcel_v2(p) for p in single]
        if isinstance(single, dict):
            return [parse_parcel_v2(single)]
        return [parse_parcel_v2(p) for p in _list(data, "parcels", "parcels")]

    def parcel_cancel(self, parcel_id: int) -> CancelResult:
        """Cancel (announced) or delete (never announced, answered with 410 "deleted")."""
        response = self._t.request(
            "POST", f"{PREFIX}/parcels/{int(parcel_id)}/cancel", accept=(410,)
        )
        return parse_cancel_result(response.data, response.status)

    def parcel_return_portal_url(self, parcel_id: int) -> str | None:
        """The brand's return-portal link; None when no portal/brand (404 `{"url": null}`)."""
        try:
            body = self._get(f"/parcels/{int(parcel_id)}/return_portal_url")
        except NotFound as exc:
            if exc.body_excerpt and '"url"' in exc.body_excerpt:
                return None
            raise
        url = body.get("url") if isinstance(body, dict) else None
        return url if isinstance(url, str) and url else None

    # -- service points (own host; service_points.py handles its quirks) -----------------------
    def service_points(self, country: str, **filters: Any) -> list[ServicePoint]:
        return ServicePointsApi(self._t).search(country, **filters)

    def service_point(self, point_id: int) -> ServicePoint:
        return ServicePointsApi(self._t).get(point_id)

    def service_point_carriers(self) -> list[str]:
        return ServicePointsApi(self._t).carriers()


def carriers_from_methods(methods: Iterable[ShippingMethod]) -> list[Carrier]:
    """v2 has no carrier list; the codes come from the shipping methods (v2 §5.4)."""
    codes = sorted({m.carrier for m in methods if m.carrier})
    return [Carrier(code) for code in codes]


def _integration_fields(fields: dict[str, Any], *, allow_feedback_type: bool) -> dict[str, Any]:
    allowed = INTEGRATION_UPDATE_FIELDS - ({"feedback_type"} if not allow_feedback_type else set())
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"integration fields not updatable: {', '.join(sorted(unknown))}")
    if not fields:
        raise ValueError("nothing to update")
    # Cross-field rules (webhook URL when active, carriers when enabling service points) are
    # left to Sendcloud: whether they hold for a partial update is not documented.
    body = dict(fields)
    if "service_point_carriers" in body:
        body["service_point_carriers"] = list(body["service_point_carriers"])
    return body


class _SlowReads:
    """A view of the transport whose reads wait longer (for one slow endpoint)."""

    def __init__(self, transport: Transport, read_timeout: float) -> None:
        self._t = transport
        self._timeouts = transport.timeouts.at_least(read_timeout)

    def request(self, method: str, path: str, **kwargs: Any):  # noqa: ANN201 - mirrors Transport
        kwargs.setdefault("timeout", self._timeouts)
        return self._t.request(method, path, **kwargs)

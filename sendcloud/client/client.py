"""`SendcloudClient`: one object per key pair, methods named by job, generation chosen per job
as the v3 reference §18 recommends (`client.v2` / `client.v3` reach the other generation)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from .hooks import CallRecord
from .parsers import join_statuses
from .ratelimit import (
    DEFAULT_RATE_LIMITS,
    AccountRateLimiter,
    RateLimits,
    SharedRateLimiter,
    shared_limiter,
)
from .retry import RetryPolicy
from .service_points import ServicePointsApi
from .transport import (
    DEFAULT_BASE_URL,
    DEFAULT_SERVICE_POINTS_URL,
    DEFAULT_TIMEOUTS,
    USER_AGENT,
    Timeouts,
    Transport,
)
from .types import (
    AuthMetadata,
    Brand,
    Carrier,
    Integration,
    Invoice,
    ParcelV2,
    Return,
    SenderAddress,
    Shipment,
    ShippingMethod,
    ShippingOptionsQuery,
    ShippingOptionsResult,
    StatusMapping,
    User,
    merge_sender_addresses,
)
from .v2 import V2Api, carriers_from_methods
from .v2_parcels import ParcelsV2Api
from .v3 import V3Api
from .v3_returns import ReturnsApi
from .v3_shipments import ShipmentsApi


class SendcloudClient:
    """Facade over both API generations for one Sendcloud integration (key pair).

    `rate_limit`: True shares the limiter of this public key — in this process, or with every
    process when `rate_limit_storage` names a store (`sqlite:///file`, `redis://…`) — False
    disables it, or pass a limiter (tests: an `AccountRateLimiter` with a fake clock).
    `max_retries` counts retries after the first attempt; `sleep` replaces `time.sleep` for
    back-off (tests).
    """

    def __init__(
        self,
        public_key: str,
        secret_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        service_points_url: str = DEFAULT_SERVICE_POINTS_URL,
        timeout: Timeouts | float | httpx.Timeout = DEFAULT_TIMEOUTS,
        transport: httpx.BaseTransport | None = None,
        on_call: Callable[[CallRecord], None] | None = None,
        rate_limit: bool | AccountRateLimiter | SharedRateLimiter = True,
        rate_limits: RateLimits = DEFAULT_RATE_LIMITS,
        rate_limit_storage: str | None = None,
        max_retries: int = 3,
        sleep: Callable[[float], None] | None = None,
        retry: RetryPolicy | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        if retry is None:
            retry = RetryPolicy(max_attempts=max_retries + 1)
            if sleep is not None:
                retry.sleep = sleep
        if isinstance(rate_limit, AccountRateLimiter | SharedRateLimiter):
            limiter: AccountRateLimiter | SharedRateLimiter | None = rate_limit
        elif rate_limit:
            limiter = shared_limiter(public_key, rate_limits, storage=rate_limit_storage)
        else:
            limiter = None
        self.transport = Transport(
            public_key,
            secret_key,
            base_url=base_url,
            service_points_url=service_points_url,
            timeout=timeout,
            transport=transport,
            on_call=on_call,
            rate_limiter=limiter,
            retry=retry,
            user_agent=user_agent,
        )
        self.v2 = V2Api(self.transport)
        self.v3 = V3Api(self.transport)
        # Labels: typed requests in, typed outcomes or one of the client's errors out.
        self.labels_v3 = ShipmentsApi(self.transport)
        self.labels_v2 = ParcelsV2Api(self.transport)
        # Service points: their own host (`service_points_url`), same keys.
        self.service_points = ServicePointsApi(self.transport)
        self.returns_v3 = ReturnsApi(self.transport)

    def __repr__(self) -> str:
        return f"<SendcloudClient {self.transport!r}>"

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> SendcloudClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def download(self, link: str, *, accept: str = "application/pdf") -> bytes:
        """Bytes of a document link Sendcloud handed out (label URLs, `documents[].link`).

        Only the link's path and query are used, against the configured base URL: the same
        rule as for pagination links, so a sandbox or proxy base is never bypassed.
        """
        parts = urlsplit(link)
        path = parts.path if parts.path.startswith("/") else "/" + parts.path
        if not path.startswith("/api/"):
            raise ValueError("not a Sendcloud API link")
        response = self.transport.request(
            "GET",
            path,
            params=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={"Accept": accept},
            expect_json=False,
        )
        return response.content

    # -- account -----------------------------------------------------------------------------
    def user(self) -> User:
        """v2 `GET /user`; a cheap "test connection" call."""
        return self.v2.user()

    def auth_metadata(self) -> AuthMetadata:
        """v3: the user and integration id behind these keys."""
        return self.v3.auth_metadata()

    def invoices(self) -> list[Invoice]:
        """v2 (v3 invoices are beta, §18)."""
        return self.v2.invoices()

    def invoice(self, invoice_id: int) -> Invoice:
        return self.v2.invoice(invoice_id)

    def brands(self) -> Iterator[Brand]:
        """v2 (there is no v3 brands API)."""
        return self.v2.brands()

    def brand(self, brand_id: int) -> Brand:
        return self.v2.brand(brand_id)

    # -- integrations (v3 for settings, §18) ----------------------------------------------------
    def integrations(self) -> list[Integration]:
        return self.v3.integrations()

    def integration(self, integration_id: int) -> Integration:
        return self.v3.integration(integration_id)

    def integration_update(self, integration_id: int, **fields: Any) -> None:
        self.v3.integration_update(integration_id, **fields)

    # -- sender addresses (v3; v2 adds brand_id and label) ----------------------------------------
    def sender_addresses(self) -> Iterator[SenderAddress]:
        return self.v3.sender_addresses()

    def sender_addresses_complete(self) -> list[SenderAddress]:
        """v3 addresses completed with v2's `brand_id` and `label` (two reads)."""
        return merge_sender_addresses(list(self.v3.sender_addresses()), self.v2.sender_addresses())

    def sender_address(self, address_id: int) -> SenderAddress:
        return self.v3.sender_address(address_id)

    # -- shipping ----------------------------------------------------------------------------
    def shipping_options(
        self, filters: ShippingOptionsQuery | Mapping[str, Any] | None = None
    ) -> ShippingOptionsResult:
        return self.v3.shipping_options(filters)

    def shipping_methods(self, **filters: Any) -> Iterator[ShippingMethod]:
        """v2 methods, for accounts that still create v2 parcels."""
        return self.v2.shipping_methods(**filters)

    def carriers(self, **filters: Any) -> list[Carrier]:
        return carriers_from_methods(self.v2.shipping_methods(**filters))

    def parcel_statuses(self) -> list[StatusMapping]:
        """Both catalogues joined: v3 codes with their v2 ids (§11.1)."""
        return join_statuses(self.v2.parcel_statuses(), self.v3.parcel_statuses())

    # -- shipments / parcels -----------------------------------------------------------------
    def shipments(self, **filters: Any) -> Iterator[Shipment]:
        """v3 `GET /shipments`; filters updated_after, ids, parcel_status, external_reference_id…"""
        return self.v3.shipments(**filters)

    def shipment(self, shipment_id: str) -> Shipment:
        return self.v3.shipment(shipment_id)

    def parcels_v2(self, **filters: Any) -> Iterator[ParcelV2]:
        """v2 parcels (created with v2 `POST /parcels`)."""
        return self.v2.parcels(**filters)

    def parcel_v2(self, parcel_id: int) -> ParcelV2:
        return self.v2.parcel(parcel_id)

    # -- returns (v3) ------------------------------------------------------------------------
    def returns(
        self,
        *,
        from_date: datetime | date | str | None = None,
        to_date: datetime | date | str | None = None,
        **filters: Any,
    ) -> Iterator[Return]:
        return self.v3.returns(from_date=from_date, to_date=to_date, **filters)

    def return_(self, return_id: int) -> Return:
        return self.v3.return_(return_id)

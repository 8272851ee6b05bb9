"""Label work on v3 shipments (v3 §6, §7): announce, create, look up, cancel, documents.

`client.shipments` is an instance of `ShipmentsApi`. Every create takes a `ShipmentRequest`
(with its attempt's `external_reference_id`) and either returns a `Shipment` whose parcels the
carrier accepted (or, async, is still announcing) or raises one of:

* `AnnouncementFailed` — 2xx but the carrier refused (v3 §6.4); carries the carrier's message;
* `ShipmentExists` — 409, the reference was used; carries the existing shipment when sent;
* the usual `SendcloudError` family (validation, auth, rate limit, server, timeout).

A create is never retried on a timeout or 5xx (`RetryPolicy` refuses non-idempotent retries):
the caller asks `find_by_reference` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .bodies import shipment_body
from .errors import AnnouncementFailed, InvalidResponse, ShipmentExists, error_from_response
from .parsers import parse_shipment
from .transport import ApiResponse, Transport
from .types import Shipment
from .types.shipments import CancelOutcome, ShipmentRequest
from .v3_orders import _seg

PREFIX = "/api/v3"
ANNOUNCE_MAX_PARCELS = 15
CREATE_MAX_PARCELS = 50
DOCUMENTS_MAX_PARCELS = 20
DOCUMENT_TYPES = ("label", "customs-declaration", "air-waybill")


def carrier_message(shipment: Shipment) -> str:
    """The carrier's words for a refused announcement (`data.errors[].detail`, else status)."""
    details = [str(e.get("detail") or e.get("title") or "") for e in shipment.errors]
    details = [d for d in details if d]
    if details:
        return "; ".join(details)
    for parcel in shipment.parcels:
        if parcel.status and parcel.status.code == "ANNOUNCEMENT_FAILED":
            return parcel.status.message or "Announcement failed"
    return "Announcement failed"


class ShipmentsApi:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    # -- create --------------------------------------------------------------------------------
    def announce(self, request: ShipmentRequest) -> Shipment:
        """Synchronous announce (≤15 parcels): tracking number and, for one parcel, the label
        bytes (`parcels[0].label_file`) come back at once."""
        if len(request.parcels) > ANNOUNCE_MAX_PARCELS:
            raise ValueError(f"announce takes at most {ANNOUNCE_MAX_PARCELS} parcels")
        path = (
            "/shipments/announce-with-shipping-rules"
            if request.apply_shipping_rules
            else "/shipments/announce"
        )
        return self._create(path, request)

    def create(self, request: ShipmentRequest) -> Shipment:
        """Asynchronous create (≤50 parcels): parcels come back ANNOUNCING; poll `get` (or take
        the `parcel_status_changed` webhook) until they are ready or failed."""
        if len(request.parcels) > CREATE_MAX_PARCELS:
            raise ValueError(f"create takes at most {CREATE_MAX_PARCELS} parcels")
        path = (
            "/shipments/create-with-shipping-rules"
            if request.apply_shipping_rules
            else "/shipments"
        )
        return self._create(path, request)

    def _create(self, path: str, request: ShipmentRequest) -> Shipment:
        response = self._t.request(
            "POST", PREFIX + path, json=shipment_body(request), accept=(409,)
        )
        if response.status == 409:
            raise self._exists(response)
        shipment = parse_shipment(response.data)
        if shipment.announcement_failed:
            raise AnnouncementFailed(
                carrier_message(shipment),
                shipment=shipment,
                status_code=response.status,
                code="parcel_announcement_error",
                method="POST",
                path=response.path,
            )
        return shipment

    def _exists(self, response: ApiResponse) -> ShipmentExists:
        error = error_from_response(
            409, response.content, headers=response.headers, method="POST", path=response.path
        )
        shipment = None
        data = response.data.get("data") if isinstance(response.data, dict) else None
        if isinstance(data, dict) and data.get("id"):
            try:
                shipment = parse_shipment(data)
            except InvalidResponse:
                shipment = None
        return ShipmentExists(
            error.message or "external reference already used",
            shipment=shipment,
            status_code=409,
            code=error.code,
            field_errors=error.field_errors,
            method="POST",
            path=response.path,
            body_excerpt=error.body_excerpt,
        )

    # -- read ----------------------------------------------------------------------------------
    def get(self, shipment_id: str) -> Shipment:
        response = self._t.request("GET", f"{PREFIX}/shipments/{_seg(shipment_id)}")
        return parse_shipment(response.data)

    def find_by_reference(self, external_reference_id: str) -> Shipment | None:
        """The shipment an earlier attempt created with this reference, or None (one request).

        This is what runs before any create that follows a timeout, crash or lost answer."""
        response = self._t.request(
            "GET",
            PREFIX + "/shipments",
            params={"external_reference_id": external_reference_id, "page_size": 2},
        )
        items = response.data.get("data") if isinstance(response.data, dict) else None
        if not isinstance(items, list):
            raise InvalidResponse("expected a list of shipments")
        found = [parse_shipment(i) for i in items if isinstance(i, dict)]
        found = [s for s in found if s.external_reference_id in (None, external_reference_id)]
        return found[0] if found else None

    # -- cancel --------------------------------------------------------------------------------
    def cancel(self, shipment_id: str) -> CancelOutcome:
        """Cancels the whole shipment: 200 cancelled, 202 queued, 409 rejected (too late or
        already cancelling, with Sendcloud's reason), 404 not found (v3 §6.7)."""
        response = self._t.request(
            "POST", f"{PREFIX}/shipments/{_seg(shipment_id)}/cancel", accept=(404, 409)
        )
        if response.status in (404, 409):
            error = error_from_response(response.status, response.content)
            status = "not_found" if response.status == 404 else "rejected"
            return CancelOutcome(status, error.message, response.status, "v3")
        data = response.data.get("data") if isinstance(response.data, dict) else None
        data = data if isinstance(data, dict) else {}
        status = str(data.get("status") or ("queued" if response.status == 202 else "cancelled"))
        return CancelOutcome(status, str(data.get("message") or ""), response.status, "v3")

    # -- documents -----------------------------------------------------------------------------
    def document(
        self,
        parcel_id: int,
        document_type: str = "label",
        *,
        accept: str = "application/pdf",
        paper_size: str | None = None,
        dpi: int | None = None,
    ) -> bytes:
        """`GET /parcels/{id}/documents/{type}`: label (A6 by default, `paper_size="A4"`),
        `customs-declaration` (CN23 / commercial invoice), `air-waybill`; PDF, ZPL or PNG."""
        if document_type not in DOCUMENT_TYPES:
            raise ValueError(f"unknown document type {document_type!r}")
        response = self._t.request(
            "GET",
            f"{PREFIX}/parcels/{int(parcel_id)}/documents/{document_type}",
            params={"paper_size": paper_size, "dpi": dpi},
            headers={"Accept": accept},
            expect_json=False,
        )
        return response.content

    def documents(
        self,
        parcel_ids: Iterable[int],
        document_type: str = "label",
        *,
        accept: str = "application/pdf",
        paper_size: str | None = None,
    ) -> bytes:
        """`GET /parcel-documents/{type}?parcels=1&parcels=2…`: one file for ≤20 parcels."""
        ids = [int(i) for i in parcel_ids]
        if not 1 <= len(ids) <= DOCUMENTS_MAX_PARCELS:
            raise ValueError(f"1 to {DOCUMENTS_MAX_PARCELS} parcels per call, got {len(ids)}")
        if document_type not in DOCUMENT_TYPES:
            raise ValueError(f"unknown document type {document_type!r}")
        # The repeated-key form (`parcels=1&parcels=2`) is built into the path: the transport's
        # params joins lists with commas, which this endpoint does not take (v3 §7.3).
        query = "&".join(f"parcels={i}" for i in ids)
        if paper_size:
            query += f"&paper_size={_seg(paper_size)}"
        response = self._t.request(
            "GET",
            f"{PREFIX}/parcel-documents/{document_type}?{query}",
            headers={"Accept": accept},
            expect_json=False,
        )
        return response.content


def shipment_from_mapping(body: Mapping[str, Any]) -> Shipment:
    """Parse a stored shipment body again (e.g. the `raw` kept in the back office)."""
    return parse_shipment(dict(body))

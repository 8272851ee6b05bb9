"""Label work on v2 parcels (v2 §5.6, §5.7), for accounts created before 2026-04-13.

`client.parcels_v2` is an instance of `ParcelsV2Api`; the same contract as `ShipmentsApi`:
`create` returns announced parcels or raises `AnnouncementFailed` / `ShipmentExists` / the
`SendcloudError` family, and is never retried blind (`find_by_reference` first).
"""

from __future__ import annotations

from .bodies import parcel_body_v2
from .errors import (
    AnnouncementFailed,
    InvalidResponse,
    ShipmentExists,
    ValidationError,
    error_from_response,
)
from .parsers import parse_parcel_v2
from .transport import Transport
from .types import ParcelV2
from .types.shipments import CancelOutcome, ShipmentRequest

PREFIX = "/api/v2"
FAILED_STATUS_ID = 1002
_DUPLICATE_HINTS = ("external_reference", "already exists", "already been used")


def _carrier_errors(parcel: ParcelV2) -> str:
    errors = parcel.raw.get("errors")
    if not isinstance(errors, dict):
        return ""
    messages: list[str] = []
    for value in errors.values():
        for item in value if isinstance(value, list) else [value]:
            if item:
                messages.append(str(item))
    return "; ".join(messages)


class ParcelsV2Api:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def create(self, request: ShipmentRequest) -> list[ParcelV2]:
        """`POST /parcels?errors=verbose-carrier` with `request_label: true` (all collos)."""
        response = self._t.request(
            "POST",
            PREFIX + "/parcels",
            params={"errors": "verbose-carrier"},
            json=parcel_body_v2(request),
            accept=(400,),
        )
        if response.status == 400:
            error = error_from_response(400, response.content, method="POST", path=response.path)
            text = " ".join([error.message] + [f.message for f in error.field_errors]).lower()
            if "external_reference" in text and any(h in text for h in _DUPLICATE_HINTS[1:]):
                raise ShipmentExists(error.message, status_code=400, path=response.path)
            if "service error" in text:  # the carrier refused (v2 §5.6.1, recorded)
                raise AnnouncementFailed(error.message, status_code=400, path=response.path)
            raise error
        data = response.data if isinstance(response.data, dict) else {}
        failed = data.get("failed_parcels")
        if isinstance(failed, list) and failed:
            raise ValidationError(
                "; ".join(str(f.get("errors")) for f in failed if isinstance(f, dict)),
                status_code=response.status,
                path=response.path,
            )
        single = data.get("parcel")
        if isinstance(single, dict):
            parcels = [parse_parcel_v2(single)]
        elif isinstance(single, list):
            parcels = [parse_parcel_v2(p) for p in single]
        elif isinstance(data.get("parcels"), list):
            parcels = [parse_parcel_v2(p) for p in data["parcels"]]
        else:
            raise InvalidResponse("parcel create answered without parcels")
        refused = [
            p
            for p in parcels
            if (p.status and p.status.id == FAILED_STATUS_ID) or _carrier_errors(p)
        ]
        if refused:
            message = _carrier_errors(refused[0]) or "Announcement failed"
            raise AnnouncementFailed(message, shipment=parcels, status_code=response.status)
        return parcels

    def get(self, parcel_id: int) -> ParcelV2:
        response = self._t.request("GET", f"{PREFIX}/parcels/{int(parcel_id)}")
        return parse_parcel_v2(response.data)

    def find_by_reference(self, external_reference: str) -> list[ParcelV2]:
        """Parcels an earlier attempt created with this reference (one request; [] if none)."""
        response = self._t.request(
            "GET", PREFIX + "/parcels", params={"external_reference": external_reference}
        )
        items = response.data.get("parcels") if isinstance(response.data, dict) else None
        if not isinstance(items, list):
            raise InvalidResponse("expected a list of parcels")
        return [parse_parcel_v2(p) for p in items if isinstance(p, dict)]

    def cancel(self, parcel_id: int) -> CancelOutcome:
        """200 cancelled, 202 queued, 410 deleted (never announced), 400 rejected with the
        reason, 404 not found (v2 §5.6.6)."""
        response = self._t.request(
            "POST", f"{PREFIX}/parcels/{int(parcel_id)}/cancel", accept=(400, 404, 410)
        )
        body = response.data if isinstance(response.data, dict) else {}
        if response.status in (400, 404):
            error = error_from_response(response.status, response.content)
            status = "not_found" if response.status == 404 else "rejected"
            return CancelOutcome(status, error.message, response.status, "v2")
        default = {200: "cancelled", 202: "queued", 410: "deleted"}.get(response.status, "queued")
        return CancelOutcome(
            str(body.get("status") or default),
            str(body.get("message") or ""),
            response.status,
            "v2",
        )

    def label_pdf(self, parcel_ids: list[int], *, a4: bool = False, start_from: int = 0) -> bytes:
        """Label PDF of one or several parcels: A6 for label printers, or an A4 sheet."""
        printer = "normal_printer" if a4 else "label_printer"
        ids = [int(i) for i in parcel_ids]
        if not ids:
            raise ValueError("no parcels")
        params: dict[str, object] = {}
        if len(ids) == 1:
            path = f"{PREFIX}/labels/{printer}/{ids[0]}"
        else:
            path = f"{PREFIX}/labels/{printer}"
            params["ids"] = ids
        if a4:
            params["start_from"] = start_from
        response = self._t.request(
            "GET", path, params=params, headers={"Accept": "application/pdf"}, expect_json=False
        )
        return response.content

    def document(self, parcel_id: int, document_type: str = "label", *, accept: str) -> bytes:
        """`GET /parcels/{id}/documents/{type}` (v2 §5.6.7): ZPL or customs documents."""
        response = self._t.request(
            "GET",
            f"{PREFIX}/parcels/{int(parcel_id)}/documents/{document_type}",
            headers={"Accept": accept},
            expect_json=False,
        )
        return response.content

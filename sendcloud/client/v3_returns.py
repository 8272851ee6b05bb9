"""Return writes on the v3 API (v3 §10.1–§10.3, §10.6), beside the reads in `v3.py`.

Sendcloud makes `external_reference` unique per return (v3 §3.5): a create that repeats a
reference is refused with "External reference has already been used in another return.", so a
create whose answer was lost may be sent again with the SAME reference — it either creates the
return (the first never arrived) or is refused as a duplicate (it did). `ReferenceUsed` is that
refusal. A create is still never retried blind by the transport.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from .errors import NotFound, ValidationError
from .parsers import parse_return, parse_return_created
from .transport import Transport
from .types import Return, ReturnCreated
from .v3 import PREFIX, V3Api

DUPLICATE_REFERENCE = "external reference has already been used"


class ReferenceUsed(ValidationError):
    """Sendcloud already has a return with this external reference."""


def _reference_used(error: ValidationError) -> bool:
    texts = [error.message, *(e.message for e in error.field_errors)]
    return any(DUPLICATE_REFERENCE in (t or "").lower() for t in texts)


class ReturnsApi:
    """`client.returns_v3`: create (async or synchronous), validate, find, get, cancel."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport
        self._reads = V3Api(transport)

    def validate(self, body: Mapping[str, Any]) -> dict:
        """`POST /returns/validate`: nothing is created; 200 echoes the normalised return,
        400 raises `ValidationError` with Sendcloud's field errors."""
        response = self._t.request(
            "POST", PREFIX + "/returns/validate", json=dict(body), idempotent=True
        )
        return response.data if isinstance(response.data, dict) else {}

    def create(self, body: Mapping[str, Any], *, synchronous: bool = False) -> ReturnCreated:
        """`POST /returns` (or `/returns/announce-synchronously`). Raises `ReferenceUsed` when
        the reference is taken, else the usual family (the sync variant's v2-style 400 maps to
        `ValidationError` with Sendcloud's message)."""
        path = "/returns/announce-synchronously" if synchronous else "/returns"
        try:
            response = self._t.request("POST", PREFIX + path, json=dict(body))
        except ValidationError as error:
            if _reference_used(error):
                raise ReferenceUsed(
                    error.message,
                    status_code=error.status_code,
                    code=error.code,
                    field_errors=error.field_errors,
                    method=error.method,
                    path=error.path,
                    body_excerpt=error.body_excerpt,
                ) from error
            raise
        return parse_return_created(response.data)

    def get(self, return_id: int) -> Return:
        return self._reads.return_(return_id)

    def find_by_reference(
        self,
        reference: str,
        *,
        since: datetime,
        order_number: str | None = None,
        exclude_ids: Iterable[int] = (),
    ) -> Return | None:
        """The return an earlier attempt created with `reference`, or None.

        `GET /returns` filters by creation date only and Sendcloud's schema names no
        `external_reference` in the Return object (v3 §10.4, §17), so the returns created since
        the attempt are read and matched on the reference where the object carries one. Where
        it carries none, the one return of the same `order_number` created since then that is
        not in `exclude_ids` (returns the caller knows already) is taken [INF]: the caller holds
        at most one attempt per order in flight. Two such candidates → None (no guessing)."""
        known = set(exclude_ids)
        start = since.astimezone(UTC) - timedelta(minutes=5)
        candidates = []
        for item in self._reads.returns(
            from_date=start, to_date=datetime.now(UTC) + timedelta(days=1)
        ):
            if item.raw.get("external_reference") == reference:
                return item
            if (
                "external_reference" not in item.raw
                and order_number
                and item.order_number == order_number
                and item.id not in known
            ):
                candidates.append(item)
        return candidates[0] if len(candidates) == 1 else None

    def cancel(self, return_id: int) -> tuple[int, str]:
        """`PATCH /returns/{id}/cancel` → (HTTP status, Sendcloud's message): 202 requested,
        409 not cancellable, 404 unknown (v3 §10.6). Only a request: carriers may refuse."""
        try:
            response = self._t.request(
                "PATCH", f"{PREFIX}/returns/{int(return_id)}/cancel", accept=(409,)
            )
        except NotFound as error:
            return 404, error.message
        data = response.data if isinstance(response.data, dict) else {}
        if response.status == 409:
            errors = data.get("errors") if isinstance(data.get("errors"), list) else []
            first = errors[0] if errors and isinstance(errors[0], dict) else {}
            message = first.get("message") or first.get("detail") or first.get("title") or ""
            return 409, str(message)
        return response.status, str(data.get("message") or "")


def parse_return_body(body: Mapping[str, Any]) -> Return:
    """A stored return body parsed again (the `raw` kept in the back office)."""
    return parse_return(dict(body))


def label_parcel_id(found: Return) -> int | None:
    """The incoming parcel's id: the return object names it only inside its label link
    (`…/parcels/{id}/documents/label`, v3 §10.4)."""
    if found.parcel_id:
        return found.parcel_id
    match = re.search(r"/parcels/(\d+)/documents/", found.label_printer_url or "")
    return int(match.group(1)) if match else None

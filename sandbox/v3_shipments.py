"""Panel API v3: create and cancel shipments (reference v3 §6.1–§6.4, §6.7, §3.5).

Reads (``GET /shipments``, ``GET /shipments/{id}``) live in ``v3.py`` and show these shipments
from the same rows.

* ``POST /shipments/announce`` — synchronous, 1–15 parcels: 201 with parcels READY_TO_SEND,
  tracking numbers, documents and ``label_file`` (base64, single parcel); 201 with
  ANNOUNCEMENT_FAILED and ``data.errors`` when the carrier refuses (weight outside the option's
  band, a route or multicollo it does not serve).
* ``POST /shipments`` — asynchronous, 1–50 parcels: 201 with parcels ANNOUNCING; the
  announcement (or its failure) happens ``announce_seconds`` later on the sandbox clock, with a
  webhook.
* Field problems (required fields, unknown option, service point the option needs, customs data
  outside the EU) → 400 and nothing is created.
* A reused ``external_reference_id`` → 409 with the existing shipment (reference §3.5; the body
  is not documented: we send the object in ``data`` plus one error, so either reading works).
* ``POST /shipments/{id}/cancel`` → 200 / 202 / 409 / 404 as the samples.
"""

import base64
import json

from flask import Blueprint, g, request

from . import labels_pdf
from .errors import json_response, v3_error
from .progression import progression
from .render_parcels import BASE_TOKEN
from .shipment_requests import parse_shipment
from .shipments_store import (
    ALREADY_CANCELLING,
    NATIVE_ZPL,
    TOO_LATE,
    DuplicateReference,
    announcement_error,
    cancel_outcome,
    carrier_refusal,
    insert,
    parcels_of,
    set_status,
    shipment_row,
)
from .state import current

bp = Blueprint("v3_shipments", __name__)
SYNC_MAX, ASYNC_MAX = 15, 50
DUPLICATE = "A shipment with this external_reference_id already exists."


def body_or_error():
    body = request.get_json(silent=True)
    if body is None:
        return None, v3_error(400, "JSON parse error - Expecting value.", "parse_error")
    return body, None


def shipment_json(state, seq) -> dict:
    row = state.store.one("SELECT v3 FROM shipments WHERE seq = ?", (seq,))
    if row[0] is None:
        # Created by a concurrent request that has not rendered it yet (a duplicate's 409).
        state.render_shipment(seq)
        row = state.store.one("SELECT v3 FROM shipments WHERE seq = ?", (seq,))
    return json.loads(row[0].replace(BASE_TOKEN, state.base_url()))


def label_bytes(parcels, mime: str, paper="A6") -> tuple[bytes, str]:
    if mime == "application/zpl":
        return labels_pdf.label_zpl(parcels), "application/zpl"
    return labels_pdf.label_pdf(parcels, paper), "application/pdf"


def label_format(parcel, accept: str | None) -> str:
    """A label bought as native ZPL stays ZPL (reference v3 §6.1, §15.11)."""
    shipment = parcel.shipment
    if shipment.get("label_mime") == "application/zpl" and shipment["carrier"] in NATIVE_ZPL:
        return "application/zpl"
    return accept or "application/pdf"


def with_label_files(state, seq, shipment: dict) -> dict:
    """``label_file``: base64 of the label for a single announced parcel, else null."""
    parcels = parcels_of(state.store, seq)
    for rendered in shipment["parcels"]:
        rendered["label_file"] = None
    if len(parcels) == 1 and parcels[0].announced:
        mime = label_format(parcels[0], shipment["label_details"]["mime_type"])
        data, _ = label_bytes(parcels, mime)
        shipment["parcels"][0]["label_file"] = base64.b64encode(data).decode()
    return shipment


def _duplicate(state, seq, prefix):
    error = {"status": "409", "code": "invalid", "detail": DUPLICATE,
             "source": {"pointer": prefix + "/external_reference_id"}}  # fmt: skip
    return json_response({"data": shipment_json(state, seq), "errors": [error]}, 409)


def _create(prefix: str, max_parcels: int, sync: bool):
    state = current()
    body, error = body_or_error()
    if error:
        return error
    spec, problems = parse_shipment(state.store, g.account_id, body, prefix, max_parcels)
    if problems:
        return json_response({"errors": problems.errors()}, 400)
    refusal = carrier_refusal(spec)
    if refusal and sync:
        spec.v3_overlay["errors"] = [announcement_error(refusal)]
    try:
        if sync:
            seq = insert(state, g.account_id, g.integration_id, spec, 1002 if refusal else 1000)
        else:
            seq = insert(state, g.account_id, g.integration_id, spec, 1001, announce_error=refusal)
    except DuplicateReference as exc:
        return _duplicate(state, exc.seq, prefix)
    progression().track_new_shipment(seq, None if sync else 1002 if refusal else 1000)
    shipment = shipment_json(state, seq)
    if sync:
        shipment = with_label_files(state, seq, shipment)
    else:
        for rendered in shipment["parcels"]:
            rendered["label_file"] = None
    return json_response({"data": shipment}, 201)


@bp.post("/shipments/announce")
def announce():
    return _create("", SYNC_MAX, sync=True)


@bp.post("/shipments")
def create_async():
    return _create("/data/attributes", ASYNC_MAX, sync=False)


def cancel_parcels(state, parcels, outcome):
    """Apply a cancellation outcome to parcels (webhooks included)."""
    prog = progression()
    prog.forget([p.id for p in parcels])
    if outcome == "cancelled":
        for parcel in parcels:
            if parcel.status_id != 2000:
                set_status(state, parcel.id, 2000)
    elif outcome == "queued":
        for parcel in parcels:
            if parcel.status_id not in (1999, 2000):
                set_status(state, parcel.id, 1999)
                prog.schedule(parcel.id, prog.cancel_plan())


@bp.post("/shipments/<shipment_id>/cancel")
def cancel(shipment_id):
    state = current()
    row = shipment_row(state.store, shipment_id, g.account_id, g.integration_id)
    if row is None:
        return v3_error(404, "Not found", "not_found")
    parcels = parcels_of(state.store, row[0])
    outcome = cancel_outcome(parcels, state.clock.now())
    if outcome == "already":
        return v3_error(409, ALREADY_CANCELLING, "invalid")
    if outcome == "too_late":
        return v3_error(409, TOO_LATE, "invalid")
    cancel_parcels(state, parcels, outcome)
    if outcome == "cancelled":
        return json_response(
            {"data": {"status": "cancelled", "message": "Shipment has been cancelled"}}
        )
    return json_response(
        {"data": {"status": "queued", "message": "Shipment cancellation has been queued"}}, 202
    )

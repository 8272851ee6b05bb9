"""Panel API v3: parcel documents (reference v3 §7.2–§7.4).

* ``GET /parcels/{id}/documents/{type}`` — ``label`` (A6 by default), ``customs-declaration``
  (CN23 or commercial invoice, A4; only for parcels leaving the EU), ``air-waybill`` (never
  available here: 404). Format by ``Accept``: ``application/pdf`` (default, also for ``*/*``
  and JSON accepts), ``application/zpl``; a label bought as native ZPL stays ZPL. ``paper_size``
  ``A4`` (label in the top left quarter), ``A5``, ``A6``.
* ``GET /parcel-documents/{type}?parcels=1&parcels=2`` — 1–20 parcels in one file (A6 pages, or
  A4 sheets of four labels with ``paper_size=A4``; ZPL blocks one after another).

Only parcels of the calling integration are served (reference v3 §2.1). PNG is not rendered by
the sandbox: 406 with a v3 error, so a client finds out at once instead of misreading bytes.
"""

from flask import Blueprint, Response, g, request

from . import labels_pdf
from .errors import json_response, v3_error
from .shipments_store import NATIVE_ZPL
from .state import current
from .v3_returns import return_label

bp = Blueprint("v3_documents", __name__)
TYPES = ("label", "customs-declaration", "air-waybill")
BULK_MAX = 20
PAPERS = ("A4", "A5", "A6")


def own_parcel(parcel_id: int):
    """The parcel if the calling integration created it, else None."""
    parcel = current().parcel(parcel_id, g.account_id)
    if parcel is None or parcel.integration_id != g.integration_id:
        return None
    return parcel


def available(parcel, doc_type: str) -> bool:
    if not parcel.announced or not parcel.tracking_number:
        return False  # never announced (also when cancelled before its announcement)
    if doc_type == "label":
        return True
    if doc_type in ("customs-declaration", "cn23", "commercial-invoice", "cn23-default"):
        return bool(parcel.data.get("customs_documents"))
    return False


def wanted_format(parcels) -> str | None:
    """``application/pdf`` or ``application/zpl`` from ``Accept``; None for unsupported."""
    accept = (request.headers.get("Accept") or "").lower()
    if "application/zpl" in accept:
        fmt = "application/zpl"
    elif "image/png" in accept and "application/pdf" not in accept:
        return None
    else:
        fmt = "application/pdf"
    native = [
        p
        for p in parcels
        if p.shipment.get("label_mime") == "application/zpl" and p.shipment["carrier"] in NATIVE_ZPL
    ]
    return "application/zpl" if native else fmt


def document(parcels, doc_type: str, fmt: str, paper: str | None, start_from: int = 0):
    """(bytes, mimetype) of the document for ``parcels``."""
    if doc_type != "label":
        return labels_pdf.customs_pdf(parcels), "application/pdf"
    if fmt == "application/zpl":
        return labels_pdf.label_zpl(parcels), "application/zpl"
    return labels_pdf.label_pdf(parcels, paper or "A6", start_from), "application/pdf"


def file_response(data: bytes, mimetype: str, name: str) -> Response:
    extension = "zpl" if mimetype == "application/zpl" else "pdf"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'inline; filename="{name}.{extension}"'},
    )


def _not_found():
    body = {"errors": [{"code": "not_found", "status": "404",
                        "detail": "No Parcel matches the given query."}]}  # fmt: skip
    return json_response(body, 404)


def _invalid(detail, parameter=None):
    error = {"code": "invalid", "status": "400", "detail": detail}
    if parameter:
        error["source"] = {"parameter": parameter}
    return json_response({"errors": [error]}, 400)


def _paper():
    paper = request.args.get("paper_size")
    if paper is None:
        return None, None
    if paper.upper() not in PAPERS:
        return None, _invalid(f'"{paper}" is not a valid choice.', "paper_size")
    return paper.upper(), None


def _unsupported():
    return v3_error(406, "Could not satisfy the request Accept header.", "not_acceptable")


@bp.get("/parcels/<int:parcel_id>/documents/<doc_type>")
def parcel_document(parcel_id, doc_type):
    if doc_type not in TYPES:
        return _invalid("Invalid document type.")
    paper, error = _paper()
    if error:
        return error
    parcel = own_parcel(parcel_id)
    if parcel is None and doc_type == "label" and (label := return_label(parcel_id)):
        return label  # a return's incoming parcel (not a row of ``parcels``)
    if parcel is None or not available(parcel, doc_type):
        return _not_found()
    fmt = wanted_format([parcel])
    if fmt is None:
        return _unsupported()
    data, mimetype = document([parcel], doc_type, fmt, paper)
    return file_response(data, mimetype, f"{doc_type}-{parcel_id}")


def bulk_ids():
    """Parcel ids from ``?parcels=1&parcels=2`` (a comma list is accepted too)."""
    ids = []
    for raw in request.args.getlist("parcels"):
        for part in raw.split(","):
            if part.strip():
                ids.append(part.strip())
    return ids


@bp.get("/parcel-documents/<doc_type>")
def parcel_documents(doc_type):
    if doc_type not in TYPES:
        return _invalid("Invalid document type.")
    paper, error = _paper()
    if error:
        return error
    ids = bulk_ids()
    if not ids:
        return _invalid("This field is required.", "parcels")
    if not all(i.isdigit() for i in ids):
        return _invalid("A valid integer is required.", "parcels")
    if len(ids) > BULK_MAX:
        return _invalid(f"Ensure this field has no more than {BULK_MAX} elements.", "parcels")
    parcels = []
    for parcel_id in dict.fromkeys(int(i) for i in ids):
        parcel = own_parcel(parcel_id)
        if parcel is None or not available(parcel, doc_type):
            return _not_found()
        parcels.append(parcel)
    fmt = wanted_format(parcels)
    if fmt is None:
        return _unsupported()
    data, mimetype = document(parcels, doc_type, fmt, paper)
    return file_response(data, mimetype, f"{doc_type}-{len(parcels)}-parcels")

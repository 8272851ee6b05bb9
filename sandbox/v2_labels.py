"""Panel API v2: labels and parcel documents (reference v2 §5.6.7, §5.7).

* ``GET /labels/{parcel_id}`` → ``{"label": {"normal_printer": [4 URLs], "label_printer": URL},
  "customs_declaration": {...}}``.
* ``POST /labels`` ``{"label": {"parcels": [ids]}}`` → the same URLs for several parcels
  (``?ids=…``); parcels without a label are skipped, none left → 400.
* ``GET /labels/label_printer/{id}`` (A6), ``GET /labels/normal_printer/{id}?start_from=0..3``
  (A4, the label in that quarter), and both with ``?ids=1,2,3`` for one PDF of several parcels.
* ``GET /customs_declaration/normal_printer/{id}`` and ``?ids=`` — CN23 / commercial invoice.
* ``GET /parcels/{id}/documents/{type}`` — ``label``, ``cn23``, ``commercial-invoice``… with
  ``Accept`` application/pdf or application/zpl.

Errors: unknown parcel → 404 ``No Parcel matches the given query.`` in the generic shape
(``label_printer_404.json``); a bad ``ids``/``start_from`` → 400 ``{"message": …}``.
"""

from flask import Blueprint, g, request

from .errors import json_response, v2_error
from .state import current
from .v3_documents import available, document, file_response, own_parcel, wanted_format

bp = Blueprint("v2_labels", __name__)
V2_TYPES = ("label", "cn23", "cn23-default", "commercial-invoice", "cp71", "air-waybill", "qr")
NO_PARCEL = "No Parcel matches the given query."


def _label_urls(base, ids: list[int]) -> dict:
    if len(ids) == 1:
        pid = ids[0]
        return {
            "normal_printer": [
                f"{base}/api/v2/labels/normal_printer/{pid}?start_from={i}" for i in range(4)
            ],
            "label_printer": f"{base}/api/v2/labels/label_printer/{pid}",
        }
    joined = ",".join(str(i) for i in ids)
    return {
        "normal_printer": [
            f"{base}/api/v2/labels/normal_printer?ids={joined}&start_from={i}" for i in range(4)
        ],
        "label_printer": f"{base}/api/v2/labels/label_printer?ids={joined}",
    }


@bp.get("/labels/<int:parcel_id>")
def label(parcel_id):
    parcel = own_parcel(parcel_id)
    if parcel is None or not available(parcel, "label"):
        return v2_error(404, NO_PARCEL)
    base = current().base_url()
    customs = {}
    if available(parcel, "cn23"):
        customs = {
            "normal_printer": f"{base}/api/v2/customs_declaration/normal_printer/{parcel.id}"
        }
    return json_response({"label": _label_urls(base, [parcel.id]), "customs_declaration": customs})


@bp.post("/labels")
def labels_bulk():
    body = request.get_json(silent=True)
    ids = None
    if isinstance(body, dict) and isinstance(body.get("label"), dict):
        ids = body["label"].get("parcels")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids) or not ids:
        return v2_error(400, 'parcels: "A list of parcel ids is required."')
    found = []
    for parcel_id in dict.fromkeys(ids):
        parcel = own_parcel(parcel_id)
        if parcel is not None and available(parcel, "label"):
            found.append(parcel.id)
    if not found:
        return v2_error(400, "None of the given parcels has a label.")
    return json_response({"label": _label_urls(current().base_url(), found)})


def _ids_or_error():
    raw = request.args.get("ids", "")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        return None, json_response(
            {"message": "ids: a comma separated list of ids is required"}, 400
        )
    return [int(p) for p in dict.fromkeys(parts)], None


def _start_from():
    raw = request.args.get("start_from", "0")
    if raw not in ("0", "1", "2", "3"):
        return None
    return int(raw)


def _printer(ids, paper, doc_type="label"):
    start = _start_from()
    if start is None:
        return json_response({"message": "start_from must be 0, 1, 2 or 3"}, 400)
    parcels = []
    for parcel_id in ids:
        parcel = own_parcel(parcel_id)
        if parcel is None or not available(parcel, doc_type):
            if len(ids) == 1:
                return v2_error(404, NO_PARCEL)
            continue  # several: parcels without a label are skipped
        parcels.append(parcel)
    if not parcels:
        return v2_error(404, NO_PARCEL)
    data, mimetype = document(parcels, doc_type, "application/pdf", paper, start)
    return file_response(data, mimetype, f"{doc_type}-{'-'.join(str(p.id) for p in parcels)}")


@bp.get("/labels/label_printer/<int:parcel_id>")
def label_printer(parcel_id):
    return _printer([parcel_id], "A6")


@bp.get("/labels/normal_printer/<int:parcel_id>")
def normal_printer(parcel_id):
    return _printer([parcel_id], "A4")


@bp.get("/labels/label_printer")
def label_printer_many():
    ids, error = _ids_or_error()
    return error or _printer(ids, "A6")


@bp.get("/labels/normal_printer")
def normal_printer_many():
    ids, error = _ids_or_error()
    return error or _printer(ids, "A4")


@bp.get("/customs_declaration/normal_printer/<int:parcel_id>")
def customs_declaration(parcel_id):
    return _printer([parcel_id], "A4", "cn23")


@bp.get("/customs_declaration/normal_printer")
def customs_declaration_many():
    ids, error = _ids_or_error()
    return error or _printer(ids, "A4", "cn23")


@bp.get("/parcels/<int:parcel_id>/documents/<doc_type>")
def parcel_document(parcel_id, doc_type):
    parcel = current().parcel(parcel_id, g.account_id)
    if parcel is None or parcel.integration_id != g.integration_id:
        return v2_error(404, NO_PARCEL)
    if doc_type not in V2_TYPES or not available(parcel, doc_type):
        return v2_error(404, "Not found.")
    if doc_type != "label" and doc_type not in parcel.data.get("customs_documents", ()):
        if doc_type != "cn23-default":
            return v2_error(404, "Not found.")
    fmt = wanted_format([parcel])
    if fmt is None:
        return v2_error(406, "Could not satisfy the request Accept header.")
    paper = "A4" if doc_type != "label" else "A6"
    data, mimetype = document([parcel], doc_type, fmt, paper)
    return file_response(data, mimetype, f"{doc_type}-{parcel_id}")

"""The HTTP side of the fake printer (``printer.py``): the IPP Print-Job endpoint, the panel
page ``/panel/printer`` (German and English) and the control API ``/_sandbox/printer``."""

import struct
from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request

from .connect import request_lang
from .errors import json_response
from .state import current
from .timefmt import PANEL_TZ

bp = Blueprint("printer", __name__)

# -- IPP Print-Job ---------------------------------------------------------------------------

IPP_OK = 0x0000
IPP_BAD_REQUEST = 0x0400
IPP_OPERATION_NOT_SUPPORTED = 0x0501
IPP_NOT_ACCEPTING = 0x0506


def ipp_parse(body: bytes) -> tuple[int, int, dict, bytes]:
    """(operation-id, request-id, {name: value}, document) of an IPP request."""
    if len(body) < 9:
        raise ValueError("shorter than an IPP header")
    operation, request_id = struct.unpack(">HI", body[2:8])
    attributes, pos, name = {}, 8, ""
    while pos < len(body):
        tag = body[pos]
        pos += 1
        if tag == 0x03:
            return operation, request_id, attributes, body[pos:]
        if tag < 0x10:
            continue
        (name_len,) = struct.unpack(">H", body[pos : pos + 2])
        name = body[pos + 2 : pos + 2 + name_len].decode("utf-8") or name
        pos += 2 + name_len
        (value_len,) = struct.unpack(">H", body[pos : pos + 2])
        attributes.setdefault(name, body[pos + 2 : pos + 2 + value_len].decode("utf-8", "replace"))
        pos += 2 + value_len
    raise ValueError("no end-of-attributes tag")


def _attr(tag: int, name: str, value: bytes) -> bytes:
    encoded = name.encode()
    return struct.pack(">BH", tag, len(encoded)) + encoded + struct.pack(">H", len(value)) + value


def ipp_response(status: int, request_id: int, message: str = "", job_id: int = 0) -> Response:
    parts = [
        b"\x01\x01",
        struct.pack(">HI", status, request_id),
        b"\x01",
        _attr(0x47, "attributes-charset", b"utf-8"),
        _attr(0x48, "attributes-natural-language", b"en"),
    ]
    if message:
        parts.append(_attr(0x41, "status-message", message.encode()))
    if job_id:
        parts += [b"\x02", _attr(0x21, "job-id", struct.pack(">i", job_id))]
        parts.append(_attr(0x23, "job-state", struct.pack(">i", 9)))  # completed
    parts.append(b"\x03")
    return Response(b"".join(parts), status=200, mimetype="application/ipp")


@bp.post("/ipp/print")
def ipp_print():
    state = current()
    try:
        operation, request_id, attributes, document = ipp_parse(request.get_data())
    except (ValueError, struct.error):
        return ipp_response(IPP_BAD_REQUEST, 0, "client-error-bad-request")
    if operation != 0x0002:
        return ipp_response(IPP_OPERATION_NOT_SUPPORTED, request_id, "only Print-Job")
    if not state.printer.powered:
        return ipp_response(IPP_NOT_ACCEPTING, request_id, "printer is stopped")
    job_id = state.printer_jobs.add(document, "ipp", attributes.get("job-name", ""))
    return ipp_response(IPP_OK, request_id, "successful-ok", job_id=job_id)


# -- control API -------------------------------------------------------------------------------


@bp.get("/_sandbox/printer")
def printer_status():
    state = current()
    return json_response({**state.printer.describe(), "jobs": state.printer_jobs.list()})


@bp.get("/_sandbox/printer/jobs")
def printer_jobs():
    return json_response({"jobs": current().printer_jobs.list()})


@bp.get("/_sandbox/printer/jobs/<int:job_id>")
@bp.get("/panel/printer/jobs/<int:job_id>")
def printer_job(job_id):
    found = current().printer_jobs.get(job_id)
    if found is None:
        return json_response({"error": f"no print job {job_id}"}, 404)
    job, data = found
    mimetype = {"pdf": "application/pdf", "zpl": "text/plain"}.get(job["format"])
    headers = {}
    if job["format"] != "pdf":
        name = f"print-job-{job_id}.{job['format']}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(data, mimetype=mimetype or "application/octet-stream", headers=headers)


@bp.delete("/_sandbox/printer/jobs")
def printer_jobs_clear():
    return json_response({"deleted": current().printer_jobs.clear()})


@bp.post("/_sandbox/printer/power")
def printer_power():
    body = request.get_json(silent=True) or {}
    if not isinstance(body.get("on"), bool):
        return json_response({"error": 'send {"on": true} or {"on": false}'}, 400)
    state = current()
    state.printer.power(body["on"])
    return json_response(state.printer.describe())


# -- panel page --------------------------------------------------------------------------------

REFRESH_SECONDS = 5
TEXTS = {
    "en": {
        "title": "Printer",
        "state": "Sandbox label printer",
        "on": "on",
        "off": "off – connections are refused",
        "not_listening": "not listening (started by `python -m sandbox serve`)",
        "ipp": "IPP",
        "none": "Nothing printed yet. Jobs sent to the address above (raw TCP, ZPL or PDF) or "
        "to the IPP address appear here.",
        "columns": ("Received", "Job", "Via", "Format", "Size", "Content"),
        "download": "Download",
        "open": "Open PDF",
        "count": ("{n} job", "{n} jobs"),
        "bytes": "{n} bytes",
        "refresh": "This page reloads every {s} seconds.",
        "sandbox": "Sendcloud sandbox – no real printer is involved.",
        "date": "%Y-%m-%d %H:%M:%S %Z",
    },
    "de": {
        "title": "Drucker",
        "state": "Sandbox-Etikettendrucker",
        "on": "an",
        "off": "aus – Verbindungen werden abgewiesen",
        "not_listening": "nicht gestartet (startet mit `python -m sandbox serve`)",
        "ipp": "IPP",
        "none": "Noch nichts gedruckt. An die Adresse oben (RAW-TCP, ZPL oder PDF) oder an die "
        "IPP-Adresse gesendete Druckaufträge erscheinen hier.",
        "columns": ("Empfangen", "Auftrag", "Über", "Format", "Größe", "Inhalt"),
        "download": "Herunterladen",
        "open": "PDF öffnen",
        "count": ("{n} Druckauftrag", "{n} Druckaufträge"),
        "bytes": "{n} Bytes",
        "refresh": "Die Seite lädt alle {s} Sekunden neu.",
        "sandbox": "Sendcloud-Sandbox – es wird kein echter Drucker verwendet.",
        "date": "%d.%m.%Y %H:%M:%S %Z",
    },
}


def _size(size: int, lang: str) -> str:
    text = f"{size:,}"
    return text.replace(",", ".") if lang == "de" else text


@bp.get("/panel/printer")
def printer_page():
    """The jobs the fake printer received, newest first: ZPL as text, PDFs to open."""
    lang = request_lang()
    texts = TEXTS[lang]
    state = current()
    rows = []
    for job in state.printer_jobs.list():
        when = datetime.fromtimestamp(job["received_at"], UTC).astimezone(PANEL_TZ)
        rows.append({
            **job,
            "received": when.strftime(texts["date"]),
            "size_text": texts["bytes"].format(n=_size(job["size"], lang)),
        })  # fmt: skip
    context = {
        "t": texts,
        "lang": lang,
        "rows": rows,
        "printer": state.printer.describe(),
        "ipp_url": state.base_url() + "/ipp/print",
        "refresh": REFRESH_SECONDS,
    }
    return render_template("panel_printer.html", **context)

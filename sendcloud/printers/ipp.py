"""IPP Print-Job (RFC 8010 encoding, RFC 8011 semantics) over HTTP, with the standard library.

Why by hand: the Python IPP clients are either bindings to libcups (pycups: a C library on every
machine) or asyncio and made for reading printer state (pyipp/aioipp). A Print-Job request is
one small binary header and the document, POSTed as `application/ipp`; the answer's status
code says whether the job was accepted. Only that is encoded here.
"""

import http.client
import itertools
import struct
from urllib.parse import urlsplit

from .errors import PrinterRefused, PrinterUnreachable

IPP_VERSION = b"\x01\x01"  # IPP/1.1: every IPP printer and CUPS speaks it
OP_PRINT_JOB = 0x0002
TAG_OPERATION = 0x01
TAG_END = 0x03
TAG_TEXT = 0x41
TAG_NAME = 0x42
TAG_CHARSET = 0x47
TAG_LANGUAGE = 0x48
TAG_URI = 0x45
TAG_MIME = 0x49
DEFAULT_PORTS = {"ipp": 631, "ipps": 631, "http": 80, "https": 443}

_request_ids = itertools.count(1)


def _attribute(tag: int, name: str, value: str) -> bytes:
    name_bytes, value_bytes = name.encode("utf-8"), value.encode("utf-8")
    return (
        struct.pack(">BH", tag, len(name_bytes))
        + name_bytes
        + struct.pack(">H", len(value_bytes))
        + value_bytes
    )


def print_job_request(
    printer_uri: str, content_type: str, *, job_name: str = "", user: str = "backoffice"
) -> bytes:
    """The IPP header of a Print-Job request (the document follows it in the body)."""
    parts = [
        IPP_VERSION,
        struct.pack(">HI", OP_PRINT_JOB, next(_request_ids) & 0x7FFFFFFF or 1),
        bytes([TAG_OPERATION]),
        _attribute(TAG_CHARSET, "attributes-charset", "utf-8"),
        _attribute(TAG_LANGUAGE, "attributes-natural-language", "en"),
        _attribute(TAG_URI, "printer-uri", printer_uri),
        _attribute(TAG_NAME, "requesting-user-name", user),
    ]
    if job_name:
        parts.append(_attribute(TAG_NAME, "job-name", job_name[:255]))
    parts.append(_attribute(TAG_MIME, "document-format", content_type))
    parts.append(bytes([TAG_END]))
    return b"".join(parts)


def parse_response(body: bytes) -> tuple[int, str]:
    """(status-code, status-message) of an IPP response; the message may be empty."""
    if len(body) < 8:
        raise PrinterRefused("the answer is not IPP (shorter than its header)")
    status = struct.unpack(">H", body[2:4])[0]
    message, pos = "", 8
    while pos < len(body):
        tag = body[pos]
        pos += 1
        if tag == TAG_END:
            break
        if tag < 0x10:  # a group delimiter
            continue
        if pos + 2 > len(body):
            break
        (name_len,) = struct.unpack(">H", body[pos : pos + 2])
        name = body[pos + 2 : pos + 2 + name_len]
        pos += 2 + name_len
        if pos + 2 > len(body):
            break
        (value_len,) = struct.unpack(">H", body[pos : pos + 2])
        value = body[pos + 2 : pos + 2 + value_len]
        pos += 2 + value_len
        if name == b"status-message" and tag == TAG_TEXT:
            message = value.decode("utf-8", "replace")
    return status, message


def ipp_print_job(
    url: str, data: bytes, *, content_type: str, timeout: float = 5.0, job_name: str = ""
) -> None:
    """Print `data` on the IPP printer at `url` (ipp://, ipps://, http://, https://)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise PrinterUnreachable(f"not an IPP printer URL: {url!r}")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    secure = parts.scheme in ("ipps", "https")
    connection_class = http.client.HTTPSConnection if secure else http.client.HTTPConnection
    where = f"{parts.hostname}:{port}"
    body = print_job_request(url, content_type, job_name=job_name) + data
    conn = connection_class(parts.hostname, port, timeout=timeout)
    try:
        conn.request(
            "POST",
            (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            body=body,
            headers={"Content-Type": "application/ipp"},
        )
        response = conn.getresponse()
        answer = response.read()
    except TimeoutError as exc:
        raise PrinterUnreachable(f"{where}: no answer within {timeout:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise PrinterUnreachable(f"{where}: {getattr(exc, 'strerror', None) or exc}") from exc
    finally:
        conn.close()
    if response.status != 200:
        raise PrinterRefused(f"{where}: HTTP {response.status} {response.reason}")
    status, message = parse_response(answer)
    if status >= 0x0100:  # 0x0000-0x00FF: successful-ok and its variants
        raise PrinterRefused(f"{where}: IPP status 0x{status:04x} {message}".rstrip())

"""The printer adapter: bytes to a printer, over raw TCP (port 9100) or IPP. Imports nothing
from Django and knows nothing of labels; `sendcloud/services/printing.py` decides what to send.

    send(connection, address, data, *, content_type, timeout=5.0, job_name="") -> None

raises `PrinterUnreachable` (no connection, timeout) or `PrinterRefused` (the printer answered
with an error), both `PrinterError`, with a plain technical message.
"""

from .errors import PrinterError, PrinterRefused, PrinterUnreachable
from .ipp import ipp_print_job
from .raw import raw_send

RAW_TCP = "raw_tcp"
IPP = "ipp"


def send(
    connection: str,
    address: str,
    data: bytes,
    *,
    content_type: str,
    timeout: float = 5.0,
    job_name: str = "",
) -> None:
    """Send one document to a printer; returns once the printer has taken all bytes."""
    if connection == RAW_TCP:
        raw_send(address, data, timeout=timeout)
    elif connection == IPP:
        ipp_print_job(address, data, content_type=content_type, timeout=timeout, job_name=job_name)
    else:
        raise ValueError(f"unknown printer connection {connection!r}")


__all__ = [
    "IPP",
    "RAW_TCP",
    "PrinterError",
    "PrinterRefused",
    "PrinterUnreachable",
    "ipp_print_job",
    "raw_send",
    "send",
]

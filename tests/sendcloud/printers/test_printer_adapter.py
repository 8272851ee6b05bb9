"""The printer adapter (no Django): raw TCP and IPP Print-Job against the sandbox printer."""

import socket

import pytest

from sandbox.printer_panel import ipp_parse
from sendcloud.printers import PrinterRefused, PrinterUnreachable, send
from sendcloud.printers.ipp import parse_response, print_job_request
from sendcloud.printers.raw import raw_address

ZPL = b"^XA^FO20,20^FDhello^FS^XZ"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "address, expected",
    [
        ("192.168.1.50", ("192.168.1.50", 9100)),
        (" 192.168.1.50:9101 ", ("192.168.1.50", 9101)),
        ("zebra.lager.local", ("zebra.lager.local", 9100)),
        ("[fe80::1]:9100", ("fe80::1", 9100)),
        ("[fe80::1]", ("fe80::1", 9100)),
    ],
)
def test_raw_addresses_default_to_port_9100(address, expected):
    assert raw_address(address) == expected


@pytest.mark.parametrize(
    "address", ["", ":9100", "host:0", "host:70000", "host:abc", "ipp://host/x", "a b", "[::1]x"]
)
def test_raw_addresses_that_are_not_host_and_port_are_refused(address):
    with pytest.raises(ValueError):
        raw_address(address)


def test_raw_send_to_a_closed_port_is_unreachable():
    with pytest.raises(PrinterUnreachable, match="refused"):
        send("raw_tcp", f"127.0.0.1:{closed_port()}", ZPL, content_type="application/zpl")


def test_raw_send_delivers_every_byte_of_a_large_job(sandbox_printer):
    data = b"%PDF-1.4\n" + bytes(range(256)) * 4096  # 1 MiB
    send("raw_tcp", sandbox_printer.address, data, content_type="application/pdf")
    assert sandbox_printer.received() == [data]


def test_print_job_request_is_ipp_the_sandbox_understands():
    header = print_job_request(
        "ipp://cups.local:631/printers/Labels", "application/pdf", job_name="LA-7-1"
    )
    operation, request_id, attributes, document = ipp_parse(header + b"%PDF-1.4")
    assert header[:2] == b"\x01\x01" and operation == 0x0002 and request_id > 0
    assert attributes["printer-uri"] == "ipp://cups.local:631/printers/Labels"
    assert attributes["document-format"] == "application/pdf"
    assert attributes["job-name"] == "LA-7-1"
    assert attributes["attributes-charset"] == "utf-8"
    assert document == b"%PDF-1.4"


def test_an_ipp_answer_gives_its_status_and_message():
    body = b"\x01\x01\x04\x00\x00\x00\x00\x07\x01"
    body += b"\x41\x00\x0estatus-message\x00\x0bbad request\x03"
    assert parse_response(body) == (0x0400, "bad request")


def test_ipp_print_reaches_the_sandbox(sandbox_server, sandbox_app):
    send("ipp", f"{sandbox_server}/ipp/print", b"%PDF-1.4 x", content_type="application/pdf")
    (job,) = sandbox_app.extensions["sandbox"].printer_jobs.list()
    assert (job["via"], job["format"]) == ("ipp", "pdf")


def test_an_http_error_from_the_print_server_is_a_refusal(sandbox_server):
    with pytest.raises(PrinterRefused, match="HTTP 404"):
        send("ipp", f"{sandbox_server}/no-printer", b"%PDF", content_type="application/pdf")


def test_an_ipp_server_that_is_not_there_is_unreachable():
    with pytest.raises(PrinterUnreachable):
        send("ipp", f"ipp://127.0.0.1:{closed_port()}/printers/x", b"%PDF",
             content_type="application/pdf")  # fmt: skip


def test_an_unknown_connection_is_a_programming_error():
    with pytest.raises(ValueError):
        send("usb", "lp0", ZPL, content_type="application/zpl")

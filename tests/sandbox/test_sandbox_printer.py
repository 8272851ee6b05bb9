"""The fake network printer: raw TCP jobs, IPP Print-Job, power off, its panel and control API."""

import socket

import pytest

from sandbox.cli import main
from sandbox.printer import job_format
from sendcloud.printers import PrinterRefused, PrinterUnreachable, send

ZPL = b"^XA^FO50,50^FDJJD0099999999^FS^XZ\n"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_raw_job_is_stored_with_its_bytes_and_format(sandbox_printer):
    send("raw_tcp", sandbox_printer.address, ZPL, content_type="application/zpl")
    assert sandbox_printer.received() == [ZPL]
    (job,) = sandbox_printer.jobs.list()
    assert (job["via"], job["format"], job["size"], job["text"]) == (
        "raw",
        "zpl",
        len(ZPL),
        ZPL.decode(),
    )


def test_jobs_are_listed_newest_first(sandbox_printer):
    send("raw_tcp", sandbox_printer.address, ZPL, content_type="application/zpl")
    send("raw_tcp", sandbox_printer.address, PDF, content_type="application/pdf")
    assert sandbox_printer.received() == [PDF, ZPL]
    assert [job["format"] for job in sandbox_printer.jobs.list()] == ["pdf", "zpl"]


def test_a_printer_switched_off_refuses_connections_and_prints_again_when_on(sandbox_printer):
    sandbox_printer.power(False)
    with pytest.raises(PrinterUnreachable):
        send("raw_tcp", sandbox_printer.address, ZPL, content_type="application/zpl")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", sandbox_printer.port), timeout=2).close()
    sandbox_printer.power(True)
    send("raw_tcp", sandbox_printer.address, ZPL, content_type="application/zpl")
    assert sandbox_printer.received() == [ZPL]


def test_ipp_print_job_is_stored_with_its_job_name(sandbox_server, sandbox_app):
    send("ipp", f"{sandbox_server}/ipp/print", PDF, content_type="application/pdf", job_name="LA-1")
    jobs = sandbox_app.extensions["sandbox"].printer_jobs.list()
    assert [(j["via"], j["format"], j["job_name"], j["size"]) for j in jobs] == [
        ("ipp", "pdf", "LA-1", len(PDF))
    ]
    assert sandbox_app.extensions["sandbox"].printer_jobs.get(jobs[0]["id"])[1] == PDF


def test_ipp_printer_switched_off_refuses_the_job(sandbox_server, sandbox_app, sandbox_control):
    assert sandbox_control.post("/_sandbox/printer/power", json={"on": False}).status_code == 200
    with pytest.raises(PrinterRefused, match="0x0506"):
        send("ipp", f"{sandbox_server}/ipp/print", PDF, content_type="application/pdf")
    assert sandbox_app.extensions["sandbox"].printer_jobs.list() == []


def test_ipp_endpoint_refuses_what_is_not_ipp(sandbox_control):
    response = sandbox_control.post("/ipp/print", data=b"hello", content_type="application/ipp")
    assert response.status_code == 200 and response.data[2:4] == b"\x04\x00"


def test_control_api_lists_downloads_clears_and_switches(sandbox_printer, sandbox_control):
    send("raw_tcp", sandbox_printer.address, PDF, content_type="application/pdf")
    status = sandbox_control.get("/_sandbox/printer").get_json()
    assert status["power"] == "on" and status["address"] == sandbox_printer.address
    (job,) = status["jobs"]
    download = sandbox_control.get(f"/_sandbox/printer/jobs/{job['id']}")
    assert download.data == PDF and download.mimetype == "application/pdf"
    assert sandbox_control.get("/_sandbox/printer/jobs/999").status_code == 404
    assert sandbox_control.post("/_sandbox/printer/power", json={"on": "no"}).status_code == 400
    off = sandbox_control.post("/_sandbox/printer/power", json={"on": False}).get_json()
    assert off["power"] == "off" and not off["listening"]
    assert sandbox_control.delete("/_sandbox/printer/jobs").get_json() == {"deleted": 1}
    assert sandbox_control.get("/_sandbox/printer/jobs").get_json() == {"jobs": []}


def test_panel_shows_zpl_as_text_and_pdf_as_a_link_in_german_and_english(
    sandbox_printer, sandbox_control
):
    send("raw_tcp", sandbox_printer.address, ZPL, content_type="application/zpl")
    send("raw_tcp", sandbox_printer.address, PDF, content_type="application/pdf")
    german = sandbox_control.get("/panel/printer?lang=de").get_data(as_text=True)
    assert "Drucker" in german and "2 Druckaufträge" in german
    assert "^FDJJD0099999999^FS" in german and "PDF öffnen" in german
    assert sandbox_printer.address in german
    pdf_id = sandbox_printer.jobs.list()[0]["id"]
    assert sandbox_control.get(f"/panel/printer/jobs/{pdf_id}").data == PDF
    sandbox_printer.power(False)
    english = sandbox_control.get("/panel/printer?lang=en").get_data(as_text=True)
    assert "2 jobs" in english and "connections are refused" in english


def test_panel_without_jobs_says_so(sandbox_control):
    html = sandbox_control.get("/panel/printer?lang=en").get_data(as_text=True)
    assert "Nothing printed yet" in html and "not listening" in html


@pytest.mark.parametrize(
    "data, expected",
    [(ZPL, "zpl"), (PDF, "pdf"), (b"\x1b@hello", "raw"), (b"  ^XA^XZ", "zpl")],
)
def test_job_format_is_told_from_the_bytes(data, expected):
    assert job_format(data) == expected


def test_cli_switches_the_printer_and_clears_its_jobs(sandbox_server, sandbox_printer, capsys):
    send("raw_tcp", sandbox_printer.address, ZPL, content_type="application/zpl")
    main(["printer", "off", "--url", sandbox_server])
    assert not sandbox_printer.powered
    main(["printer", "clear", "--url", sandbox_server])
    main(["printer", "--url", sandbox_server])
    printed = capsys.readouterr().out
    assert '"deleted": 1' in printed and '"power": "off"' in printed
    assert sandbox_printer.jobs.list() == []


def test_the_sandbox_home_page_links_the_printer_panel(sandbox_control):
    html = sandbox_control.get("/?lang=de").get_data(as_text=True)
    assert 'href="/panel/printer?lang=de"' in html and "Drucker" in html

"""Setting printers up: the test page a new printer prints, and the demo company's printer
and packing station (the sandbox's fake label printer)."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from backoffice.inventory.models import Warehouse
from sendcloud.models import PackingStation, Printer


def test_page_zpl(printer: Printer, when: str) -> bytes:
    """A 4×6" ZPL label: "Test print", the printer's name and address, the time."""

    def text(value: str) -> str:
        return value.replace("^", " ").replace("~", " ")

    return (
        "^XA^CI28"
        "^CF0,60^FO50,60^FD" + text(_("Test print")) + "^FS"
        "^CF0,36^FO50,150^FD" + text(printer.name) + "^FS"
        "^FO50,200^FD" + text(printer.display_address) + "^FS"
        "^FO50,250^FD" + text(when) + "^FS"
        "^FO50,320^GB700,4,4^FS"
        "^XZ\n"
    ).encode("utf-8")


def test_page_pdf(printer: Printer, when: str) -> bytes:
    """One PDF page in the printer's paper size (A6, A4 for document printers), same text."""
    size = A4 if printer.label_format == Printer.Format.PDF_A4 else A6
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    canvas.setTitle(_("Test print"))
    top = size[1] - 20 * mm
    canvas.setFont("Helvetica-Bold", 24)
    canvas.drawString(10 * mm, top, _("Test print"))
    canvas.setFont("Helvetica", 12)
    for line, value in enumerate((printer.name, printer.display_address, when), start=1):
        canvas.drawString(10 * mm, top - line * 8 * mm, value)
    canvas.rect(5 * mm, 5 * mm, size[0] - 10 * mm, size[1] - 10 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


DEMO_PRINTER = "Sandbox-Etikettendrucker"
DEMO_STATION = "Packtisch 1"


def printing_demo_setup(company) -> Printer | None:
    """The demo's printer (the sandbox's fake label printer, ZPL over raw TCP) and packing
    station "Packtisch 1" in the company's first warehouse; nothing when it has printers."""
    warehouse = Warehouse.objects.filter(company=company, is_active=True).order_by("pk").first()
    if warehouse is None or Printer.objects.filter(company=company).exists():
        return None
    printer = Printer.objects.create(
        company=company,
        warehouse=warehouse,
        name=DEMO_PRINTER,
        connection=Printer.Connection.RAW_TCP,
        address=settings.SANDBOX_PRINTER_ADDRESS,
        label_format=Printer.Format.ZPL,
    )
    PackingStation.objects.get_or_create(
        company=company,
        warehouse=warehouse,
        name=DEMO_STATION,
        defaults={"label_printer": printer},
    )
    return printer

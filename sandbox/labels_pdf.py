"""Printable shipping labels (PDF A6 / A4 with four per sheet, ZPL) and customs documents
(CN23 / commercial invoice, A4) for sandbox parcels, drawn with reportlab.

Every label carries the carrier, the shipping option, sender and recipient, and the tracking
number as a Code 128 barcode with its text beneath; the sheet says it is a sandbox label. One
canvas per file and the standard fonts (nothing embedded) keep a label at a few milliseconds.
"""

import io
from datetime import UTC, datetime

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4, A5, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import catalogue as cat

SANDBOX_NOTE = "SANDBOX - kein gültiges Versandlabel / not a valid shipping label"
# v2 normal_printer start_from: 0 top left, 1 top right, 2 bottom left, 3 bottom right.
A4_SLOTS = [(0, A4[1] / 2), (A4[0] / 2, A4[1] / 2), (0, 0), (A4[0] / 2, 0)]


def _address_lines(address: dict) -> list[str]:
    lines = [address.get("name") or ""]
    if address.get("company_name"):
        lines.append(address["company_name"])
    street = " ".join(x for x in (address.get("street"), address.get("house_number")) if x)
    lines.append(street)
    if address.get("address_2"):
        lines.append(address["address_2"])
    lines.append(f"{address.get('postal_code') or ''} {address.get('city') or ''}".strip())
    lines.append(cat.COUNTRY[address["country"]][3] if address["country"] in cat.COUNTRY else "")
    return [line for line in lines if line]


def recipient(parcel) -> dict:
    s, d = parcel.shipment, parcel.data
    person = dict(s["person"])
    overlay = (s.get("v3_overlay") or {}).get("to_address") or {}
    person["company_name"] = overlay.get("company_name") or d.get("company_name") or ""
    person["address_2"] = overlay.get("address_line_2") or ""
    return person


def sender(parcel) -> dict:
    s = parcel.shipment["sender"]
    return {
        "name": s.get("contact_name") or s.get("company_name"),
        "company_name": s.get("company_name") if s.get("contact_name") else "",
        "street": s.get("street"), "house_number": s.get("house_number"),
        "postal_code": s.get("postal_code"), "city": s.get("city"), "country": s["country"],
    }  # fmt: skip


def _option_name(parcel) -> str:
    product = cat.PRODUCT_BY_CODE.get(parcel.shipment["ship_with"])
    return product.name if product else parcel.shipment["ship_with"]


def _draw_barcode(canvas, value, x, y, width, height):
    probe = Code128(value, barHeight=height, barWidth=1, quiet=0)
    bar_width = min(1.6, width / max(probe.width, 1))
    barcode = Code128(value, barHeight=height, barWidth=bar_width, quiet=0)
    barcode.drawOn(canvas, x + (width - barcode.width) / 2, y)


def _draw_label(canvas, parcel, x0, y0):
    """One label in a 105 × 148 mm box whose lower left corner is (x0, y0)."""
    w, h = A6
    c = canvas
    c.setLineWidth(1)
    c.rect(x0 + 3 * mm, y0 + 3 * mm, w - 6 * mm, h - 6 * mm)
    left = x0 + 7 * mm
    top = y0 + h - 12 * mm
    c.setFont("Helvetica-Bold", 20)
    c.drawString(left, top, cat.CARRIERS.get(parcel.shipment["carrier"], "Carrier"))
    c.setFont("Helvetica", 8)
    c.drawString(left, top - 5 * mm, _option_name(parcel))
    collo = f"{parcel.data['collo_nr'] + 1}/{parcel.data['collo_count']}"
    c.setFont("Helvetica-Bold", 14)
    c.drawRightString(x0 + w - 7 * mm, top, collo)
    c.line(x0 + 3 * mm, top - 8 * mm, x0 + w - 3 * mm, top - 8 * mm)
    y = top - 13 * mm
    c.setFont("Helvetica-Bold", 7)
    c.drawString(left, y, "Absender / From")
    c.setFont("Helvetica", 7)
    for line in _address_lines(sender(parcel)):
        y -= 3.2 * mm
        c.drawString(left, y, line)
    y -= 7 * mm
    c.setFont("Helvetica-Bold", 8)
    c.drawString(left, y, "Empfänger / To")
    for n, line in enumerate(_address_lines(recipient(parcel))):
        y -= 5 * mm
        c.setFont("Helvetica-Bold" if n == 0 else "Helvetica", 11)
        c.drawString(left + 4 * mm, y, line)
    tracking = parcel.tracking_number or str(parcel.id)
    _draw_barcode(c, tracking, x0 + 7 * mm, y0 + 32 * mm, w - 14 * mm, 20 * mm)
    c.setFont("Helvetica-Bold", 12)
    c.drawCentredString(x0 + w / 2, y0 + 26 * mm, tracking)
    c.setFont("Helvetica", 7)
    stamp = datetime.fromtimestamp(parcel.announced_at or parcel.created_at, UTC)
    facts = [
        f"Paket {parcel.id}",
        f"Bestellung {parcel.order_number or '-'}",
        f"{parcel.data['weight']} kg",
        stamp.strftime("%d.%m.%Y"),
    ]
    c.drawString(left, y0 + 18 * mm, "   ".join(facts))
    c.setFont("Helvetica-Oblique", 6)
    c.drawString(left, y0 + 8 * mm, SANDBOX_NOTE)


def _canvas(buffer, size, title):
    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Sendcloud sandbox")
    return canvas


def label_pdf(parcels, paper: str = "A6", start_from: int = 0) -> bytes:
    """Labels of ``parcels``: one A6 page each, or A4 sheets of four from slot ``start_from``."""
    buffer = io.BytesIO()
    paper = paper.upper()
    a4 = paper == "A4"
    size = {"A4": A4, "A5": A5}.get(paper, A6)
    canvas = _canvas(buffer, size, "Label " + ", ".join(str(p.id) for p in parcels))
    slot = start_from % 4 if a4 else 0
    for n, parcel in enumerate(parcels):
        if paper == "A5":  # the label in the upper part of the sheet
            if n:
                canvas.showPage()
            _draw_label(canvas, parcel, (A5[0] - A6[0]) / 2, A5[1] - A6[1])
        elif a4:
            if n and slot == 0:
                canvas.showPage()
            _draw_label(canvas, parcel, *A4_SLOTS[slot])
            slot = (slot + 1) % 4
        else:
            if n:
                canvas.showPage()
            _draw_label(canvas, parcel, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _zpl_text(text) -> str:
    return str(text or "").replace("^", " ").replace("~", " ")


def label_zpl(parcels) -> bytes:
    """4×6 in labels at 203 dpi, one ``^XA…^XZ`` block per parcel."""
    blocks = []
    for parcel in parcels:
        tracking = parcel.tracking_number or str(parcel.id)
        lines = [
            "^XA", "^CI28", "^PW812", "^LL1218",
            f"^FO40,40^A0N,60,60^FD{_zpl_text(cat.CARRIERS.get(parcel.shipment['carrier']))}^FS",
            f"^FO40,110^A0N,26,26^FD{_zpl_text(_option_name(parcel))}^FS",
            f"^FO640,40^A0N,50,50^FD{parcel.data['collo_nr'] + 1}/"
            f"{parcel.data['collo_count']}^FS",
            "^FO40,160^A0N,22,22^FDAbsender / From^FS",
        ]  # fmt: skip
        y = 190
        for line in _address_lines(sender(parcel)):
            lines.append(f"^FO40,{y}^A0N,22,22^FD{_zpl_text(line)}^FS")
            y += 26
        y += 30
        lines.append(f"^FO40,{y}^A0N,26,26^FDEmpfänger / To^FS")
        for line in _address_lines(recipient(parcel)):
            y += 40
            lines.append(f"^FO70,{y}^A0N,36,36^FD{_zpl_text(line)}^FS")
        lines += [
            f"^FO60,820^BY3^BCN,220,Y,N,N^FD{_zpl_text(tracking)}^FS",
            f"^FO40,1110^A0N,22,22^FDPaket {parcel.id}  Bestellung "
            f"{_zpl_text(parcel.order_number or '-')}  {parcel.data['weight']} kg^FS",
            f"^FO40,1150^A0N,20,20^FD{SANDBOX_NOTE}^FS",
            "^XZ",
        ]
        blocks.append("\n".join(lines))
    return ("\n".join(blocks) + "\n").encode("utf-8")


def customs_pdf(parcels) -> bytes:
    """A CN23 or commercial invoice (A4) per parcel, from its items and customs data."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, A4, "Customs " + ", ".join(str(p.id) for p in parcels))
    for n, parcel in enumerate(parcels):
        if n:
            canvas.showPage()
        _draw_customs(canvas, parcel)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_customs(c, parcel):
    w, h = A4
    kinds = parcel.data.get("customs_documents") or ["cn23"]
    title = {
        "cn23": "CN23 - Zollinhaltserklärung / Customs declaration",
        "commercial-invoice": "Handelsrechnung / Commercial invoice",
    }[kinds[0]]
    left, y = 20 * mm, h - 25 * mm
    c.setFont("Helvetica-Bold", 15)
    c.drawString(left, y, title)
    c.setFont("Helvetica", 9)
    y -= 7 * mm
    overlay = (parcel.shipment.get("v3_overlay") or {}).get("customs_information") or {}
    invoice = parcel.data.get("customs_invoice_nr") or overlay.get("invoice_number") or "-"
    reason = overlay.get("export_reason") or "commercial_goods"
    c.drawString(left, y, f"Rechnung / Invoice: {invoice}    Grund / Reason: {reason}")
    y -= 5 * mm
    carrier = cat.CARRIERS.get(parcel.shipment["carrier"], "")
    c.drawString(left, y, f"{carrier}  {parcel.tracking_number}  Paket {parcel.id}")
    y -= 10 * mm
    for column, (head, address) in enumerate(
        (("Absender / Sender", sender(parcel)), ("Empfänger / Recipient", recipient(parcel)))
    ):
        x, yy = left + column * 90 * mm, y
        c.setFont("Helvetica-Bold", 9)
        c.drawString(x, yy, head)
        c.setFont("Helvetica", 9)
        for line in _address_lines(address):
            yy -= 4.5 * mm
            c.drawString(x, yy, line)
    y -= 38 * mm
    columns = [(0, "Beschreibung / Description"), (75, "Menge"), (92, "Gewicht kg"),
               (115, "Wert EUR"), (137, "HS-Code"), (160, "Ursprung")]  # fmt: skip
    c.setFont("Helvetica-Bold", 8)
    for offset, head in columns:
        c.drawString(left + offset * mm, y, head)
    c.line(left, y - 1.5 * mm, w - 20 * mm, y - 1.5 * mm)
    c.setFont("Helvetica", 8)
    total_value, total_weight = 0.0, 0.0
    for item in parcel.data.get("items") or []:
        y -= 5 * mm
        quantity = int(item.get("quantity") or 1)
        value = float(item.get("value") or 0)
        weight = float(item.get("weight") or 0)
        total_value += value * quantity
        total_weight += weight * quantity
        cells = [
            str(item.get("description") or "")[:45],
            str(quantity),
            f"{weight:.3f}",
            f"{value:.2f}",
            item.get("hs_code") or "",
            item.get("origin_country") or "",
        ]
        for (offset, _), cell in zip(columns, cells, strict=True):
            c.drawString(left + offset * mm, y, cell)
    y -= 8 * mm
    c.setFont("Helvetica-Bold", 9)
    c.drawString(left, y, f"Summe / Total: {total_value:.2f} EUR   {total_weight:.3f} kg")
    _draw_barcode(c, parcel.tracking_number or str(parcel.id), left, 40 * mm, 90 * mm, 15 * mm)
    c.setFont("Helvetica", 9)
    c.drawString(left, 34 * mm, parcel.tracking_number or str(parcel.id))
    c.drawString(left, 24 * mm, "Datum, Unterschrift / Date, signature: ______________________")
    c.setFont("Helvetica-Oblique", 7)
    c.drawString(left, 14 * mm, SANDBOX_NOTE)

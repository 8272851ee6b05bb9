"""The Lieferschein (pick/delivery note): one A4 page per delivery order, its number as a
Code 128 barcode the packing page's scanner reads, the lines with SKU and EAN to pick by.

Texts in the active language (the reader's), numbers in its format.
"""

from decimal import Decimal
from typing import BinaryIO

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from .delivery import DeliveryOrder


def _number(value, places: int | None = None) -> str:
    amount = Decimal(str(value))
    if places is None:
        text = format(amount.normalize(), "f")
        places = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def _lines(address) -> str:
    return "<br/>".join(_escape(line) for line in address.address_lines())


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def delivery_number_barcode(number: str) -> Flowable:
    """The delivery number as Code 128 with the number printed under it."""
    return Code128(number, barHeight=16 * mm, barWidth=0.42 * mm, humanReadable=True, fontSize=11)


def _note(delivery: DeliveryOrder, styles) -> list:
    heading, normal, small = styles["Heading1"], styles["Normal"], styles["BodyText"]
    warehouse = delivery.warehouse
    lines = list(delivery.lines.select_related("product").order_by("pk"))
    head = Table(
        [
            [
                Paragraph(_("Delivery note") + " " + _escape(delivery.number), heading),
                delivery_number_barcode(delivery.number),
            ]
        ],
        colWidths=[95 * mm, 75 * mm],
    )
    head.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    )
    facts = [
        [_("Sales order"), _escape(delivery.sales_order.number)],
        [_("Delivery date"), formats.date_format(delivery.delivery_date, "SHORT_DATE_FORMAT")],
        [_("Shipping method"), _escape(delivery.shipping_method or "–")],
        [_("Warehouse"), _escape(f"{warehouse.code} – {warehouse.name}")],
    ]
    addresses = Table(
        [
            [
                Paragraph(f"<b>{_('Shipping address')}</b><br/>{_lines(delivery)}", normal),
                Paragraph(f"<b>{_('Warehouse')}</b><br/>{_lines(warehouse)}", normal),
            ]
        ],
        colWidths=[95 * mm, 75 * mm],
    )
    addresses.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rows = [[_("Pos."), _("SKU"), _("EAN"), _("Product"), _("Quantity")]]
    for index, line in enumerate(lines, start=1):
        product = line.product
        rows.append(
            [
                str(index),
                product.sku,
                product.ean or "–",
                Paragraph(_escape(product.name), small),
                _number(line.quantity),
            ]
        )
    units = sum(line.quantity for line in lines)
    weight = sum((line.weight_kg * line.quantity for line in lines), Decimal(0))
    rows.append(["", "", "", _("Total"), _number(units)])
    table = Table(rows, colWidths=[12 * mm, 30 * mm, 34 * mm, 74 * mm, 20 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ALIGN", (4, 0), (4, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f2f2f2")]),
            ]
        )
    )
    return [
        head,
        Spacer(1, 4 * mm),
        Table(facts, colWidths=[40 * mm, 130 * mm]),
        Spacer(1, 6 * mm),
        addresses,
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 4 * mm),
        KeepTogether(
            Paragraph(_("Weight of the goods: %(weight)s kg") % {"weight": _number(weight)}, normal)
        ),
    ]


def delivery_notes_pdf(deliveries, out: BinaryIO) -> int:
    """Write one A4 delivery note per delivery order into `out`; returns the number of notes."""
    styles = getSampleStyleSheet()
    story: list = []
    count = 0
    for delivery in deliveries:
        if story:
            story.append(PageBreak())
        story.extend(_note(delivery, styles))
        count += 1
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Delivery notes"),
    )
    document.build(story)
    return count

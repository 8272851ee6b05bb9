"""Label documents: fetched once, stored privately, merged into one PDF for printing."""

import io
from collections.abc import Iterable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from sendcloud.client import NotFound, SendcloudClient
from sendcloud.models import Label, Shipment

from .mapping import needs_customs

A4 = (Decimal("595.28"), Decimal("841.89"))  # points
PAPER_A6 = "a6"
PAPER_A4 = "a4"


def _split_pages(pdf: bytes, count: int) -> list[bytes] | None:
    """One PDF per page when the bulk file has exactly one page per parcel, else None."""
    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != count:
        return None
    out = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out


def label_documents_fetch(shipment: Shipment, client: SendcloudClient) -> int:
    """Download what is missing: label PDFs (one bulk request for several parcels, split into
    pages) and, outside the EU customs territory, the customs declaration. Returns requests."""
    labels = [label for label in shipment.labels.order_by("collo") if label.sendcloud_parcel_id]
    missing = [label for label in labels if not label.label_pdf]
    requests = 0
    if missing:
        ids = [label.sendcloud_parcel_id for label in missing]
        if shipment.generation == "v2":
            pdf = client.labels_v2.label_pdf(ids)
        elif len(ids) == 1:
            pdf = client.labels_v3.document(ids[0])
        else:
            pdf = client.labels_v3.documents(ids[:20])
        requests += 1
        pages = [pdf] if len(ids) == 1 else _split_pages(pdf, len(ids))
        if pages is None:  # not one page per parcel: ask per parcel instead
            pages = []
            for parcel_id in ids:
                pages.append(
                    client.labels_v2.label_pdf([parcel_id])
                    if shipment.generation == "v2"
                    else client.labels_v3.document(parcel_id)
                )
                requests += 1
        for label, content in zip(missing, pages, strict=False):
            label.label_pdf.save(
                f"label-{label.sendcloud_parcel_id}.pdf", ContentFile(content), save=True
            )
    delivery = shipment.delivery_order
    if needs_customs(delivery.country.code, delivery.postal_code):
        # Every parcel of a customs shipment has its own CN23 / commercial invoice (its items).
        for label in labels:
            if label.customs_pdf:
                continue
            requests += 1
            try:
                if shipment.generation == "v2":
                    customs = client.labels_v2.document(
                        label.sendcloud_parcel_id, "commercial-invoice", accept="application/pdf"
                    )
                else:
                    customs = client.labels_v3.document(
                        label.sendcloud_parcel_id, "customs-declaration", paper_size="A4"
                    )
            except NotFound:
                continue  # the carrier makes none for this route
            label.customs_pdf.save(
                f"customs-{label.sendcloud_parcel_id}.pdf", ContentFile(customs), save=True
            )
    return requests


def label_zpl_fetch(label: Label, client: SendcloudClient) -> bytes:
    """ZPL for label printers, fetched on demand and kept."""
    if label.label_zpl:
        with label.label_zpl.open("rb") as handle:
            return handle.read()
    if label.shipment.generation == "v2":
        data = client.labels_v2.document(label.sendcloud_parcel_id, accept="application/zpl")
    else:
        data = client.labels_v3.document(label.sendcloud_parcel_id, accept="application/zpl")
    label.label_zpl.save(f"label-{label.sendcloud_parcel_id}.zpl", ContentFile(data), save=True)
    return data


def _label_pages(labels: Iterable[Label]):
    for label in labels:
        if not label.label_pdf:
            continue
        with label.label_pdf.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
            yield from reader.pages


def _fit(page: PageObject, width: Decimal, height: Decimal) -> Transformation:
    box = page.mediabox
    scale = min(float(width) / float(box.width), float(height) / float(box.height))
    return Transformation().translate(-float(box.left), -float(box.bottom)).scale(scale, scale)


def labels_merge(
    labels: Iterable[Label] | QuerySet, out, *, paper: str = PAPER_A6, customs: bool = True
) -> int:
    """Write one PDF of all labels to the binary file `out`: A6 pages as they are, or A4
    sheets with four labels each, then (unless `customs=False`) the customs documents. Pages
    are read one label at a time; returns the page count.
    """
    writer = PdfWriter()
    count = 0
    if paper == PAPER_A6:
        for page in _label_pages(labels):
            writer.add_page(page)
            count += 1
    else:
        width, height = A4
        cell_w, cell_h = width / 2, height / 2
        sheet = None
        for index, page in enumerate(_label_pages(labels)):
            slot = index % 4
            if slot == 0:
                sheet = writer.add_blank_page(float(width), float(height))
            column, row = slot % 2, slot // 2
            transform = _fit(page, cell_w, cell_h).translate(
                float(cell_w * column), float(height - cell_h * (row + 1))
            )
            sheet.merge_transformed_page(page, transform)
            count += 1
    # Customs documents (A4, one per parcel outside the EU) follow the labels as they are: the
    # carrier wants them printed with the labels, on their own sheets.
    if customs:
        for page in _customs_pages(labels):
            writer.add_page(page)
            count += 1
    writer.write(out)
    return count


def customs_merge(labels: Iterable[Label] | QuerySet, out) -> int:
    """Write the customs documents of the labels (A4, as they are) as one PDF; page count."""
    writer = PdfWriter()
    count = 0
    for page in _customs_pages(labels):
        writer.add_page(page)
        count += 1
    writer.write(out)
    return count


def _customs_pages(labels: Iterable[Label]):
    for label in labels:
        if not label.customs_pdf:
            continue
        with label.customs_pdf.open("rb") as handle:
            yield from PdfReader(io.BytesIO(handle.read())).pages


def labels_mark_printed(labels: Iterable[Label]) -> int:
    ids = [label.pk for label in labels]
    return Label.objects.filter(pk__in=ids).update(printed_at=timezone.now())

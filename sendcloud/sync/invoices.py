"""Sendcloud invoices: v2 `GET /user/invoices` (v3 invoices are beta, §18); one list, no pages.

Invoice lines come with the list when Sendcloud includes them; otherwise they are fetched on
demand from the invoice page (`invoice_items_fetch`)."""

from __future__ import annotations

from django.utils import timezone

from sendcloud.clients import client_for
from sendcloud.models import Integration, Invoice, ObjectType

from .base import Page, TypeSync, clip, decimal_or_none


def _lines(invoice) -> list[dict]:
    return [{"id": line.id, "name": line.name} for line in invoice.items]


class InvoiceSync(TypeSync):
    object_type = ObjectType.INVOICES
    model = Invoice

    def batches(self, ctx, token):
        yield Page(tuple(ctx.client.v2.invoices(tolerant=True)))

    def rows(self, item):
        yield {
            "sendcloud_id": item.id,
            "reference": clip(item.ref, 100),
            "type": clip(item.type, 60),
            "date": item.date,
            "is_paid": item.is_paid,
            "price_excl": decimal_or_none(item.price_excl, 2, 10**10),
            "price_incl": decimal_or_none(item.price_incl, 2, 10**10),
            "items": _lines(item),
            "raw": item.raw,
        }


def invoice_items_fetch(integration: Integration, invoice: Invoice) -> Invoice:
    """Load one invoice's lines from Sendcloud (v2 `GET /user/invoices/{id}`)."""
    with client_for(integration, reference=f"invoice {invoice.sendcloud_id}") as client:
        fetched = client.invoice(invoice.sendcloud_id)
    invoice.items = _lines(fetched)
    invoice.items_fetched_at = timezone.now()
    invoice.save(update_fields=["items", "items_fetched_at"])
    return invoice

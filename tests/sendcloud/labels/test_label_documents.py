"""Label files: stored privately, merged into one PDF (A6 as is, A4 four per page); v2 labels."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from pypdf import PdfReader

from sendcloud.models import Integration, Label, Shipment
from sendcloud.services.labels import (
    delivery_order_label_cancel,
    delivery_order_label_create,
    labels_mark_printed,
    labels_merge,
)
from tests.sendcloud.labels.conftest import make_delivery, option_for

pytestmark = pytest.mark.django_db


def test_label_files_live_outside_static_and_media_and_have_no_url(shop):
    shipment = delivery_order_label_create(make_delivery(shop), shop["integration"])
    label = shipment.labels.get()
    path = label.label_pdf.path
    assert path.startswith(str(settings.VAR_DIR / "private"))
    with pytest.raises(ValueError):
        label.label_pdf.url  # noqa: B018 - served only through a view that checks the company


def test_five_labels_merge_into_a6_pages_or_two_a4_sheets(shop):
    for _ in range(5):
        delivery_order_label_create(make_delivery(shop), shop["integration"])
    labels = Label.objects.order_by("pk")
    a6, a4 = io.BytesIO(), io.BytesIO()
    assert labels_merge(labels, a6) == 5
    assert labels_merge(labels, a4, paper="a4") == 5
    assert len(PdfReader(io.BytesIO(a6.getvalue())).pages) == 5
    sheets = PdfReader(io.BytesIO(a4.getvalue())).pages
    assert len(sheets) == 2 and round(float(sheets[0].mediabox.width)) == 595
    assert labels_mark_printed(labels) == 5
    assert not Label.objects.filter(printed_at=None).exists()


def test_an_integration_on_v2_creates_and_cancels_through_v2(shop):
    Integration.objects.filter(pk=shop["integration"].pk).update(label_api="v2")
    shop["integration"].refresh_from_db()
    option_for(shop["integration"], v2_method_id=101)
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    assert (shipment.generation, shipment.state) == ("v2", Shipment.State.LIVE)
    label = shipment.labels.get()
    assert label.tracking_number and label.weight_kg == Decimal("0.800")
    with label.label_pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    cancelled = delivery_order_label_cancel(delivery, shop["integration"])
    assert cancelled.cancel_status in ("cancelled", "queued", "deleted")

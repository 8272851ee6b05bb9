"""Return status from webhooks and the reconciliation; the Retoure on delivery and its
booking; cancelling; the label e-mail in the customer's language."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone, translation

from backoffice.inventory.stock import stock_quantity
from sendcloud.errors import ApplicationError
from sendcloud.models import Return
from sendcloud.services.returns import (
    delivery_order_return_create,
    return_cancel,
    return_label_email,
    returns_reconcile_all,
)
from sendcloud.services.returns.booking import LineBooking, retoure_book
from sendcloud.webhooks.handlers import on_parcel_status_changed, on_return_event
from tests.sendcloud.returns.conftest import labelled_delivery

pytestmark = pytest.mark.django_db


def _webhook(returned, status_id, message, when):
    payload = {
        "action": "parcel_status_changed",
        "timestamp": int(when.timestamp() * 1000),
        "parcel": {
            "id": returned.incoming_parcel_id, "is_return": True,
            "status": {"id": status_id, "message": message},
            "tracking_number": returned.incoming_tracking_number,
        },
    }  # fmt: skip
    on_parcel_status_changed(SimpleNamespace(integration=returned.integration), payload)
    returned.refresh_from_db()


@pytest.fixture
def returned(return_shop):
    delivery = labelled_delivery(return_shop)
    return delivery_order_return_create(delivery, return_shop["integration"])


def test_a_delivered_webhook_creates_the_retoure_once_and_old_news_never_win(returned):
    now = timezone.now()
    _webhook(returned, 11, "Delivered", now)
    retoure = returned.retoure
    assert retoure is not None and returned.delivered_at is not None
    assert [
        (line.delivery_order_line_id, line.quantity_expected) for line in retoure.lines.all()
    ] == [(line.delivery_order_line_id, line.quantity) for line in returned.lines.all()]
    _webhook(returned, 3, "En route to sorting center", now - timedelta(hours=2))
    _webhook(returned, 11, "Delivered", now)  # a duplicate
    assert (returned.parcel_status_id, returned.retoure_id) == (11, retoure.pk)


def test_the_reconciliation_moves_a_return_to_delivered(returned, sandbox_control):
    sandbox_control.post("/_sandbox/clock", json={"advance": 3 * 86400})
    sandbox_control.post("/_sandbox/progression/run")
    assert returns_reconcile_all() == 1  # the beat task: every integration with open returns
    returned.refresh_from_db()
    assert returned.parcel_status_id == 11
    assert returned.retoure is not None


def test_booking_puts_pieces_back_to_stock_and_writes_the_rest_off_with_a_reason(returned):
    _webhook(returned, 11, "Delivered", timezone.now())
    retoure = returned.retoure
    line = retoure.lines.get()
    product = line.delivery_order_line.product
    with pytest.raises(ApplicationError) as caught:
        retoure_book(retoure, {line.pk: LineBooking(1, 1, "")})
    assert [p.field for p in caught.value.problems] == [f"reason_{line.pk}"]
    with pytest.raises(ApplicationError):
        retoure_book(retoure, {line.pk: LineBooking(1, 0)})  # one piece unaccounted for
    assert stock_quantity(product, retoure.warehouse) == 0
    retoure_book(retoure, {line.pk: LineBooking(1, 1, "Verpackung beschädigt")})
    assert stock_quantity(product, retoure.warehouse) == 1
    with pytest.raises(ApplicationError):
        retoure_book(retoure, {line.pk: LineBooking(2, 0)})
    assert stock_quantity(product, retoure.warehouse) == 1


def test_cancel_is_requested_then_refused_with_sendclouds_answer_in_german(returned):
    with translation.override("de"):
        text = return_cancel(returned)
        assert "Stornierung" in text
        returned.refresh_from_db()
        assert returned.state == Return.State.CANCEL_REQUESTED
        returned.state = Return.State.LIVE  # as if the user tried again at once
        returned.save()
        with pytest.raises(ApplicationError) as caught:
            return_cancel(returned)
        assert "nicht mehr stornieren" in caught.value.message


@pytest.mark.parametrize(("language", "subject"), [("de", "Ihr Rücksendeetikett"),
                                                  ("en", "Your return label")])  # fmt: skip
def test_the_label_goes_to_the_customer_in_their_language_with_the_tracking_link(
    returned, language, subject
):
    customer = returned.delivery_order.sales_order.customer
    customer.language = language
    customer.save()
    to = return_label_email(returned)
    [message] = mail.outbox
    assert message.to == [to]
    assert message.subject.startswith(subject)
    assert returned.tracking_url in message.body
    assert message.attachments[0][2] == "application/pdf"


def test_events_of_one_moment_in_any_order_leave_the_return_delivered(returned):
    now = timezone.now()
    _webhook(returned, 11, "Delivered", now)
    _webhook(returned, 92, "Driver en route", now)
    assert returned.parcel_status_id == 11


def test_the_return_delivered_webhook_also_brings_the_retoure(returned):
    payload = {
        "action": "return_delivered",
        "timestamp": int(timezone.now().timestamp() * 1000),
        "refund": {"incoming_parcel": returned.incoming_parcel_id, "status": "open"},
    }
    on_return_event(SimpleNamespace(integration=returned.integration, action="return_delivered"),
                    payload)  # fmt: skip
    returned.refresh_from_db()
    assert returned.retoure is not None
    assert returned.refund_status == "open"


def test_cancelling_a_return_sendcloud_does_not_know_says_so(returned):
    returned.sendcloud_id = 999999999
    returned.save()
    with translation.override("de"), pytest.raises(ApplicationError) as caught:
        return_cancel(returned)
    assert "kennt diese Retoure nicht" in caught.value.message

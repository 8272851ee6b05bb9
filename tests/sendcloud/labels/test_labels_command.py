"""`manage.py sendcloud_labels`: one line per order, exit code, reruns create nothing."""

import pytest
from django.core.management import CommandError, call_command

from sendcloud.models import Shipment
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("sendcloud_labels", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_labels_for_named_orders_then_a_rerun_creates_nothing(shop):
    first, second = make_delivery(shop), make_delivery(shop)
    output = run(first.number, second.number)
    tracking = Shipment.objects.get(delivery_order=first).labels.get().tracking_number
    assert f"{first.number}: {tracking}" in output
    again = run(first.number, second.number)
    assert Shipment.objects.count() == 2
    assert tracking in again and first.number in again


def test_a_failing_order_makes_the_exit_code_non_zero_and_says_why(shop):
    good = make_delivery(shop)
    bad = make_delivery(shop, postal_code="", city="")
    with pytest.raises(CommandError) as caught:
        run(good.number, bad.number, "LA-NOPE")
    assert caught.value.returncode == 1
    assert Shipment.objects.filter(delivery_order=good, state="live").exists()


def test_cancel_cancels_their_labels(shop):
    delivery = make_delivery(shop)
    run(delivery.number)
    output = run("--cancel", delivery.number)
    assert delivery.number in output
    shipment = Shipment.objects.get(delivery_order=delivery)
    assert shipment.state in ("cancelled", "cancel_requested")

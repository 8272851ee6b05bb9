"""`manage.py sendcloud_labels`: one line per order, exit code, reruns create nothing."""

import pytest
from django.core.management import CommandError, call_command

from sendcloud.models import Shipment
from tests.factories import ShippingMethodFactory
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


def test_ready_with_choose_cheapest_labels_the_whole_day_with_the_cheapest_fitting_option(shop):
    from sendcloud.models import DeliveryOrderShippingOption, LabelJob
    from tests.sendcloud.labels.conftest import option_for

    option_for(shop["integration"], "ups:standard", name="UPS Standard",
               countries=[{"price": "7.90", "currency": "EUR"}])  # fmt: skip
    cheap = option_for(shop["integration"], "dpd:home", name="DPD Home",
                       countries=[{"price": "3.95", "currency": "EUR"}])  # fmt: skip
    first, second = make_delivery(shop), make_delivery(shop)
    draft = make_delivery(shop, state="draft")
    pickup = make_delivery(shop, shipping_method=ShippingMethodFactory(
        company=shop["integration"].company, provider="pickup"))  # fmt: skip
    run("--ready", "--choose", "cheapest")
    for delivery in (first, second):
        chosen = DeliveryOrderShippingOption.objects.get(delivery_order=delivery)
        assert chosen.shipping_option == cheap
        assert chosen.reason.startswith("automatisch: günstigste passende Option DPD Home")
        shipment = Shipment.objects.get(delivery_order=delivery)
        assert shipment.shipping_option_code == "dpd:home" and str(shipment.price) == "3.95"
        assert shipment.events.filter(kind="chosen").exists()
    assert not Shipment.objects.filter(delivery_order__in=[draft, pickup]).exists()
    assert not LabelJob.objects.get().items.filter(delivery_order=pickup).exists()
    assert LabelJob.objects.get().choose == "cheapest"
    run("--ready")  # a rerun finds nothing ready without a live label
    assert Shipment.objects.count() == 2


def test_a_retried_job_chooses_the_same_way(shop):
    from sendcloud.models import LabelJob, LabelJobItem
    from sendcloud.services.labels import label_job_create, label_job_retry_failed

    delivery = make_delivery(shop)
    job = label_job_create(shop["integration"], [delivery], choose="fastest", enqueue=False)
    # A transient failure (no refusal): the retry sends it again.
    job.items.update(state=LabelJobItem.State.FAILED, message="timeout")
    retry = label_job_retry_failed(job, enqueue=False)
    assert LabelJob.objects.get(pk=retry.pk).choose == "fastest"


def test_neither_numbers_nor_ready_is_refused(shop):
    with pytest.raises(CommandError):
        run()

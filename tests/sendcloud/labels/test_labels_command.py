"""`manage.py sendcloud_labels`: one line per order, exit code, reruns create nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sendcloud.models import Shipment
from tests.factories import ShippingMethodFactory
from tests.sendcloud.labels.conftest import make_delivery

pytestmark = pytest.mark.django_db


def run(*args):
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


def run_json(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("sendcloud_labels", *args, "--no-progress", "--json", stdout=out, stderr=err)
    except CommandError as error:
        return json.loads(out.getvalue()), error.returncode
    return json.loads(out.getvalue()), 0


def test_json_lists_each_order_with_its_outcome_and_exit_code_1_when_one_failed(shop):
    good = make_delivery(shop)
    bad = make_delivery(shop, postal_code="", city="")

    document, code = run_json(good.number, bad.number, "LA-NOPE")

    assert code == 1 and document["exit_code"] == 1 and document["ok"] is False
    outcome = {r["delivery_order"]: r["ok"] for r in document["results"]}
    assert outcome == {good.number: True, bad.number: False, "LA-NOPE": False}
    assert document["summary"]["failed"] == 2 and document["summary"]["total"] == 3
    assert document["command"] == "sendcloud_labels"


def test_json_all_good_exits_0_and_a_usage_error_exits_2(shop):
    document, code = run_json(make_delivery(shop).number)
    assert code == 0 and document["ok"] is True and document["results"][0]["state"] == "succeeded"

    document, code = run_json()  # neither numbers nor --ready
    assert code == 2 and document["error"] and document["results"] == []


def metric(client, name):
    text = client.get("/metrics").content.decode()
    (value,) = [
        float(line.split()[-1]) for line in text.splitlines() if line.startswith(name + " ")
    ]
    return value


def test_metrics_count_the_labels_created_and_cancelled(shop, client):
    first, second = make_delivery(shop), make_delivery(shop)
    run(first.number, second.number)
    assert metric(client, "sendcloud_labels_created_total") == 2
    assert metric(client, "sendcloud_labels_cancelled_total") == 0

    run("--cancel", first.number)

    cancelled = Shipment.objects.filter(state="cancelled").count()
    assert metric(client, "sendcloud_labels_cancelled_total") == cancelled
    assert metric(client, "sendcloud_labels_created_total") == 2

"""Creating labels against the sandbox: one paid label per delivery order, never two."""

from decimal import Decimal

import pytest
from django.utils import timezone

from backoffice.sales.models import Package
from sendcloud import jobs
from sendcloud.errors import ApplicationError
from sendcloud.models import (
    Integration,
    Label,
    LabelJob,
    LabelJobItem,
    Shipment,
    ShipmentEvent,
)
from sendcloud.models.runs import STALE_AFTER
from sendcloud.services.labels import (
    LiveLabelExists,
    delivery_order_label_cancel,
    delivery_order_label_create,
    label_job_create,
    label_job_execute,
)
from sendcloud.services.labels import runs as label_runs
from sendcloud.services.sync_schedules import sync_runs_resume_stale
from tests.sendcloud.labels.conftest import make_delivery, option_for

pytestmark = pytest.mark.django_db


def sandbox_shipments(sandbox_control, account):
    response = sandbox_control.get(f"/_sandbox/accounts/{account['id']}/shipments")
    return response.get_json()["shipments"]


def test_a_single_parcel_label_is_announced_with_tracking_and_pdf(shop):
    delivery = make_delivery(shop)
    shipment = delivery_order_label_create(delivery, shop["integration"])
    assert shipment.state == Shipment.State.LIVE
    assert (shipment.generation, shipment.mode) == ("v3", "announce")
    [label] = shipment.labels.all()
    assert label.tracking_number and label.sendcloud_parcel_id
    with label.label_pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert shipment.carrier_name and shipment.price == Decimal("4.49")
    assert shipment.external_reference.startswith(delivery.number + "-")


def test_a_second_label_is_refused_while_one_is_live(shop, sandbox_control, sandbox_account):
    delivery = make_delivery(shop)
    first = delivery_order_label_create(delivery, shop["integration"])
    with pytest.raises(LiveLabelExists) as caught:
        delivery_order_label_create(delivery, shop["integration"])
    assert caught.value.shipment == first
    created = [s for s in sandbox_shipments(sandbox_control, sandbox_account)]
    assert len(created) == 1


def test_packages_become_one_multicollo_shipment(shop):
    delivery = make_delivery(shop)
    for weight in ("2.0", "3.5", "1.2"):
        Package.objects.create(delivery_order=delivery, weight_kg=Decimal(weight))
    shipment = delivery_order_label_create(delivery, shop["integration"])
    assert shipment.mode == "create"
    labels = list(shipment.labels.order_by("collo"))
    assert len(labels) == 3
    assert shipment.state in (Shipment.State.LIVE, Shipment.State.ANNOUNCING)


def test_preflight_failures_send_nothing(shop, sandbox_control, sandbox_account):
    option_for(shop["integration"], max_weight_kg=Decimal("0.5"))
    delivery = make_delivery(shop, service_point_id="")
    with pytest.raises(ApplicationError) as caught:
        delivery_order_label_create(delivery, shop["integration"])
    assert any(p.field == "weight" for p in caught.value.problems)
    assert not Shipment.objects.exists()
    assert sandbox_shipments(sandbox_control, sandbox_account) == []
    assert ShipmentEvent.objects.filter(delivery_order=delivery, kind="preflight").exists()


def test_customs_data_is_required_outside_the_eu_customs_territory(shop):
    shop["product"].hs_code = ""
    shop["product"].save()
    delivery = make_delivery(shop, country="CH", postal_code="8001", city="Zürich")
    with pytest.raises(ApplicationError) as caught:
        delivery_order_label_create(delivery, shop["integration"])
    assert shop["product"].sku in str(caught.value.problems)


def test_cancel_then_a_new_label_may_be_created(shop):
    delivery = make_delivery(shop)
    first = delivery_order_label_create(delivery, shop["integration"])
    cancelled = delivery_order_label_cancel(delivery, shop["integration"])
    assert cancelled.cancel_status in ("cancelled", "queued")
    assert cancelled.state in (Shipment.State.CANCELLED, Shipment.State.CANCEL_REQUESTED)
    second = delivery_order_label_create(delivery, shop["integration"])
    assert second.pk != first.pk and second.attempt == 2


def test_test_mode_cancels_every_label_right_after_creation(shop):
    Integration.objects.filter(pk=shop["integration"].pk).update(test_mode=True)
    shop["integration"].refresh_from_db()
    shipment = delivery_order_label_create(make_delivery(shop), shop["integration"])
    assert shipment.test_mode and shipment.cancel_status in ("cancelled", "queued")
    assert Label.objects.filter(shipment=shipment).exists()


def test_a_label_job_that_crashes_is_failed_at_once_with_the_reason(shop, monkeypatch):
    delivery = make_delivery(shop)
    job = label_job_create(shop["integration"], [delivery], enqueue=False)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(label_runs, "_run_item", crash)
    with pytest.raises(RuntimeError):
        label_job_execute(job.pk)

    job.refresh_from_db()
    assert job.state == LabelJob.State.FAILED and "disk full" in job.error
    assert job.items.get().state == LabelJobItem.State.FAILED
    assert not job.active  # nothing waits for a stale time


def test_a_label_job_whose_worker_died_is_resumed_and_labels_each_order_once(
    shop, sandbox_control, sandbox_account, monkeypatch
):
    deliveries = [make_delivery(shop) for _ in range(3)]
    job = label_job_create(shop["integration"], deliveries, enqueue=False)
    label_job_execute(job.pk)  # the first worker labels them all ...
    LabelJob.objects.filter(pk=job.pk).update(  # ... and dies before it can say so
        state=LabelJob.State.RUNNING, heartbeat_at=timezone.now() - STALE_AFTER * 2
    )
    job.items.update(state=LabelJobItem.State.RUNNING)
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: queued.append((name, args)))
    sync_runs_resume_stale()

    assert (jobs.LABEL_JOB_EXECUTE, (job.pk,)) in queued
    label_job_execute(job.pk)  # what the re-queued task does
    job.refresh_from_db()
    assert job.state == LabelJob.State.SUCCEEDED and job.done == 3
    for delivery in deliveries:
        assert Shipment.objects.filter(delivery_order=delivery).count() == 1
    at_sendcloud = sandbox_shipments(sandbox_control, sandbox_account)
    assert len(at_sendcloud) == 3


def test_a_resumed_label_job_reports_the_labels_it_made_itself_as_created(shop, monkeypatch):
    earlier = make_delivery(shop)
    labelled_before = delivery_order_label_create(earlier, shop["integration"])
    delivery = make_delivery(shop)
    job = label_job_create(shop["integration"], [earlier, delivery], enqueue=False)
    mine = delivery_order_label_create(delivery, shop["integration"], job=job)
    # The worker died after Sendcloud made the label, before the item said so.
    LabelJob.objects.filter(pk=job.pk).update(
        state=LabelJob.State.RUNNING, heartbeat_at=timezone.now() - STALE_AFTER * 2
    )
    job.items.update(state=LabelJobItem.State.RUNNING)
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: None)

    label_job_execute(job.pk)

    first, second = job.items.order_by("pk")
    assert (first.state, first.shipment) == (LabelJobItem.State.SKIPPED, labelled_before)
    assert first.message == LiveLabelExists(labelled_before).message
    assert (second.state, second.shipment) == (LabelJobItem.State.SUCCEEDED, mine)
    assert second.message == mine.labels.get().tracking_number

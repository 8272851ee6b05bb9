"""Creating a return for a shipped delivery order: the rules, Sendcloud's answers, one row."""

import pytest

from sendcloud.errors import ApplicationError
from sendcloud.models import Return, SyncRun
from sendcloud.services.returns import delivery_order_return_create, return_plan
from sendcloud.sync import sync_start
from sendcloud.sync.runner import sync_run_execute
from tests.sendcloud.returns.conftest import labelled_delivery, make_delivery, sandbox_returns

pytestmark = pytest.mark.django_db


def test_a_return_is_created_with_its_label_tracking_and_lines(return_shop, sandbox_control,
                                                              sandbox_account):  # fmt: skip
    delivery = labelled_delivery(return_shop)
    line = delivery.lines.get()
    returned = delivery_order_return_create(
        delivery, return_shop["integration"], quantities={line.pk: 1}, reason_id=22,
        refund_type="credit",
    )  # fmt: skip
    assert returned.state == Return.State.LIVE
    assert returned.sendcloud_id and returned.incoming_parcel_id
    assert returned.incoming_tracking_number and returned.tracking_url
    assert returned.label_pdf.read(4) == b"%PDF"
    assert [(rl.delivery_order_line, rl.quantity) for rl in returned.lines.all()] == [(line, 1)]
    assert (returned.reason_id, returned.refund_type) == (22, "credit")
    assert len(sandbox_returns(sandbox_control, sandbox_account["id"])) == 1
    assert Return.objects.count() == 1


def test_a_delivery_order_without_a_live_label_cannot_get_a_return(return_shop):
    delivery = make_delivery(return_shop)
    with pytest.raises(ApplicationError) as caught:
        return_plan(delivery, return_shop["integration"], quantities=None, reason_id=None,
                    refund_type="money", option_code=None)  # fmt: skip
    assert "kein gültiges Versandlabel" in " ".join(str(p) for p in caught.value.problems)


def test_more_pieces_than_shipped_or_left_are_refused_naming_the_line(return_shop):
    delivery = labelled_delivery(return_shop)
    line = delivery.lines.get()
    integration = return_shop["integration"]
    with pytest.raises(ApplicationError) as caught:
        return_plan(delivery, integration, quantities={line.pk: 3}, reason_id=1,
                    refund_type="money", option_code=None)  # fmt: skip
    assert [p.field for p in caught.value.problems] == [f"line_{line.pk}"]
    delivery_order_return_create(delivery, integration, quantities={line.pk: 2})
    with pytest.raises(ApplicationError) as caught:
        return_plan(delivery, integration, quantities=None, reason_id=1, refund_type="money",
                    option_code=None)  # fmt: skip
    assert [p.field for p in caught.value.problems] == ["lines"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason_id": 2}, "reason"),
        ({"refund_type": "cash"}, "refund_type"),
        ({"option_code": "dhl:paket"}, "option"),
        ({"delivery_option": "drop_off_labelless"}, "delivery_option"),
    ],
)
def test_each_request_field_is_checked_before_sendcloud_is_asked(return_shop, change, field):
    delivery = labelled_delivery(return_shop)
    values = {"quantities": None, "reason_id": 1, "refund_type": "money", "option_code": None}
    values.update(change)
    with pytest.raises(ApplicationError) as caught:
        return_plan(delivery, return_shop["integration"], **values)
    assert field in [p.field for p in caught.value.problems]


def test_sendcloud_validation_refusal_is_shown_and_nothing_is_stored(return_shop, sandbox_control,
                                                                    sandbox_account):  # fmt: skip
    delivery = labelled_delivery(return_shop)
    delivery.postal_code = "123"  # DHL wants five digits in Germany
    delivery.save()
    with pytest.raises(ApplicationError) as caught:
        delivery_order_return_create(delivery, return_shop["integration"])
    assert "postal code" in caught.value.message
    assert [p.field for p in caught.value.problems] == ["from_address.postal_code"]
    assert not Return.objects.exists()
    assert sandbox_returns(sandbox_control, sandbox_account["id"]) == []


def test_the_abgleich_updates_a_created_return_in_its_row_and_keeps_what_is_ours(return_shop):
    delivery = labelled_delivery(return_shop)
    integration = return_shop["integration"]
    returned = delivery_order_return_create(delivery, integration, reason_id=21)
    run = sync_start(integration, ["returns"], trigger=SyncRun.Trigger.CLI, queue=False)
    sync_run_execute(run.pk)
    mine = Return.objects.filter(sendcloud_id=returned.sendcloud_id)
    assert mine.count() == 1
    synced = mine.get()
    assert synced.pk == returned.pk and synced.synced_at is not None
    assert (synced.delivery_order, synced.state, synced.reason_id) == (delivery, "live", 21)
    assert synced.incoming_parcel_id == returned.incoming_parcel_id
    assert synced.label_pdf.name == returned.label_pdf.name

"""`manage.py sendcloud_returns LA-…`: one return per labelled order, however often it runs."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sendcloud.models import Return
from tests.sendcloud.returns.conftest import labelled_delivery, make_delivery, sandbox_returns

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("sendcloud_returns", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_twice_on_five_labelled_orders_leaves_exactly_one_return_each_with_a_label(
    return_shop, sandbox_control, sandbox_account
):
    numbers = [labelled_delivery(return_shop).number for _ in range(5)]
    first = run(*numbers, "--reason", "21")
    second = run(*numbers, "--reason", "21")
    assert first.count("Retoure angelegt") == 5  # German first
    assert second.count("hat seine Retoure schon") == 5
    at_sandbox = sandbox_returns(sandbox_control, sandbox_account["id"])
    assert sorted(order for _id, order in at_sandbox) == sorted(numbers)
    returns = Return.objects.filter(delivery_order__number__in=numbers)
    assert returns.count() == 5
    assert all(r.label_pdf and r.reason_id == 21 for r in returns)
    for r in returns:
        assert r.lines.get().quantity == 2


def test_exit_code_is_not_zero_when_an_order_has_no_live_label_or_does_not_exist(return_shop):
    labelled = labelled_delivery(return_shop).number
    unlabelled = make_delivery(return_shop).number
    with pytest.raises(CommandError) as caught:
        run(labelled, unlabelled, "LA-NOPE")
    assert caught.value.returncode == 1
    assert Return.objects.filter(delivery_order__number=labelled).count() == 1


def test_json_names_each_order_and_exits_1_when_one_has_no_return(return_shop):
    labelled = labelled_delivery(return_shop).number
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "sendcloud_returns", labelled, "LA-NOPE", "--no-progress", "--json",
            stdout=out, stderr=StringIO(),
        )  # fmt: skip

    document = json.loads(out.getvalue())
    assert caught.value.returncode == 1 == document["exit_code"]
    assert {r["delivery_order"]: r["ok"] for r in document["results"]} == {
        labelled: True,
        "LA-NOPE": False,
    }
    assert document["summary"] == {"total": 2, "succeeded": 1, "failed": 1}


def test_json_for_an_unknown_company_is_a_usage_error(return_shop):
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "sendcloud_returns", "LA-1", "--company", "Nope", "--json",
            stdout=out, stderr=StringIO(),
        )  # fmt: skip
    assert caught.value.returncode == 2 and json.loads(out.getvalue())["exit_code"] == 2

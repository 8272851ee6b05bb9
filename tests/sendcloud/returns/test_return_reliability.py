"""Lost answers never make a second return: the attempt is looked up, or sent again with the
same external reference, which Sendcloud refuses when it already has it."""

import httpx
import pytest

from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Return
from sendcloud.services.returns import ReturnPending, delivery_order_return_create, return_plan
from sendcloud.services.returns.mapping import return_body
from tests.sendcloud.returns.conftest import labelled_delivery, sandbox_returns

pytestmark = pytest.mark.django_db


class LosingTransport(httpx.BaseTransport):
    """Loses the answers of the next `times` matching requests: after the sandbox handled
    them (`deliver=True`) or before they reached it."""

    def __init__(self, inner, method, path, *, times=1, deliver=True):
        self.inner, self.method, self.path = inner, method, path
        self.times, self.deliver = times, deliver

    def handle_request(self, request):
        if self.times and request.method == self.method and request.url.path == self.path:
            self.times -= 1
            if self.deliver:
                self.inner.handle_request(request).read()
            raise httpx.ReadTimeout("answer lost", request=request)
        return self.inner.handle_request(request)


def _client(shop, sandbox_transport, *losses):
    transport = sandbox_transport
    for method, path, deliver, *times in losses:
        transport = LosingTransport(
            transport, method, path, deliver=deliver, times=times[0] if times else 1
        )
    return client_for(shop["integration"], transport=transport)


def test_an_answer_lost_after_the_return_exists_adopts_it(
    return_shop, sandbox_transport, sandbox_control, sandbox_account
):
    delivery = labelled_delivery(return_shop)
    client = _client(return_shop, sandbox_transport, ("POST", "/api/v3/returns", True))
    returned = delivery_order_return_create(delivery, return_shop["integration"], client=client)
    assert returned.state == Return.State.LIVE
    assert returned.label_pdf
    assert len(sandbox_returns(sandbox_control, sandbox_account["id"])) == 1


def test_a_request_lost_on_the_way_is_sent_again_with_the_same_reference(
    return_shop, sandbox_transport, sandbox_control, sandbox_account
):
    delivery = labelled_delivery(return_shop)
    client = _client(return_shop, sandbox_transport, ("POST", "/api/v3/returns", False))
    returned = delivery_order_return_create(delivery, return_shop["integration"], client=client)
    assert returned.state == Return.State.LIVE
    assert len(sandbox_returns(sandbox_control, sandbox_account["id"])) == 1


def test_when_the_lookup_fails_too_the_attempt_waits_and_the_next_call_adopts_it(
    return_shop, sandbox_transport, sandbox_control, sandbox_account, settings
):
    settings.SENDCLOUD_LABEL_LOOKUP_AFTER_SECONDS = 0
    delivery = labelled_delivery(return_shop)
    integration = return_shop["integration"]
    client = _client(
        return_shop,
        sandbox_transport,
        ("POST", "/api/v3/returns", True),
        ("GET", "/api/v3/returns", False, 20),  # more than the client's read retries
    )
    with pytest.raises(Exception):  # noqa: B017  (the lookup's own lost answer, any error)
        delivery_order_return_create(delivery, integration, client=client)
    assert Return.objects.get().state == Return.State.CREATING
    # The next request for the same order resolves the open attempt first and creates nothing.
    with pytest.raises(ApplicationError) as caught:
        delivery_order_return_create(delivery, integration)
    assert not isinstance(caught.value, ReturnPending)
    assert caught.value.problems[0].field == "lines"  # everything is in the adopted return
    assert Return.objects.get().state == Return.State.LIVE
    assert len(sandbox_returns(sandbox_control, sandbox_account["id"])) == 1


def test_a_double_submit_while_the_first_is_open_creates_nothing(return_shop, sandbox_control,
                                                                 sandbox_account):  # fmt: skip
    delivery = labelled_delivery(return_shop)
    integration = return_shop["integration"]
    delivery_order_return_create(delivery, integration)
    with pytest.raises(ApplicationError):
        delivery_order_return_create(delivery, integration)
    assert Return.objects.count() == 1
    assert len(sandbox_returns(sandbox_control, sandbox_account["id"])) == 1


def test_when_the_lookup_cannot_tell_the_same_reference_is_refused_and_the_attempt_waits(
    return_shop, sandbox_transport, sandbox_client, sandbox_control, sandbox_account
):
    delivery = labelled_delivery(return_shop)
    integration = return_shop["integration"]
    # Another return of the same order exists, so the lookup by order number cannot tell.
    body = delivery_order_return_body(delivery, integration)
    assert sandbox_client.post("/api/v3/returns", json=body).status_code == 201
    client = _client(return_shop, sandbox_transport, ("POST", "/api/v3/returns", True))
    with pytest.raises(ReturnPending):
        delivery_order_return_create(delivery, integration, client=client)
    assert Return.objects.get().state == Return.State.CREATING
    at_sandbox = [o for _id, o in sandbox_returns(sandbox_control, sandbox_account["id"])]
    assert at_sandbox == [delivery.number, delivery.number]  # the other one and ours, no third


def delivery_order_return_body(delivery, integration):
    """The body the service would send, under a reference of its own (another client's)."""
    plan = return_plan(delivery, integration, quantities=None, reason_id=None,
                       refund_type="money", option_code=None)  # fmt: skip
    return return_body(plan, "another-client-1")

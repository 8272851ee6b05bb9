"""Saving a delivery order in the admin says right there what Sendcloud would refuse."""

from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from backoffice.sales.models import DeliveryOrder
from tests.factories import DeliveryOrderFactory


class SavedForm:
    def __init__(self, instance):
        self.instance = instance

    def save_m2m(self):
        pass


def _save(user, delivery):
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    admin.site._registry[DeliveryOrder].save_related(request, SavedForm(delivery), [], True)
    return [str(m) for m in get_messages(request)]


def test_saving_a_ready_order_that_fails_preflight_shows_the_problems(clerk, integration):
    delivery = DeliveryOrderFactory(company=integration.company, house_number="", street="Weg")

    shown = _save(clerk, delivery)

    assert len(shown) == 1
    assert f"Sendcloud würde den Lieferauftrag {delivery.number} ablehnen" in shown[0]


def test_saving_a_draft_says_nothing_about_sendcloud(clerk, integration):
    delivery = DeliveryOrderFactory(
        company=integration.company, house_number="", state=DeliveryOrder.State.DRAFT
    )

    assert _save(clerk, delivery) == []

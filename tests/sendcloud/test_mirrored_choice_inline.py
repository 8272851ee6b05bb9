"""The mapping inlines on warehouses and shipping methods speak the user's language."""

from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from backoffice.sales.models import ShippingMethod
from sendcloud.admin import ShippingMethodOptionInline
from tests.factories import UserFactory


def test_a_duplicated_integration_is_named_by_its_label_not_its_field_name(db):
    request = RequestFactory().get("/")
    request.user = UserFactory()
    formset = ShippingMethodOptionInline(ShippingMethod, admin.site).get_formset(request)
    with translation.override("de"):
        message = str(formset().get_unique_error_message(["integration"]))
    assert message == "Bitte die doppelten Daten für Integration korrigieren.", message

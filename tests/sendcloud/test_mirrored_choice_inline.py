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


def shipping_method_formset(user, company, data=None):
    from tests.factories import ShippingMethodFactory

    request = RequestFactory().get("/")
    request.user = user
    method = ShippingMethodFactory(company=company)
    formset = ShippingMethodOptionInline(ShippingMethod, admin.site).get_formset(request, method)
    return formset(data=data, instance=method, prefix="options")


def test_the_shipping_method_offers_outbound_options_only(db):
    from sendcloud.models import ShippingOption
    from tests.sendcloud.factories import IntegrationFactory

    user = UserFactory()
    integration = IntegrationFactory(company=user.company)
    outbound = ShippingOption.objects.create(integration=integration, code="dhl:paket")
    ShippingOption.objects.create(
        integration=integration, code="dhl:retoure/return", supports_returns=True
    )
    field = shipping_method_formset(user, user.company).empty_form.fields["shipping_option"]
    assert list(field.queryset) == [outbound]


def test_a_strategy_needs_no_option_but_a_fixed_choice_does(db):
    from tests.sendcloud.factories import IntegrationFactory

    user = UserFactory()
    integration = IntegrationFactory(company=user.company)
    base = {"options-TOTAL_FORMS": "1", "options-INITIAL_FORMS": "0",
            "options-0-integration": str(integration.pk)}  # fmt: skip
    with translation.override("de"):
        fixed = shipping_method_formset(user, user.company, {**base, "options-0-strategy": "fixed"})
        assert not fixed.is_valid()
        assert "automatisch wählen" in fixed.errors[0]["shipping_option"][0]
        cheapest = shipping_method_formset(
            user, user.company, {**base, "options-0-strategy": "cheapest"}
        )
        assert cheapest.is_valid(), cheapest.errors
        carrier = shipping_method_formset(
            user, user.company, {**base, "options-0-strategy": "cheapest_of_carrier"}
        )
        assert "strategy_carrier" in carrier.errors[0]

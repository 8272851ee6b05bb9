"""Webhook events and API calls in the admin: scoped by company, deleted by the operator only."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from backoffice.companies import roles
from sendcloud.models import ApiCall, WebhookEvent
from tests.factories import OperatorFactory

from .world import tenant_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def alfa(db):
    return tenant_create("ALFA3X", 4101)


@pytest.fixture
def bravo(db):
    return tenant_create("BRAVO7Q", 4202)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", [WebhookEvent, ApiCall])
def test_no_company_user_deletes_a_log_row_not_even_their_own(alfa, bravo, model):
    user = bravo.users[roles.MANAGEMENT]
    # Even given Django's delete and view permissions (as the attacker had them).
    name = model._meta.model_name
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=[f"delete_{name}", f"view_{name}"])
    )
    admin = _client(user)
    name = f"admin:sendcloud_{model._meta.model_name}_delete"
    for row in (alfa.first(model), bravo.first(model)):
        response = admin.post(reverse(name, args=[row.pk]), {"post": "yes"})
        assert response.status_code in (302, 403)
        assert model.objects.filter(pk=row.pk).exists()
    changelist = reverse(f"admin:sendcloud_{model._meta.model_name}_changelist")
    bulk = {"action": "delete_selected", "post": "yes", "_selected_action": [alfa.first(model).pk]}
    admin.post(changelist, bulk)
    assert model.objects.filter(pk=alfa.first(model).pk).exists()


@pytest.mark.parametrize("model", [WebhookEvent, ApiCall])
def test_company_users_see_only_their_own_log_rows(alfa, bravo, model):
    reader = _client(bravo.users[roles.READING])
    changelist = reverse(f"admin:sendcloud_{model._meta.model_name}_changelist")
    page = reader.get(f"{changelist}?company_id_hint={alfa.company.pk}").content.decode()
    assert alfa.marker not in page
    page = reader.get(changelist).content.decode()
    assert str(bravo.first(model)) in page or bravo.marker in page
    foreign = reverse(
        f"admin:sendcloud_{model._meta.model_name}_change", args=[alfa.first(model).pk]
    )
    assert reader.get(foreign).status_code in (302, 403, 404)


def test_raw_webhook_requests_of_no_company_are_the_operators(alfa):
    stray = WebhookEvent.objects.create(
        raw_body=b"{}", body_sha256="1" * 64, signature="missing", token_hint="unknownTOKEN"
    )
    url = reverse("admin:sendcloud_webhookevent_change", args=[stray.pk])
    assert _client(alfa.users[roles.MANAGEMENT]).get(url).status_code in (302, 403, 404)
    operator = _client(OperatorFactory())
    assert operator.get(url).status_code == 200
    response = operator.post(
        reverse("admin:sendcloud_webhookevent_delete", args=[stray.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not WebhookEvent.objects.filter(pk=stray.pk).exists()

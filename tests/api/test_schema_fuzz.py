"""The API fuzzed from its own OpenAPI schema (schemathesis): no 5xx, every answer matches the
schema, and requests without a token or for another company's objects are refused."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backoffice.companies import roles
from tests.api.conftest import bearer
from tests.factories import DeliveryOrderFactory, DeliveryOrderLineFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())

FUZZ = settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request; the test's
    transaction needs it open (Django's test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def fuzz_headers(company, connection_kept):
    """A Verwaltung user's token and a delivery order of the company to find."""
    order = DeliveryOrderFactory(company=company)
    DeliveryOrderLineFactory(delivery_order=order)
    return {
        "Authorization": bearer(UserFactory(company=company, role=roles.MANAGEMENT))[
            "HTTP_AUTHORIZATION"
        ]
    }


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@FUZZ
def test_the_api_answers_every_generated_request_as_its_schema_says(case, fuzz_headers):
    # Schema-valid is not business-valid: an opaque cursor or an unknown id of a warehouse is
    # refused with 422 in the error body, which the schema documents.
    case.call_and_validate(headers=fuzz_headers, excluded_checks=[positive_data_acceptance])


def _operations():
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.django_db
def test_every_operation_refuses_a_request_without_a_token(client):
    seen = 0
    for operation in _operations():
        path = operation.path.replace("{pk}", "1").replace("{kind}", "pdf")
        response = client.generic(
            operation.method.upper(), path, "{}", content_type="application/json"
        )
        assert response.status_code == 401, (operation.method, path, response.content)
        assert response.json()["error"]["code"] == "unauthenticated"
        seen += 1
    assert seen >= 20


@pytest.mark.django_db
def test_every_operation_on_another_companys_object_is_404(client, company):
    stranger = DeliveryOrderFactory()  # of another company
    headers = bearer(UserFactory(company=company, role=roles.MANAGEMENT))
    seen = 0
    for operation in _operations():
        if "{pk}" not in operation.path:
            continue
        path = operation.path.replace("{pk}", str(stranger.pk)).replace("{kind}", "pdf")
        body = '{"delivery_orders": [1], "option": null}'
        response = client.generic(
            operation.method.upper(),
            path,
            body,
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 404, (operation.method, path, response.content)
        seen += 1
    assert seen >= 10

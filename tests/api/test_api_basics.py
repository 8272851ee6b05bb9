"""Tokens, role checks, company scoping, the one error body and Idempotency-Key."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backoffice.companies import roles
from backoffice.companies.models import ApiToken, IdempotentResponse
from sendcloud.services.retention import sendcloud_logs_purge
from tests.api.conftest import ADDRESS, bearer
from tests.factories import (
    DeliveryOrderFactory,
    ProductFactory,
    SalesOrderFactory,
    UserFactory,
    WarehouseFactory,
)

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "fields", "problems"}


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    return body["error"]


def new_order(company, number="LA-API-1", **changes) -> dict:
    body = {
        "number": number,
        "sales_order": SalesOrderFactory(company=company).pk,
        "warehouse": WarehouseFactory(company=company).pk,
        "address": ADDRESS,
        "lines": [
            {"product": ProductFactory(company=company).pk, "quantity": 2, "weight_kg": "0.4"}
        ],
    }
    body.update(changes)
    return body


def test_without_a_token_the_api_answers_401_in_the_error_body(client):
    response = client.get("/api/v1/delivery-orders/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused_and_a_used_one_notes_when(client, api_user):
    token, secret = ApiToken.issue(api_user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/delivery-orders/", **headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.digest != secret
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/delivery-orders/", **headers).status_code == 401


def test_another_companys_delivery_order_is_404(client, auth):
    stranger = DeliveryOrderFactory()
    response = client.get(f"/api/v1/delivery-orders/{stranger.pk}", **auth)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    listed = client.get("/api/v1/delivery-orders/", **auth).json()["items"]
    assert stranger.pk not in [row["id"] for row in listed]


def test_a_reader_may_list_but_not_create(client, company):
    headers = bearer(UserFactory(company=company, role=roles.READING))
    assert client.get("/api/v1/delivery-orders/", **headers).status_code == 200
    response = client.post(
        "/api/v1/delivery-orders/",
        json.dumps(new_order(company)),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_invalid_input_names_the_field_in_german_or_english(client, auth, company):
    body = new_order(company, address={**new_order(company)["address"], "postal_code": "1"})
    body["lines"][0]["product"] = 999999
    for language, word in (("de", "Postleitzahl"), ("en", "postal code")):
        response = client.post(
            "/api/v1/delivery-orders/",
            json.dumps(body),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
            **auth,
        )
        assert response.status_code == 422
        error = error_of(response)
        assert {"postal_code", "lines.0.product"} <= set(error["fields"]), error
        assert word.lower() in " ".join(error["fields"]["postal_code"]).lower(), error


def test_create_lists_and_filters_with_a_cursor(client, auth, company):
    for n in range(3):
        response = client.post(
            "/api/v1/delivery-orders/",
            json.dumps(new_order(company, number=f"LA-API-{n}")),
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 201, response.content
    first = client.get("/api/v1/delivery-orders/?limit=2", **auth).json()
    assert [row["number"] for row in first["items"]] == ["LA-API-2", "LA-API-1"]
    rest = client.get(f"/api/v1/delivery-orders/?limit=2&cursor={first['next_cursor']}", **auth)
    assert [row["number"] for row in rest.json()["items"]] == ["LA-API-0"]
    assert rest.json()["next_cursor"] is None
    found = client.get("/api/v1/delivery-orders/?search=API-1", **auth).json()["items"]
    assert [row["number"] for row in found] == ["LA-API-1"]


def test_the_same_idempotency_key_replays_and_another_body_is_refused(client, auth, company):
    body = new_order(company)
    send = lambda data: client.post(  # noqa: E731
        "/api/v1/delivery-orders/",
        json.dumps(data),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="order-1",
        **auth,
    )
    first, again = send(body), send(body)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    other = send({**body, "number": "LA-OTHER"})
    assert other.status_code == 422
    assert error_of(other)["code"] == "idempotency_key_reused"
    assert client.get("/api/v1/delivery-orders/", **auth).json()["items"][0]["number"] == (
        "LA-API-1"
    )


def test_stored_answers_are_purged_after_their_days_and_the_key_then_runs_anew(
    client, auth, company, settings
):
    settings.API_IDEMPOTENCY_DAYS = 7
    send = lambda data: client.post(  # noqa: E731
        "/api/v1/delivery-orders/",
        json.dumps(data),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="order-old",
        **auth,
    )
    assert send(new_order(company, "LA-OLD")).status_code == 201
    fresh_key = client.post(
        "/api/v1/delivery-orders/",
        json.dumps(new_order(company, "LA-NEW")),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="order-new",
        **auth,
    )
    assert fresh_key.status_code == 201
    IdempotentResponse.objects.filter(key="order-old").update(
        created_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    # Past its days the answer is not replayed: the same request runs anew (and is refused,
    # the number exists now) ...
    anew = send(new_order(company, "LA-OLD"))
    assert anew.status_code == 422 and "Idempotent-Replayed" not in anew
    assert "number" in error_of(anew)["fields"]
    IdempotentResponse.objects.filter(key="order-old").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    # ... and the nightly purge deletes what is older, keeping the rest.
    assert sendcloud_logs_purge()[2] == 1
    assert list(IdempotentResponse.objects.values_list("key", flat=True)) == ["order-new"]


def test_the_token_command_prints_the_secret_last(api_user, capsys):
    call_command("sendcloud_api_token", api_user.username)
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.get(user=api_user).digest == ApiToken.hash(secret)


def test_the_docs_load_swagger_from_our_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    schema = client.get("/api/v1/schema/").json()
    assert "/api/v1/delivery-orders/" in schema["paths"]


def test_the_schema_and_the_docs_need_no_token_they_hold_no_company_data(client, company):
    DeliveryOrderFactory(company=company, number="LA-SECRET-1")
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
        schema = client.get("/api/v1/schema/", **headers)
        docs = client.get("/api/docs/", **headers)
        assert schema.status_code == docs.status_code == 200
        assert "LA-SECRET-1" not in schema.content.decode() + docs.content.decode()
    # ... while every operation the schema describes asks for the bearer token.
    operations = [op for path in schema.json()["paths"].values() for op in path.values()]
    assert operations and all(op["security"] == [{"BearerToken": []}] for op in operations)


def test_the_error_message_speaks_the_readers_language(client):
    german = client.get("/api/v1/delivery-orders/", HTTP_ACCEPT_LANGUAGE="de")
    english = client.get("/api/v1/delivery-orders/", HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(german)["message"].startswith("Senden Sie ein gültiges API-Token")
    assert error_of(english)["message"].startswith("Send a valid API token")


def test_the_users_page_lists_their_tokens_to_revoke(client, company, api_user):
    token, _secret = ApiToken.issue(api_user, name="Kasse 1")
    admin = UserFactory(company=company, role=roles.MANAGEMENT)
    client.force_login(admin)
    page = client.get(f"/companies/user/{api_user.pk}/change/").content.decode()
    assert token.prefix in page and "Kasse 1" in page and "apitoken_set" not in page


def test_a_token_revoked_on_the_users_page_no_longer_opens_the_api(client, company, api_user):
    token, secret = ApiToken.issue(api_user)
    admin = UserFactory(company=company, role=roles.MANAGEMENT)
    client.force_login(admin)
    response = client.post(
        f"/companies/user/{api_user.pk}/change/",
        {
            "username": api_user.username,
            "is_active": "on",
            "groups": [g.pk for g in api_user.groups.all()],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "api_tokens-TOTAL_FORMS": "1",
            "api_tokens-INITIAL_FORMS": "1",
            "api_tokens-0-id": str(token.pk),
            "api_tokens-0-user": str(api_user.pk),
            "api_tokens-0-revoked_at_0": "2026-01-02",
            "api_tokens-0-revoked_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    refused = client.get("/api/v1/delivery-orders/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401


def test_a_missing_or_mistyped_field_is_named_in_german(client, auth, company):
    body = new_order(company)
    del body["warehouse"]
    body["lines"][0]["quantity"] = "zwei"
    response = client.post(
        "/api/v1/delivery-orders/",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **auth,
    )
    fields = error_of(response)["fields"]
    assert fields["warehouse"] == ["Dieses Feld ist zwingend erforderlich."], fields
    assert fields["lines.0.quantity"] == ["Bitte eine ganze Zahl eingeben."], fields

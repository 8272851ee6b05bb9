"""One function maps every error shape of the reference onto one exception family."""

from __future__ import annotations

import json

import httpx
import pytest

from sendcloud.client import (
    AuthenticationError,
    Conflict,
    InvalidResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    SendcloudError,
    ServerError,
    StillProcessing,
    UnexpectedStatus,
    ValidationError,
    error_from_response,
)
from tests.client.helpers import SECRET_KEY, Router, make_client


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (403, PermissionDenied),
        (404, NotFound),
        (409, Conflict),
        (412, UnexpectedStatus),
        (422, ValidationError),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_picks_the_exception_class(status: int, cls: type) -> None:
    error = error_from_response(status, b"")
    assert type(error) is cls and isinstance(error, SendcloudError)


def test_empty_429_body_is_rate_limited_with_retry_after_when_sent() -> None:
    error = error_from_response(429, b"", headers={"retry-after": "3"})
    assert isinstance(error, RateLimited) and error.retry_after == 3.0
    assert "empty response body" in error.message


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        b'{"errors": [{"detail": "cut',
        b"<?xml version='1.0'?><Error><Code>NoSuchKey</Code></Error>",
        b"\x00\xff\xfe garbage",
    ],
)
def test_non_json_bodies_still_give_a_clean_error(body: bytes) -> None:
    error = error_from_response(502, body, headers={"content-type": "text/html"})
    assert isinstance(error, ServerError)
    assert error.field_errors == () and "not a Sendcloud error document" in error.message


def test_fastapi_422_detail_list_becomes_field_errors() -> None:
    body = json.dumps(
        {"detail": [{"loc": ["path", "tracking_number"], "msg": "too long", "type": "value_error"}]}
    ).encode()
    error = error_from_response(422, body)
    assert isinstance(error, ValidationError)
    assert [(e.field, e.message, e.code) for e in error.field_errors] == [
        ("tracking_number", "too long", "value_error")
    ]


def test_hydra_token_error_uses_its_description() -> None:
    body = json.dumps(
        {
            "error": "invalid_client",
            "error_description": "Client authentication failed.",
            "status_code": 401,
        }
    ).encode()
    error = error_from_response(401, body)
    assert isinstance(error, AuthenticationError)
    assert (error.code, error.message) == ("invalid_client", "Client authentication failed.")


def test_v2_dict_repr_message_is_split_into_field_errors() -> None:
    body = (
        b'{"error": {"code": 400, "request": "api/v2/integrations/", "message": '
        b"\"{'settings': ['webhook_active: This field may not be null.', "
        b"'webhook_url: This field may not be null.']}\"}}"
    )
    error = error_from_response(400, body)
    assert [(e.field, e.message) for e in error.field_errors] == [
        ("webhook_active", "This field may not be null."),
        ("webhook_url", "This field may not be null."),
    ]


def test_v3_parameter_source_names_the_field_and_string_or_int_status_is_ignored() -> None:
    body = (
        b'{"errors": [{"status": 404, "code": "validation_error", "detail": "not a datetime",'
        b' "source": {"parameter": "announced_after"}}]}'
    )
    error = error_from_response(400, body)
    assert isinstance(error, ValidationError)  # the HTTP status wins over the body's status
    assert error.field_errors[0].field == "announced_after"


def test_secrets_never_reach_the_message_or_excerpt() -> None:
    body = json.dumps(
        {"error": {"code": 400, "message": f"bad key {SECRET_KEY}", "secret_key": SECRET_KEY}}
    ).encode()
    error = error_from_response(400, body, secrets=[SECRET_KEY])
    assert SECRET_KEY not in str(error) and SECRET_KEY not in (error.body_excerpt or "")


def test_redirect_is_not_followed_and_names_only_the_target_path(router: Router) -> None:
    router.add(
        "GET",
        "/api/v2/user",
        httpx.Response(301, headers={"location": "https://elsewhere/x?token=abc"}),
    )
    with pytest.raises(UnexpectedStatus) as caught:
        make_client(router).user()
    assert "https://elsewhere/x" in caught.value.message and "abc" not in str(caught.value)
    assert len(router.requests) == 1


def test_2xx_with_broken_json_is_invalid_response(router: Router) -> None:
    router.add("GET", "/api/v2/user", httpx.Response(200, content=b'{"user": {"username": "tr'))
    with pytest.raises(InvalidResponse):
        make_client(router, max_retries=0).user()


def test_2xx_with_wrong_envelope_is_invalid_response(router: Router) -> None:
    router.json("GET", "/api/v3/integrations", {"results": []})
    with pytest.raises(InvalidResponse):
        make_client(router).integrations()


def test_still_processing_a_previous_request_is_its_own_validation_error() -> None:
    body = (
        b'{"errors":[{"status":"400","code":"invalid","detail":"We are still processing a '
        b'previous request. Please try again in a moment.","source":{"pointer":"/data"}}]}'
    )
    error = error_from_response(400, body)
    assert isinstance(error, StillProcessing) and isinstance(error, ValidationError)
    other = b'{"errors":[{"status":"400","code":"invalid","detail":"name is required"}]}'
    assert not isinstance(error_from_response(400, other), StillProcessing)

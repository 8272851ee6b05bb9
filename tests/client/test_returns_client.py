"""`client.returns_v3`: validate, create (async and synchronous), find a lost create, cancel —
each of the reference's answer shapes (v3 §10)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from sendcloud.client import NotFound, ReferenceUsed, ValidationError
from sendcloud.client.v3_returns import label_parcel_id
from tests.client.helpers import Router, make_client, payload

DUPLICATE = {
    "errors": [
        {
            "field": "external_reference",
            "message": "External reference has already been used in another return.",
            "code": "invalid",
        }
    ]
}


def test_validate_posts_the_body_and_returns_the_echo() -> None:
    router = Router().json("POST", "/api/v3/returns/validate", {"weight": 0.4})
    body = payload("v3_returns_create.request.json")
    assert make_client(router).returns_v3.validate(body) == {"weight": 0.4}
    assert json.loads(router.requests[0].content) == body


def test_validate_refusal_names_the_field() -> None:
    error = {"errors": [{"field": "from_address.postal_code", "message": "Invalid.",
                         "code": "invalid"}]}  # fmt: skip
    router = Router().json("POST", "/api/v3/returns/validate", error, status=400)
    with pytest.raises(ValidationError) as caught:
        make_client(router).returns_v3.validate({})
    assert [e.field for e in caught.value.field_errors] == ["from_address.postal_code"]


def test_create_answers_ids_and_a_used_reference_is_its_own_error() -> None:
    router = Router()
    router.file("POST", "/api/v3/returns", "v3_returns_create_201.json", status=201)
    router.json("POST", "/api/v3/returns", DUPLICATE, status=400)
    client = make_client(router)
    created = client.returns_v3.create({"external_reference": "R-1"})
    assert (created.return_id, created.parcel_id) == (12345, 67880)
    with pytest.raises(ReferenceUsed):
        client.returns_v3.create({"external_reference": "R-1"})
    assert len(router.requests) == 2  # a create is never retried


def test_synchronous_create_maps_the_v2_style_error() -> None:
    path = "/api/v3/returns/announce-synchronously"
    router = Router().file("POST", path, "v3_returns_announce_sync_400.json", status=400)
    with pytest.raises(ValidationError) as caught:
        make_client(router).returns_v3.create({}, synchronous=True)
    assert not isinstance(caught.value, ReferenceUsed)
    assert caught.value.code == "invalid_postal_code"


def test_cancel_answers_status_and_sendclouds_message_for_202_409_and_404() -> None:
    router = Router()
    router.file("PATCH", "/api/v3/returns/4/cancel", "v3_return_cancel_202.json", status=202)
    router.file("PATCH", "/api/v3/returns/4/cancel", "v3_return_cancel_409.json", status=409)
    router.add("PATCH", "/api/v3/returns/5/cancel", lambda _r: httpx.Response(404))
    client = make_client(router)
    assert client.returns_v3.cancel(4) == (202, "Cancellation requested successfully")
    assert client.returns_v3.cancel(4) == (409, "Return is not cancellable.")
    assert client.returns_v3.cancel(5)[0] == 404


def test_find_by_reference_matches_the_reference_else_one_return_of_the_order() -> None:
    item = payload("v3_returns_list.json")["data"][0]
    mine = {**item, "order_number": "LA-7"}
    other = {**item, "order_number": "LA-8"}
    router = Router()
    router.json("GET", "/api/v3/returns", {"next": None, "previous": None, "data": [other, mine]})
    found = make_client(router).returns_v3.find_by_reference(
        "LA-7-R-1", since=datetime(2026, 1, 1, tzinfo=UTC), order_number="LA-7"
    )
    assert found is not None and found.order_number == "LA-7"
    assert label_parcel_id(found) == 7  # only the label link names the incoming parcel
    router = Router()
    router.json("GET", "/api/v3/returns", {"next": None, "previous": None, "data": [mine, mine]})
    again = make_client(router).returns_v3.find_by_reference(
        "LA-7-R-1", since=datetime(2026, 1, 1, tzinfo=UTC), order_number="LA-7"
    )
    assert again is None  # two candidates: no guessing


def test_get_of_an_unknown_return_raises_not_found() -> None:
    router = Router().add("GET", "/api/v3/returns/9", lambda _r: httpx.Response(404))
    with pytest.raises(NotFound):
        make_client(router).returns_v3.get(9)

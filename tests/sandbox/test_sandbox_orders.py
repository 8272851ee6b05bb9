"""v3 Orders API of the sandbox against the reference (v3 §4) and its samples."""

import copy
import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sandbox_shapes import assert_shape, sample

from sandbox.cli import main
from sandbox.testing import SANDBOX_BASE_URL

ORDERS = "/api/v3/orders"


def _order(integration_id, order_id="555413", order_number="OXSDFGHTD-12", **changes):
    body = copy.deepcopy(sample("v3_orders_create.request.json")[0])
    body["order_details"]["integration"]["id"] = integration_id
    body.update(order_id=order_id, order_number=order_number, **changes)
    return body


def _as_request(order, integration_id):
    """A sample order as a client would push it (no Sendcloud-side fields)."""
    body = {k: v for k, v in copy.deepcopy(order).items()
            if k not in ("id", "created_at", "modified_at")}  # fmt: skip
    body["order_details"]["integration"]["id"] = integration_id
    return body


def _processing(control, seconds):
    response = control.post("/_sandbox/orders/settings", json={"processing_seconds": seconds})
    assert response.get_json() == {"processing_seconds": seconds}


@pytest.fixture
def integration(sandbox_account):
    return sandbox_account["integration_id"]


@pytest.fixture
def fast(sandbox_control):
    """No processing window: consecutive writes to one order are accepted."""
    _processing(sandbox_control, 0)


def _count(control, account):
    return control.get(f"/_sandbox/accounts/{account['id']}/counts").get_json()["orders"]


def _links(response):
    links = {}
    for part in filter(None, response.headers.get("Link", "").split(", ")):
        url, rel = part.split("; ")
        links[rel.split('"')[1]] = url.strip("<>")
    return links


def _cursor(url):
    return parse_qs(urlsplit(url).query)["cursor"][0]


# -- POST /orders ------------------------------------------------------------------------------


def test_create_answers_201_with_integer_ids_in_input_order(sandbox_client, integration, fast):
    batch = [_order(integration), _order(integration, "555414", "OXSDFGHTD-13")]
    response = sandbox_client.post(ORDERS, json=batch)
    assert response.status_code == 201
    body = response.json()
    assert_shape(body, sample("v3_orders_create_201.json"))
    assert [(r["order_id"], r["order_number"]) for r in body["data"]] == [
        ("555413", "OXSDFGHTD-12"), ("555414", "OXSDFGHTD-13"),
    ]  # fmt: skip
    assert all(isinstance(r["id"], int) for r in body["data"])


def test_get_order_has_the_fixture_shape_with_a_string_id(sandbox_client, integration, fast):
    fixture = sample("v3_order.json")
    created = sandbox_client.post(ORDERS, json=[_as_request(fixture, integration)]).json()
    order_pk = created["data"][0]["id"]
    body = sandbox_client.get(f"{ORDERS}/{order_pk}").json()
    assert_shape(body, {"data": fixture})
    order = body["data"]
    assert order["id"] == str(order_pk)
    assert order["created_at"].endswith("+00:00") and order["created_at"] == order["modified_at"]
    assert order["order_details"]["order_created_at"] == "2026-02-09T10:00:00.556000+00:00"
    assert order["order_details"]["order_items"][0]["country_of_origin"] == "NL"


def test_a_body_that_is_not_a_list_is_the_wrong_format(sandbox_client, integration):
    expected = sample("v3_orders_create_400_wrong_format.json")
    for kwargs in ({"json": _order(integration)}, {"content": b"[{", "headers": {
            "Content-Type": "application/json"}}):  # fmt: skip
        response = sandbox_client.post(ORDERS, **kwargs)
        assert response.status_code == 400 and response.json() == expected


def test_a_batch_holds_at_most_100_orders(sandbox_client, sandbox_control, sandbox_account,
                                          integration, fast):  # fmt: skip
    batch = [_order(integration, f"o-{i}", f"N-{i}") for i in range(101)]
    response = sandbox_client.post(ORDERS, json=batch)
    assert response.status_code == 400
    assert response.json() == sample("v3_orders_create_400_batch_size.json")
    assert _count(sandbox_control, sandbox_account) == 0
    response = sandbox_client.post(ORDERS, json=batch[:100])
    assert response.status_code == 201 and len(response.json()["data"]) == 100
    empty = sandbox_client.post(ORDERS, json=[])
    assert empty.status_code == 400 and empty.json()["errors"][0]["source"] == {
        "pointer": "/data/attributes/"
    }


def test_a_two_letter_currency_gives_the_fixture_error(sandbox_client, integration):
    order = _order(integration)
    order["order_details"]["order_items"][0]["total_price"]["currency"] = "EU"
    response = sandbox_client.post(ORDERS, json=[order])
    assert response.status_code == 400
    assert response.json() == sample("v3_error_400.json")  # same pointer, code and detail


def test_one_invalid_order_rejects_the_batch_with_indexed_pointers(
    sandbox_client, sandbox_control, sandbox_account, integration
):
    good = _order(integration)
    bad_item = _order(integration, "2")
    bad_item["order_details"]["order_items"][0]["quantity"] = 0
    bad_item["payment_details"]["total_price"]["currency"] = "CHF"
    missing = _order(integration, "3")
    del missing["order_number"]
    del missing["payment_details"]["status"]
    response = sandbox_client.post(ORDERS, json=[good, bad_item, missing])
    assert response.status_code == 400
    problems = {e["source"]["pointer"]: e["detail"] for e in response.json()["errors"]}
    assert problems == {
        "/data/attributes/[1]/order_details/order_items/0/quantity":
            "Input should be greater than 0",
        "/data/attributes/[1]/payment_details/total_price/currency":
            "Input should be 'EUR', 'GBP' or 'USD'",
        "/data/attributes/[2]/order_number": "Field required",
        "/data/attributes/[2]/payment_details/status": "Field required",
    }  # fmt: skip
    assert _count(sandbox_control, sandbox_account) == 0


def test_required_fields_and_empty_order_id(sandbox_client, integration):
    response = sandbox_client.post(ORDERS, json=[{"order_id": ""}, "text"])
    problems = {e["source"]["pointer"]: e["detail"] for e in response.json()["errors"]}
    assert problems == {
        "/data/attributes/[0]/order_id": "String should have at least 1 character",
        "/data/attributes/[0]/order_number": "Field required",
        "/data/attributes/[0]/order_details": "Field required",
        "/data/attributes/[0]/payment_details": "Field required",
        "/data/attributes/[1]": "Input should be a valid dictionary",
    }


def test_only_integrations_of_the_account_are_accepted(
    sandbox_client, sandbox_control, sandbox_account, integration
):
    other = sandbox_control.post("/_sandbox/accounts", json={}).get_json()["integration_id"]
    response = sandbox_client.post(ORDERS, json=[_order(integration), _order(other, "x")])
    assert response.status_code == 400
    assert response.json()["errors"] == [{
        "status": "400", "code": "invalid",
        "detail": f"Integration with id {other} does not exist",
        "source": {"pointer": "/data/attributes/[1]/order_details/integration"},
    }]  # fmt: skip
    assert _count(sandbox_control, sandbox_account) == 0


# -- upsert --------------------------------------------------------------------------------------


def test_the_same_order_id_twice_updates_one_order(
    sandbox_client, sandbox_control, sandbox_account, integration, fast
):
    first = sandbox_client.post(ORDERS, json=[_order(integration)]).json()["data"][0]
    created = sandbox_client.get(f"{ORDERS}/{first['id']}").json()["data"]
    sandbox_control.post("/_sandbox/clock", json={"advance": 60})
    second = sandbox_client.post(ORDERS, json=[_order(integration, order_number="RENUMBERED")])
    assert second.status_code == 201
    assert second.json()["data"] == [{**first, "order_number": "RENUMBERED"}]
    assert _count(sandbox_control, sandbox_account) == 1
    updated = sandbox_client.get(f"{ORDERS}/{first['id']}").json()["data"]
    assert updated["order_number"] == "RENUMBERED"
    assert updated["created_at"] == created["created_at"]
    assert updated["modified_at"] > created["modified_at"]


def test_the_upsert_key_includes_the_integration(
    sandbox_client, sandbox_control, sandbox_account, integration, fast
):
    url = f"/_sandbox/accounts/{sandbox_account['id']}/integrations"
    second = sandbox_control.post(url, json={"shop_name": "Zweitshop"}).get_json()["id"]
    refs = sandbox_client.post(ORDERS, json=[_order(integration), _order(second)]).json()["data"]
    assert refs[0]["id"] != refs[1]["id"]
    assert _count(sandbox_control, sandbox_account) == 2


def test_a_string_id_targets_an_existing_order(sandbox_client, integration, fast):
    ref = sandbox_client.post(ORDERS, json=[_order(integration)]).json()["data"][0]
    again = _order(integration, order_number="NEW-NUMBER", id=str(ref["id"]))
    response = sandbox_client.post(ORDERS, json=[again])
    assert response.status_code == 201
    assert response.json()["data"] == [{**ref, "order_number": "NEW-NUMBER"}]
    unknown = sandbox_client.post(ORDERS, json=[_order(integration, id="1")])
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["source"]["pointer"] == "/data/attributes/[0]/id"


def test_order_id_cannot_be_changed(sandbox_client, integration, fast):
    ref = sandbox_client.post(ORDERS, json=[_order(integration)]).json()["data"][0]
    moved = _order(integration, order_id="abc-124", id=str(ref["id"]))
    response = sandbox_client.post(ORDERS, json=[_order(integration, "other"), moved])
    assert response.status_code == 400
    assert response.json()["errors"] == [{
        "status": "400", "code": "invalid", "detail": "Order id 555413 cannot be changed",
        "source": {"pointer": "/data/attributes/[1]/order_id"},
    }]  # fmt: skip
    assert sandbox_client.get(ORDERS, params={"order_id": "other"}).json()["data"] == []


# -- asynchronous saving -------------------------------------------------------------------------


def test_writes_to_an_order_being_processed_are_refused_until_it_is_saved(
    sandbox_client, sandbox_control, integration
):
    _processing(sandbox_control, 30)
    ref = sandbox_client.post(ORDERS, json=[_order(integration)]).json()["data"][0]
    expected = sample("v3_orders_create_400_processing.json")
    for response in (
        sandbox_client.post(ORDERS, json=[_order(integration, "fresh"), _order(integration)]),
        sandbox_client.patch(f"{ORDERS}/{ref['id']}", json={"order_number": "X"}),
        sandbox_client.delete(f"{ORDERS}/{ref['id']}"),
    ):
        assert response.status_code == 400 and response.json() == expected
    assert sandbox_client.get(ORDERS, params={"order_id": "fresh"}).json()["data"] == []
    assert sandbox_client.post(ORDERS, json=[_order(integration, "fresh")]).status_code == 201
    sandbox_control.post("/_sandbox/clock", json={"advance": 30})
    assert sandbox_client.post(ORDERS, json=[_order(integration)]).status_code == 201


def test_the_control_api_shows_orders_and_processing(
    sandbox_client, sandbox_control, sandbox_account, integration
):
    _processing(sandbox_control, 30)
    sandbox_client.post(ORDERS, json=[_order(integration)])
    listed = sandbox_control.get(f"/_sandbox/accounts/{sandbox_account['id']}/orders")
    [order] = listed.get_json()["orders"]
    assert order["order_id"] == "555413" and order["processing"] is True
    assert sandbox_control.get("/_sandbox/orders/settings").get_json() == {"processing_seconds": 30}
    bad = sandbox_control.post("/_sandbox/orders/settings", json={"processing_seconds": -1})
    assert bad.status_code == 400


# -- GET /orders ---------------------------------------------------------------------------------


@pytest.fixture
def pushed(sandbox_client, sandbox_control, sandbox_account, integration, fast):
    """Five orders on two integrations, created on 2026-03-01 … 2026-03-05."""
    url = f"/_sandbox/accounts/{sandbox_account['id']}/integrations"
    second = sandbox_control.post(url, json={}).get_json()["id"]
    batch = []
    for i in range(5):
        order = _order(integration if i < 3 else second, f"ext-{i}", f"SO-{i}")
        order["order_details"]["order_created_at"] = f"2026-03-0{i + 1}T23:30:00+00:00"
        order["order_details"]["status"]["code"] = "open" if i % 2 else "Fulfilled"
        batch.append(order)
    refs = sandbox_client.post(ORDERS, json=batch).json()["data"]
    return {"ids": [str(r["id"]) for r in refs], "second": second}


def _numbers(client, **params):
    response = client.get(ORDERS, params=params)
    assert response.status_code == 200, response.text
    return [o["order_number"] for o in response.json()["data"]]


def test_list_filters(sandbox_client, integration, pushed):
    assert _numbers(sandbox_client) == ["SO-4", "SO-3", "SO-2", "SO-1", "SO-0"]
    assert _numbers(sandbox_client, integration=pushed["second"]) == ["SO-4", "SO-3"]
    both = f"{integration},{pushed['second']}"
    assert len(_numbers(sandbox_client, integration=both)) == 5
    assert _numbers(sandbox_client, order_number="so-2") == ["SO-2"]
    assert _numbers(sandbox_client, order_id="EXT-1") == ["SO-1"]
    assert _numbers(sandbox_client, status="FULFILLED") == ["SO-4", "SO-2", "SO-0"]
    assert _numbers(sandbox_client, order_created_at="2026-03-02") == ["SO-1"]
    dates = {"order_created_at_min": "2026-03-02", "order_created_at_max": "2026-03-04"}
    assert _numbers(sandbox_client, **dates) == ["SO-3", "SO-2", "SO-1"]
    assert _numbers(sandbox_client, order_updated_at_min="2000-01-01") == []
    assert _numbers(sandbox_client, sort="order_number") == [f"SO-{i}" for i in range(5)]
    assert _numbers(sandbox_client, sort="-integration,order_number") == [
        "SO-3", "SO-4", "SO-0", "SO-1", "SO-2",
    ]  # fmt: skip
    assert _numbers(sandbox_client, sort="pk,-pk")[0] == "SO-4"  # contradiction: default
    assert _numbers(sandbox_client, sort="nonsense")[0] == "SO-4"


def test_list_rejects_unknown_integrations_and_bad_dates(sandbox_client, pushed):
    response = sandbox_client.get(ORDERS, params={"integration": "128"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "status": "400", "code": "invalid_choice", "title": "Invalid Choice",
        "detail": "Select a valid choice. 128 is not one of the available choices.",
        "source": {"parameter": "integration"},
    }]}  # fmt: skip
    bad = sandbox_client.get(ORDERS, params={"order_created_at_min": "01.03.2026"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["source"] == {"parameter": "order_created_at_min"}


def test_list_matches_the_sample_shape(sandbox_client, integration, fast):
    listed = sample("v3_orders_list.json")
    batch = [_as_request(o, integration) for o in listed["data"]]
    assert sandbox_client.post(ORDERS, json=batch).status_code == 201
    body = sandbox_client.get(ORDERS, params={"sort": "pk"}).json()
    assert list(body) == ["data"] and len(body["data"]) == 2
    for actual, expected in zip(body["data"], listed["data"], strict=True):
        assert_shape(actual, expected)  # per order: their item lists differ
    assert [o["order_id"] for o in body["data"]] == ["555413", "555414"]
    assert all(isinstance(o["id"], str) for o in body["data"])


def test_list_pages_with_link_headers(sandbox_client, pushed):
    seen, pages, url = [], [], f"{ORDERS}?page_size=2"
    while url:
        response = sandbox_client.get(url)
        pages.append(response)
        seen += [o["id"] for o in response.json()["data"]]
        url = _links(response).get("next")
        if url:
            assert url.startswith(f"{SANDBOX_BASE_URL}/api/v3/orders/?page_size=2&cursor=")
    assert seen == pushed["ids"][::-1]
    assert [len(p.json()["data"]) for p in pages] == [2, 2, 1]
    back = sandbox_client.get(_links(pages[-1])["prev"])
    assert back.json()["data"] == pages[1].json()["data"]
    by_number = []
    url = f"{ORDERS}?page_size=2&sort=order_number"
    while url:
        response = sandbox_client.get(url)
        by_number += [o["order_number"] for o in response.json()["data"]]
        url = _links(response).get("next")
    assert by_number == [f"SO-{i}" for i in range(5)]
    assert len(sandbox_client.get(ORDERS, params={"page_size": 500}).json()["data"]) == 5
    assert sandbox_client.get(ORDERS, params={"page_size": "x"}).status_code == 400


@pytest.mark.parametrize("cursor", ["!!!", "bm9wZQ==", "cD1hYmM="])
def test_a_bad_cursor_is_the_sample_404(sandbox_client, pushed, cursor):
    for params in ({"cursor": cursor}, {"cursor": cursor, "sort": "order_number"}):
        response = sandbox_client.get(ORDERS, params=params)
        assert response.status_code == 404
        assert response.json() == sample("v3_orders_list_404_cursor.json")


# -- GET / PATCH / DELETE /orders/{id} -----------------------------------------------------------


def test_unknown_orders_are_404(sandbox_client, sandbox_transport, sandbox_control, pushed):
    other = sandbox_control.post("/_sandbox/accounts", json={}).get_json()
    foreign = httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL,
                           auth=(other["public_key"], other["secret_key"]))  # fmt: skip
    for client, order_pk in ((sandbox_client, "1"), (sandbox_client, "abc"),
                             (foreign, pushed["ids"][0])):  # fmt: skip
        response = client.get(f"{ORDERS}/{order_pk}")
        assert response.status_code == 404 and response.json() == sample("v3_order_404.json")
        assert client.delete(f"{ORDERS}/{order_pk}").status_code == 404
        patched = client.patch(f"{ORDERS}/{order_pk}", json={"order_number": "X"})
        assert patched.status_code == 404
        assert patched.json()["errors"][0]["detail"] == "Could not find specified item."


def test_patch_merges_a_partial_update(sandbox_client, integration, fast):
    ref = sandbox_client.post(ORDERS, json=[_order(integration)]).json()["data"][0]
    body = sample("v3_order_patch.request.json")
    body["id"] = str(ref["id"])
    response = sandbox_client.patch(f"{ORDERS}/{ref['id']}", json=body)
    assert response.status_code == 200
    assert_shape(response.json(), sample("v3_order_patch_200.json"))
    assert response.json()["data"] == ref
    order = sandbox_client.get(f"{ORDERS}/{ref['id']}").json()["data"]
    assert order["order_details"]["tags"] == ["october_campaign"]
    assert order["order_details"]["status"] == body["order_details"]["status"]
    assert order["order_details"]["order_items"][0]["name"] == "Cylinder candle"
    assert order["shipping_address"]["city"] == "Oss"


def test_patch_updates_items_by_item_id_and_validates(sandbox_client, integration, fast):
    order = _order(integration)
    order["order_details"]["order_items"][0]["item_id"] = "line-1"
    ref = sandbox_client.post(ORDERS, json=[order]).json()["data"][0]
    url = f"{ORDERS}/{ref['id']}"
    items = [{"item_id": "line-1", "quantity": 0}]
    assert sandbox_client.patch(url, json={"order_details": {"order_items": items}}).is_success
    stored = sandbox_client.get(url).json()["data"]["order_details"]["order_items"]
    assert stored[0]["quantity"] == 0 and stored[0]["name"] == "Cylinder candle"
    unknown = {"order_details": {"order_items": [{"item_id": "nope", "quantity": 1}]}}
    response = sandbox_client.patch(url, json=unknown)
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "Could not find specified item."
    assert response.json()["errors"][0]["source"] == {"pointer": "order/order_details/order_items"}
    renamed = sandbox_client.patch(url, json={"order_id": "other"})
    assert renamed.json()["errors"][0]["detail"] == "Order id 555413 cannot be changed"
    bad = sandbox_client.patch(url, json={"payment_details": {"total_price": {"value": "x"}}})
    assert bad.json()["errors"][0]["source"] == {
        "pointer": "order/payment_details/total_price/value"
    }


def test_delete_answers_204_and_the_order_is_gone(sandbox_client, integration, fast):
    ref = sandbox_client.post(ORDERS, json=[_order(integration)]).json()["data"][0]
    response = sandbox_client.delete(f"{ORDERS}/{ref['id']}")
    assert response.status_code == 204 and response.content == b""
    assert sandbox_client.get(f"{ORDERS}/{ref['id']}").status_code == 404
    assert sandbox_client.delete(f"{ORDERS}/{ref['id']}").status_code == 404


def test_orders_routes_are_authenticated_and_subject_to_faults(
    sandbox_transport, sandbox_client, sandbox_control, integration
):
    anonymous = httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL)
    assert anonymous.get(ORDERS).status_code == 401
    sandbox_control.post("/_sandbox/faults", json={"kind": "server_error", "count": 1,
                                                    "path": ORDERS})  # fmt: skip
    assert sandbox_client.post(ORDERS, json=[_order(integration)]).status_code == 500
    assert sandbox_client.post(ORDERS, json=[_order(integration)]).status_code == 201


# -- panel page ----------------------------------------------------------------------------------


def test_panel_lists_pushed_orders_newest_first(sandbox_control, sandbox_account, pushed):
    url = f"/panel/orders?account={sandbox_account['id']}"
    page = sandbox_control.get(url + "&lang=en").get_data(as_text=True)
    assert "Incoming orders" in page
    assert page.index("SO-4") < page.index("SO-0")
    assert "Jan Voorbeeld" in page and ">NL<" in page and "3.50 EUR" in page
    found = sandbox_control.get(url + "&lang=en&q=so-3").get_data(as_text=True)
    assert "SO-3" in found and "SO-2" not in found
    german = sandbox_control.get(url + "&lang=de").get_data(as_text=True)
    assert "Eingehende Bestellungen" in german and "3,50 EUR" in german
    assert " CET" in german or " CEST" in german  # times carry their zone, not bare UTC
    missing = sandbox_control.get("/panel/orders?account=1")
    assert missing.status_code == 404
    assert f"?account={sandbox_account['id']}" in missing.get_data(as_text=True)


def test_cli_sets_the_delay_and_lists_orders_over_http(sandbox_server, sandbox_account, capsys):

    main(["orders", "--url", sandbox_server, "--processing-seconds", "0"])
    assert json.loads(capsys.readouterr().out) == {"processing_seconds": 0.0}
    auth = (sandbox_account["public_key"], sandbox_account["secret_key"])
    order = _order(sandbox_account["integration_id"])
    with httpx.Client(base_url=sandbox_server, auth=auth, timeout=10) as client:
        assert client.post(ORDERS, json=[order]).status_code == 201
        assert client.post(ORDERS, json=[order]).status_code == 201  # no processing window
    main(["orders", "--url", sandbox_server, "--account", str(sandbox_account["id"])])
    [listed] = json.loads(capsys.readouterr().out)["orders"]
    assert listed["order_number"] == "OXSDFGHTD-12" and listed["processing"] is False

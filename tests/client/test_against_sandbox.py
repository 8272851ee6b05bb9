"""The client's reads against the sandbox, in process (WSGI) and over real HTTP.

Needs the `sandbox.testing` pytest plugin (registered by tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sendcloud.client import SendcloudClient, Timeouts
from sendcloud.client.types import ParcelSpec, ShippingOptionsQuery

SANDBOX_BASE_URL = "http://sandbox.test"
FAULT_KINDS = (
    "server_error",
    "rate_limit",
    "slow",
    "timeout",
    "connection_reset",
    "truncated",
    "malformed_json",
)


def no_sleep(_seconds: float) -> None:
    """Back-off without waiting: the sandbox is local and the test must stay fast."""


@pytest.fixture(params=["wsgi", pytest.param("http", marks=pytest.mark.http)])
def sandbox_endpoint(request: pytest.FixtureRequest, sandbox_transport: Any) -> tuple[str, Any]:
    if request.param == "wsgi":
        return SANDBOX_BASE_URL, sandbox_transport
    return request.getfixturevalue("sandbox_server"), None


def make(account: dict, endpoint: tuple[str, Any], **kwargs: Any) -> SendcloudClient:
    base, transport = endpoint
    kwargs.setdefault("rate_limit", False)
    kwargs.setdefault("sleep", no_sleep)
    return SendcloudClient(
        account["public_key"], account["secret_key"], base_url=base, transport=transport, **kwargs
    )


def test_account_and_integration_reads(sandbox_account: dict, sandbox_endpoint: tuple) -> None:
    with make(sandbox_account, sandbox_endpoint) as client:
        assert client.user().username or client.user().email
        meta = client.auth_metadata()
        assert meta.integration_id == sandbox_account["integration_id"]
        v3 = {i.id: i for i in client.integrations()}
        v2 = {i.id: i for i in client.v2.integrations()}
        assert sandbox_account["integration_id"] in v3 and v3.keys() == v2.keys()
        one = client.integration(sandbox_account["integration_id"])
        assert one == v3[one.id]
        assert client.v2.integration(one.id).shop_name == one.shop_name
        invoices = client.invoices()
        assert len(invoices) == 5 and all(i.date and i.date.tzinfo for i in invoices)
        assert client.invoice(invoices[0].id).id == invoices[0].id
        brands = list(client.brands())
        assert brands and client.brand(brands[0].id) == brands[0]


def test_sender_addresses_are_the_same_objects_in_both_generations(
    sandbox_account: dict, sandbox_endpoint: tuple
) -> None:
    with make(sandbox_account, sandbox_endpoint) as client:
        v3 = list(client.sender_addresses())
        v2 = client.v2.sender_addresses()
        assert v3 and {a.id for a in v3} == {a.id for a in v2}
        by_id = {a.id: a for a in v2}
        for address in v3:
            other = by_id[address.id]
            assert (address.postal_code, address.city, address.country_code) == (
                other.postal_code,
                other.city,
                other.country_code,
            )
        complete = client.sender_addresses_complete()
        assert [a.id for a in complete] == [a.id for a in v3]
        assert client.sender_address(v3[0].id) == v3[0]


def test_shipping_reads(sandbox_account: dict, sandbox_endpoint: tuple) -> None:
    with make(sandbox_account, sandbox_endpoint) as client:
        query = ShippingOptionsQuery(
            from_country_code="NL",
            to_country_code="NL",
            parcels=(ParcelSpec("1.5"),),
            calculate_quotes=True,
        )
        result = client.shipping_options(query)
        assert result.options and all(o.code and o.carrier for o in result.options)
        methods = list(client.shipping_methods())
        assert methods and client.v2.shipping_method(methods[0].id).id == methods[0].id
        assert client.carriers()
        statuses = client.parcel_statuses()
        assert {s.code for s in statuses} >= {"READY_TO_SEND", "DELIVERED"}
        assert all(s.v2_id is not None for s in statuses if s.code == "DELIVERED")


def test_parcels_shipments_and_returns(sandbox_account: dict, sandbox_endpoint: tuple) -> None:
    with make(sandbox_account, sandbox_endpoint) as client:
        shipments = list(client.shipments(page_size=7))
        assert shipments
        parcel_ids = [p.id for s in shipments for p in s.parcels]
        assert len(parcel_ids) == len(set(parcel_ids))
        assert client.shipment(shipments[0].id) == shipments[0]
        ids = parcel_ids[:3]
        assert {p.id for s in client.shipments(ids=ids) for p in s.parcels} >= set(ids)
        parcels = list(client.parcels_v2())
        assert parcels and len({p.id for p in parcels}) == len(parcels)
        assert client.parcel_v2(parcels[0].id) == parcels[0]
        assert all(p.date_created and p.date_created.tzinfo for p in parcels)
        returns = list(client.returns(page_size=3))
        # Several pages of 3 give what one page of 40 gives (the seeded returns of this key
        # pair: returns of the shop integration's parcels are not listed).
        assert 3 < len(returns) == len(list(client.returns(page_size=40)))
        if returns[0].id is not None:
            assert client.return_(returns[0].id).tracking_number == returns[0].tracking_number


def test_pages_resume_from_a_token(sandbox_account: dict, sandbox_endpoint: tuple) -> None:
    with make(sandbox_account, sandbox_endpoint) as client:
        all_ids = [s.id for s in client.shipments(page_size=5)]
        pages = client.v3.shipments_pages(page_size=5)
        first = next(pages)
        rest = [s.id for page in client.v3.shipments_pages(resume=first.next_token) for s in page]
        assert [s.id for s in first] + rest == all_ids


def test_integration_update_round_trip(sandbox_account: dict, sandbox_endpoint: tuple) -> None:
    with make(sandbox_account, sandbox_endpoint) as client:
        iid = sandbox_account["integration_id"]
        client.integration_update(iid, shop_name="Filiale Nord", feedback_type="delayed")
        updated = client.integration(iid)
        assert (updated.shop_name, updated.feedback_type) == ("Filiale Nord", "delayed")


def full_read(client: SendcloudClient) -> dict[str, Any]:
    """Every object type the sync reads, in both generations where both exist.

    Small pages: more requests, so every fault kind gets its chance to fire.
    """
    return {
        "user": client.user(),
        "metadata": client.auth_metadata(),
        "integrations_v3": client.integrations(),
        "integrations_v2": client.v2.integrations(),
        "sender_v3": list(client.sender_addresses()),
        "sender_v2": client.v2.sender_addresses(),
        "options": client.shipping_options({"from_country_code": "NL", "to_country_code": "DE"}),
        "methods": list(client.shipping_methods()),
        "statuses": client.parcel_statuses(),
        "shipments": list(client.shipments(page_size=2)),
        "parcels_v2": list(client.parcels_v2()),
        "returns": list(client.returns(page_size=1)),
        "invoices": client.invoices(),
        "brands": list(client.brands()),
    }


def test_full_read_survives_twenty_percent_faults_of_every_kind(
    sandbox_app: Any, sandbox_account: dict, sandbox_endpoint: tuple
) -> None:
    """20 % of all requests fail, spread evenly over every fault kind the sandbox has."""
    calls: list[Any] = []
    timeouts = Timeouts(connect=2, read=0.5, write=2, pool=2)
    with make(sandbox_account, sandbox_endpoint, timeout=timeouts) as client:
        clean = full_read(client)
    per_kind = 1 - (1 - 0.20) ** (1 / len(FAULT_KINDS))  # rules are tried one after another
    rules = [{"kind": kind, "rate": per_kind, "delay": 0.05} for kind in FAULT_KINDS]
    rules[FAULT_KINDS.index("timeout")]["delay"] = 1.0  # beyond the 0.5 s read timeout
    sandbox_app.extensions["sandbox"].faults.configure(rules, seed=20)
    try:
        with make(
            sandbox_account,
            sandbox_endpoint,
            timeout=timeouts,
            max_retries=12,
            on_call=calls.append,
        ) as client:
            faulty = [full_read(client) for _ in range(3)]
    finally:
        sandbox_app.extensions["sandbox"].faults.clear()
    retried = [c for c in calls if c.will_retry]
    errors = {c.error for c in retried}
    # Every kind but `slow` (which only delays) must have hit at least once to prove anything.
    assert errors >= {"ServerError", "RateLimited", "InvalidResponse", "ConnectionError", "Timeout"}
    for run in faulty:
        for key in clean:
            assert _comparable(run[key]) == _comparable(clean[key]), key


def _comparable(value: Any) -> Any:
    # Shipping-option quotes are computed per call; everything else must be identical.
    if hasattr(value, "options"):
        return tuple(replace(o, quotes=None) for o in value.options)
    return value

"""Lists stream page by page; links are re-issued against the configured base."""

from __future__ import annotations

import threading

import httpx
import pytest

from sendcloud.client import InvalidResponse, Malformed
from sendcloud.client.pagination import prefetched
from tests.client.helpers import Router, make_client


def parcel(pid: int) -> dict:
    return {"id": pid, "status": {"id": 1000, "message": "Ready to send"}}


def test_v2_next_on_another_host_is_followed_on_the_configured_base(router: Router) -> None:
    router.json(
        "GET",
        "/api/v2/parcels",
        {
            "next": "https://panel.sendcloud.sc/api/v2/parcels?cursor=cD0y&updated_after=X",
            "parcels": [parcel(3)],
        },
    )
    router.json(
        "GET",
        "/api/v2/parcels",
        {
            "next": "http://other-host.example:8080/somewhere/else?cursor=cD0x",
            "parcels": [parcel(2)],
        },
    )
    router.json("GET", "/api/v2/parcels", {"next": None, "parcels": [parcel(1)]})
    ids = [p.id for p in make_client(router).parcels_v2(updated_after="X")]
    assert ids == [3, 2, 1]
    assert {r.url.host for r in router.requests} == {"panel.test"}
    assert [r.url.params.get("cursor") for r in router.requests] == [None, "cD0y", "cD0x"]
    assert all(r.url.params["updated_after"] == "X" for r in router.requests)


def test_v3_link_header_paging_keeps_filters_and_page_size(router: Router) -> None:
    shipment = lambda sid: {"id": sid, "parcels": []}  # noqa: E731
    link = (
        '<https://panel.sendcloud.sc/api/v3/shipments/?cursor=cj0x>; rel="prev", '
        '<https://panel.sendcloud.sc/api/v3/shipments/?cursor=cD0yNTM%3D>; rel="next"'
    )
    router.add(
        "GET",
        "/api/v3/shipments",
        httpx.Response(200, json={"data": [shipment("a")]}, headers={"link": link}),
    )
    router.add("GET", "/api/v3/shipments", httpx.Response(200, json={"data": [shipment("b")]}))
    ids = [s.id for s in make_client(router).shipments(parcel_status="DELIVERED", page_size=500)]
    assert ids == ["a", "b"]
    second = router.requests[1].url.params
    assert (second["cursor"], second["parcel_status"], second["page_size"]) == (
        "cD0yNTM=",
        "DELIVERED",
        "100",
    )


def two_brand_pages(router: Router) -> Router:
    router.json(
        "GET",
        "/api/v2/brands",
        {"next": "https://x/api/v2/brands?cursor=P2", "brands": [{"id": 1}]},
    )
    return router.json("GET", "/api/v2/brands", {"next": None, "brands": [{"id": 2}]})


def test_page_iterator_resumes_from_a_token(router: Router) -> None:
    client = make_client(two_brand_pages(router))
    first = next(client.v2.brands_pages())
    assert [b.id for b in first] == [1] and first.next_token
    rest = list(client.v2.brands_pages(resume=first.next_token))
    assert [[b.id for b in p] for p in rest] == [[2]] and rest[0].next_token is None
    assert router.requests[-1].url.params["cursor"] == "P2"


def test_resume_token_of_another_list_is_refused(router: Router) -> None:
    router.json(
        "GET", "/api/v2/brands", {"next": "https://x/api/v2/brands?cursor=P2", "brands": []}
    )
    token = next(make_client(router).v2.brands_pages()).next_token
    with pytest.raises(ValueError):
        next(make_client(router).v2.parcels_pages(resume=token))


def test_pages_are_fetched_lazily(router: Router) -> None:
    router.json(
        "GET",
        "/api/v2/brands",
        {"next": "https://x/api/v2/brands?cursor=P2", "brands": [{"id": 1}]},
    )
    pages = make_client(router).v2.brands_pages()
    assert router.requests == []
    next(pages)
    assert len(router.requests) == 1


def test_a_next_link_that_does_not_advance_is_an_error(router: Router) -> None:
    router.json("GET", "/api/v2/brands", {"next": "https://x/api/v2/brands?cursor=A", "brands": []})
    client = make_client(router)
    with pytest.raises(InvalidResponse, match="did not advance"):
        list(client.v2.brands_pages(resume=next(client.v2.brands_pages()).next_token))


def test_a_tolerant_list_marks_an_unreadable_object_and_keeps_the_page(router: Router) -> None:
    router.json("GET", "/api/v2/brands", {"next": None, "brands": [{"id": 1}, "junk", {"id": 3}]})
    page = next(make_client(router).v2.brands_pages(tolerant=True))
    assert [getattr(item, "id", None) for item in page] == [1, None, 3]
    assert isinstance(page.items[1], Malformed) and page.items[1].raw == "junk"


def test_a_strict_list_fails_the_page_on_an_unreadable_object(router: Router) -> None:
    router.json("GET", "/api/v2/brands", {"next": None, "brands": [{"id": 1}, "junk"]})
    with pytest.raises(InvalidResponse):
        next(make_client(router).v2.brands_pages())


def test_prefetched_pages_report_their_calls_in_the_callers_thread(router: Router) -> None:
    client = make_client(two_brand_pages(router))
    threads = []
    stop = client.transport.listen(lambda record: threads.append(threading.current_thread()))
    pages = list(prefetched(client.v2.brands_pages(), client.transport))
    stop()
    assert [b.id for page in pages for b in page] == [1, 2]
    assert threads == [threading.current_thread()] * 2
    client.v2.brands_pages()  # a stopped listener hears nothing more
    list(client.v2.brands())
    assert len(threads) == 2

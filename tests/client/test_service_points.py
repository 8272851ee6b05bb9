"""The v2 service points client: its own host, bare arrays, the 301 quirk, the error body."""

import base64

import httpx
import pytest

from sendcloud.client import InvalidResponse, ValidationError
from tests.client.helpers import PUBLIC_KEY, SECRET_KEY, Router, make_client, payload

HOST = "https://servicepoints.sendcloud.sc"
LIST = "/api/v2/service-points/"


def _basic(request: httpx.Request) -> str:
    return base64.b64decode(request.headers["authorization"].split()[1]).decode()


def test_service_point_parses_types_opening_times_and_missing_shop_type(router: Router) -> None:
    router.json("GET", "/api/v2/service-points/26", payload("service_point.json"))
    point = make_client(router).service_points.get(26)
    assert (point.id, point.code, point.carrier, point.country) == (
        26,
        "4c8181feec8f49fdbe67d9c9f6aaaf6f",
        "postnl",
        "NL",
    )
    assert (point.street, point.house_number, point.postal_code, point.city) == (
        "Sesamstraat",
        "40",
        "5699YE",
        "Eindhoven",
    )
    # The recorded point has shop_type null and no general_shop_type at all (2020 shape).
    assert point.shop_type is None and point.general_shop_type is None and not point.is_locker
    assert point.open_tomorrow is True and point.open_upcoming_week is True
    assert point.distance_m == 361
    hours = dict(point.opening_hours())
    assert hours[0] == ("13:30 - 17:15",) and hours[3] == () and hours[6] == ()
    assert len(hours) == 7


def test_search_sends_the_query_to_its_own_host_with_the_same_keys(router: Router) -> None:
    near = {**payload("service_point.json"), "id": 1, "distance": 900}
    nearer = {**payload("service_point.json"), "id": 2, "distance": 120}
    router.json("GET", LIST, [near, nearer])
    points = make_client(router).service_points.search(
        "nl",
        carriers=("postnl", "dpd"),
        postal_code="5611 AB",
        radius_m=20,
        general_shop_types=("locker",),
    )
    request = router.requests[0]
    assert request.url.host == "servicepoints.sendcloud.sc"
    assert _basic(request) == f"{PUBLIC_KEY}:{SECRET_KEY}"
    assert dict(request.url.params) == {
        "country": "NL",
        "carrier": "postnl,dpd",
        "postal_code": "5611 AB",
        "radius": "100",  # clamped to the documented 100–50 000 m
        "general_shop_type": "locker",
    }
    assert [p.id for p in points] == [2, 1]  # nearest first


def test_search_without_a_reference_point_keeps_the_hosts_order(router: Router) -> None:
    first = {**payload("service_point.json"), "id": 5}
    second = {**payload("service_point.json"), "id": 3}
    for point in (first, second):
        point.pop("distance")
    router.json("GET", LIST, [first, second])
    points = make_client(router).service_points.search("NL")
    assert [(p.id, p.distance_m) for p in points] == [(5, None), (3, None)]


def test_a_301_is_followed_on_the_same_host_keeping_the_auth_header(router: Router) -> None:
    router.add(
        "GET",
        "/api/v2/service-points",
        httpx.Response(301, headers={"location": "/api/v2/service-points/?country=DE"}),
    )
    router.json("GET", LIST, [payload("service_point.json")])
    [point] = make_client(router).service_points._get("/service-points", {"country": "DE"}).data
    assert point["id"] == 26
    follow = router.requests[1]
    assert follow.url.path == LIST and follow.url.params["country"] == "DE"
    assert _basic(follow) == f"{PUBLIC_KEY}:{SECRET_KEY}"


def test_a_redirect_to_another_host_is_refused(router: Router) -> None:
    router.add(
        "GET",
        "/api/v2/service-points/7",
        httpx.Response(301, headers={"location": "https://elsewhere.example/api/v2/x/"}),
    )
    with pytest.raises(InvalidResponse):
        make_client(router).service_points.get(7)
    assert len(router.requests) == 1


def test_the_error_body_becomes_a_validation_error(router: Router) -> None:
    body = {
        "error": {
            "code": 400,
            "request": "api/v2/service-points/",
            "message": 'country: "This field is required."',
        }
    }
    router.json("GET", LIST, body, status=400)
    with pytest.raises(ValidationError) as caught:
        make_client(router).service_points.search("DE")
    assert "country" in str(caught.value)


def test_the_host_comes_from_the_service_points_url(router: Router) -> None:
    router.json("GET", "/sp/api/v2/service-points/", [])
    client = make_client(router, service_points_url="https://sandbox.test/sp/api/v2")
    assert client.service_points.search("DE") == []
    assert router.requests[0].url.host == "sandbox.test"
    assert HOST not in str(router.requests[0].url)

"""The sandbox's service points host: auth, error body, 301 quirk, realistic points, distance."""

import pytest
from sandbox_shapes import assert_shape, sample

from sandbox.service_point_data import points_of, reference_point, service_point_countries
from sandbox.service_points import PREFIX

LIST = f"{PREFIX}/service-points/"


def test_every_service_point_country_has_a_few_hundred_points_from_its_carriers():
    countries = service_point_countries()
    # Every destination of a service-point product (each ships within one country: routes.py).
    assert {"DE", "AT", "NL", "BE"} <= set(countries)
    for country in countries:
        assert len(points_of(country)) >= 200, country
    carriers_de = {(p.carrier, p.general_shop_type) for p in points_of("DE")}
    assert {("dhl", "locker"), ("dhl", "post_office"), ("dpd", "servicepoint")} <= carriers_de
    assert ("gls_de", "servicepoint") in carriers_de
    assert {p.carrier for p in points_of("NL")} == {"postnl", "dpd"}


def test_points_are_the_same_on_every_start():
    points_of.cache_clear()
    first = points_of("DE")[:5]
    points_of.cache_clear()
    assert points_of("DE")[:5] == first


def test_a_postal_code_finds_a_coordinate_near_its_city():
    lat, lon = reference_point("DE", postal_code="80331")
    assert abs(lat - 48.137) < 0.1 and abs(lon - 11.575) < 0.1  # München
    assert reference_point("DE", postal_code="80331") == (lat, lon)
    assert reference_point("DE", postal_code="80333") != (lat, lon)


def test_list_is_a_bare_array_shaped_like_the_recorded_point_nearest_first(sandbox_client):
    response = sandbox_client.get(LIST, params={"country": "DE", "postal_code": "10115"})
    assert response.status_code == 200
    points = response.json()
    assert isinstance(points, list) and len(points) > 100
    expected = sample("service_point.json")
    expected["extra_data"] = {"partner_name": "PostNL"}  # carrier specific (v2 §5.15)
    assert_shape(points[0], expected, loose={"$.shop_type"})
    distances = [p["distance"] for p in points]
    assert distances == sorted(distances) and distances[0] < 3000
    assert points[0]["city"] == "Berlin"


def test_filters_carrier_shop_type_and_radius(sandbox_client):
    lockers = sandbox_client.get(
        LIST,
        params={
            "country": "DE",
            "postal_code": "80331",
            "carrier": "dhl",
            "general_shop_type": "locker",
            "radius": 2000,
        },
    ).json()
    assert lockers and all(p["carrier"] == "dhl" for p in lockers)
    assert all(p["general_shop_type"] == "locker" and p["distance"] <= 2000 for p in lockers)
    assert lockers[0]["name"].startswith("Packstation ")
    assert lockers[0]["formatted_opening_times"]["6"] == ["00:00 - 23:59"]


def test_distance_only_with_a_reference_point(sandbox_client):
    points = sandbox_client.get(LIST, params={"country": "NL"}).json()
    assert points and all("distance" not in p for p in points)


def test_missing_country_answers_the_documented_error_body(sandbox_client):
    response = sandbox_client.get(LIST)
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "request": "api/v2/service-points",
            "message": 'country: "This field is required."',
        }
    }


def test_list_without_trailing_slash_answers_301_to_the_slashed_url(sandbox_client):
    response = sandbox_client.get(f"{PREFIX}/service-points", params={"country": "DE"})
    assert response.status_code == 301
    assert response.headers["location"] == f"{LIST}?country=DE"


@pytest.mark.parametrize("auth", [None, ("wrong", "keys")])
def test_wrong_or_missing_keys_answer_401(sandbox_transport, auth):
    import httpx

    with httpx.Client(transport=sandbox_transport, base_url="http://sandbox") as client:
        response = client.get(LIST, params={"country": "DE"}, auth=auth)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid username/password."


def test_access_token_query_with_the_public_key_is_accepted(sandbox_transport, sandbox_account):
    import httpx

    with httpx.Client(transport=sandbox_transport, base_url="http://sandbox") as client:
        response = client.get(
            LIST, params={"country": "BE", "access_token": sandbox_account["public_key"]}
        )
    assert response.status_code == 200 and response.json()


def test_detail_and_unknown_point(sandbox_client):
    point = points_of("AT")[0]
    body = sandbox_client.get(f"{PREFIX}/service-points/{point.id}").json()
    assert (body["id"], body["carrier"], body["country"]) == (point.id, point.carrier, "AT")
    assert "distance" not in body
    missing = sandbox_client.get(f"{PREFIX}/service-points/1")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404


def test_some_shops_are_closed_this_week(sandbox_client):
    points = sandbox_client.get(LIST, params={"country": "DE", "carrier": "dpd"}).json()
    closed = [p for p in points if not p["open_upcoming_week"]]
    assert closed and all(not any(p["formatted_opening_times"].values()) for p in closed)
    assert all(p["open_tomorrow"] is False for p in closed)


def _point_body(point_id, code="dhl:paket/service_point", country="DE"):
    from sandbox_labels import announce_body

    body = announce_body(to_service_point={"id": str(point_id)})
    body["ship_with"]["properties"]["shipping_option_code"] = code
    body["to_address"]["country_code"] = country
    return body


def _first(country, carrier, kind=None):
    return next(
        p
        for p in points_of(country)
        if p.carrier == carrier and kind in (None, p.general_shop_type)
    )


def test_v3_label_to_a_known_point_of_the_carrier_is_announced(sandbox_client):
    body = _point_body(_first("DE", "dhl", "locker").id)
    response = sandbox_client.post("/api/v3/shipments/announce", json=body)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "point, expected",
    [
        (lambda: 424242, "does not exist"),
        (lambda: _first("DE", "dpd").id, 'belongs to carrier "dpd"'),
        (lambda: _first("NL", "dpd").id, "is in NL"),
    ],
    ids=["unknown", "other-carrier", "other-country"],
)
def test_v3_label_to_a_wrong_point_is_refused_with_a_pointer(sandbox_client, point, expected):
    code = "dpd:shop" if "NL" in expected else "dhl:paket/service_point"
    response = sandbox_client.post(
        "/api/v3/shipments/announce", json=_point_body(point(), code=code)
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["source"] == {"pointer": "/to_service_point/id"}  # announce: no prefix
    assert expected in error["detail"]


def test_v2_parcel_to_a_point_of_another_carrier_is_refused(sandbox_client):
    from sandbox import catalogue as cat

    method = cat.methods_for("dhl:paket/service_point")[0]
    parcel = {
        "name": "Erika Muster", "address": "Hauptstraße", "house_number": "5", "city": "Berlin",
        "postal_code": "10115", "country": "DE", "request_label": True, "weight": "1.000",
        "shipment": {"id": method.id}, "to_service_point": _first("DE", "gls_de").id,
        "to_post_number": "12345678",
    }  # fmt: skip
    response = sandbox_client.post("/api/v2/parcels", json={"parcel": parcel})
    assert response.status_code == 400
    assert "to_service_point" in response.json()["error"]["message"]
    parcel["to_service_point"] = _first("DE", "dhl", "locker").id
    assert sandbox_client.post("/api/v2/parcels", json={"parcel": parcel}).status_code == 200

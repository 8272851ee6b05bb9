"""The v2 service points API (reference v2 §2.4, §5.15) under its own prefix, standing in for
its own host `servicepoints.sendcloud.sc/api/v2`: Basic auth with the account's keys or an
`access_token` query (the public key), bare arrays, the v2 error body, and the 301 a path
without its trailing slash got (2020 recording)."""

from datetime import timedelta

from flask import Blueprint, g, request

from . import catalogue as cat
from .errors import empty, json_response
from .service_point_data import (
    distance_m,
    point_by_id,
    points_of,
    reference_point,
    service_point_countries,
)
from .state import current

PREFIX = "/servicepoints/api/v2"
bp = Blueprint("service_points", __name__)
GENERAL_SHOP_TYPES = {"servicepoint", "locker", "post_office", "carrier_depot"}
MAX_RESULTS = 999  # v2 §4: 999 results for country=NL without another filter


def _error(status: int, message: str, headers=None):
    # The host's own path, without the sandbox's prefix: "api/v2/service-points/".
    path = request.path[len(PREFIX) - len("/api/v2") :].strip("/")
    body = {"error": {"code": status, "request": path, "message": message}}
    return json_response(body, status, headers)


@bp.before_request
def _authenticate():
    state = current()
    auth = request.authorization
    who = None
    if auth is not None and auth.type == "basic":
        who = state.accounts.authenticate(auth.username or "", auth.password or "")
    elif request.args.get("access_token"):
        # §2.4: a JWT or simply the public key; the sandbox takes the public key only.
        row = state.store.one(
            "SELECT account_id, id FROM integrations WHERE public_key = ? AND deleted = 0",
            (request.args["access_token"],),
        )
        who = tuple(row) if row else None
    if who is None:
        return _error(401, "Invalid username/password.", {"WWW-Authenticate": "Bearer"})
    g.account_id, g.integration_id = who
    if not state.limiter.allow(g.account_id, request.method):
        return empty(429)
    return None


def _opening(point, today) -> dict:
    hours = {str(day): [] if point.closed_for_holidays else list(point.hours[day]) for day in
             range(7)}  # fmt: skip
    tomorrow = (today + timedelta(days=1)).weekday()
    return {
        "formatted_opening_times": hours,
        "open_tomorrow": bool(hours[str(tomorrow)]),
        "open_upcoming_week": any(hours.values()),
    }


def render(point, today, reference=None) -> dict:
    """A ServicePoint as the host answers it (key order of the recorded example)."""
    body = {
        "id": point.id,
        "code": point.code,
        "is_active": True,
        "shop_type": point.shop_type,
        "general_shop_type": point.general_shop_type,
        "extra_data": {"partner_name": cat.CARRIERS.get(point.carrier, point.carrier)},
        "name": point.name,
        "street": point.street,
        "house_number": point.house_number,
        "postal_code": point.postal_code,
        "city": point.city,
        "latitude": f"{point.latitude:.6f}",
        "longitude": f"{point.longitude:.6f}",
        "email": "",
        "phone": "",
        "homepage": "",
        "carrier": point.carrier,
        "country": point.country,
        **_opening(point, today),
    }
    if reference is not None:  # distance only with a reference point (§5.15)
        body["distance"] = distance_m(reference[0], reference[1], point.latitude, point.longitude)
    return body


def _float(name):
    try:
        return float(request.args[name])
    except (KeyError, ValueError):
        return None


@bp.get("/service-points", strict_slashes=True)
def service_points_no_slash():
    """Recorded in 2020: the list without its trailing slash answered 301 to the slashed URL."""
    query = request.query_string.decode()
    location = f"{PREFIX}/service-points/" + (f"?{query}" if query else "")
    return json_response({}, 301, {"Location": location})


@bp.get("/service-points/", strict_slashes=True)
def service_points_list():
    args = request.args
    country = (args.get("country") or "").upper()
    if not country:
        return _error(400, 'country: "This field is required."')
    if country not in cat.COUNTRY:
        return _error(400, f'country: "\\"{country}\\" is not a valid choice."')
    carriers = {c.strip() for c in args.get("carrier", "").split(",") if c.strip()}
    kinds = {k.strip() for k in args.get("general_shop_type", "").split(",") if k.strip()}
    if kinds - GENERAL_SHOP_TYPES:
        bad = sorted(kinds - GENERAL_SHOP_TYPES)[0]
        return _error(400, f'general_shop_type: "\\"{bad}\\" is not a valid choice."')
    radius = _float("radius")
    if radius is not None and not 100 <= radius <= 50_000:
        return _error(400, 'radius: "Ensure this value is between 100 and 50000."')
    latitude, longitude = _float("latitude"), _float("longitude")
    if latitude is not None and longitude is not None:
        reference = (latitude, longitude)
    else:
        reference = reference_point(
            country,
            postal_code=args.get("postal_code", ""),
            city=args.get("city", ""),
            address=" ".join(filter(None, (args.get("address"), args.get("house_number")))),
        )
    points = [
        p
        for p in points_of(country)
        if (not carriers or p.carrier in carriers) and (not kinds or p.general_shop_type in kinds)
    ]
    today = current().clock.now_dt().date()
    rendered = [render(p, today, reference) for p in points]
    if reference is not None:
        rendered.sort(key=lambda body: (body["distance"], body["id"]))
        if radius is not None:
            rendered = [body for body in rendered if body["distance"] <= radius]
    return json_response(rendered[:MAX_RESULTS])


@bp.get("/service-points/<int:point_id>")
def service_point_detail(point_id):
    point = point_by_id().get(point_id)
    if point is None:
        return _error(404, "Not found.")
    return json_response(render(point, current().clock.now_dt().date()))


@bp.get("/service-points/<int:point_id>/check-availability")
def service_point_availability(point_id):
    point = point_by_id().get(point_id)
    if point is None:
        return _error(404, "Not found.")
    today = current().clock.now_dt().date()
    return json_response(_opening(point, today)["open_upcoming_week"])


@bp.get("/carriers")
def carriers():
    """Carrier codes with service points (every account of the sandbox may use them)."""
    codes = sorted({p.carrier for c in service_point_countries() for p in points_of(c)})
    return json_response(codes)

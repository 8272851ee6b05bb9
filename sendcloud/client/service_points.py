"""The v2 service points API on its own host (v2 reference §2.4, §5.15).

Same Basic auth as the panel, bare-array answers, the v2 error body. Two quirks are handled
here and nowhere else: a path without its trailing slash was answered 301 (2020), and that
redirect is followed by hand — on the same host only, so the auth header never travels to
another one — and `distance` comes back only when the query has a reference point.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .errors import InvalidResponse
from .parsers import parse_service_point
from .transport import SERVICE_POINTS, ApiResponse, Transport
from .types import ServicePoint

GENERAL_SHOP_TYPES = ("servicepoint", "locker", "post_office", "carrier_depot")
MIN_RADIUS_M, MAX_RADIUS_M = 100, 50_000  # v2 §5.15
MAX_REDIRECTS = 2


class ServicePointsApi:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def _get(self, path: str, params: dict[str, Any] | None = None) -> ApiResponse:
        """GET on the service points host, following its 301 to the same host by hand."""
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._t.request(
                "GET", path, params=params, host=SERVICE_POINTS, accept=(301,)
            )
            if response.status != 301:
                return response
            path, params = self._redirect_target(response.headers.get("location") or "")
        raise InvalidResponse("too many redirects from the service points host")

    def _redirect_target(self, location: str) -> tuple[str, dict[str, str]]:
        base = urlsplit(self._t.url_for("", SERVICE_POINTS))
        target = urlsplit(location)
        if target.netloc and target.netloc != base.netloc:
            raise InvalidResponse("the service points host redirected to another host")
        if not target.path.startswith(base.path + "/"):
            raise InvalidResponse("the service points host redirected outside its API")
        params = dict(parse_qsl(target.query, keep_blank_values=True))
        return target.path[len(base.path) :], params

    def search(
        self,
        country: str,
        *,
        carriers: tuple[str, ...] | list[str] = (),
        postal_code: str | None = None,
        city: str | None = None,
        address: str | None = None,
        house_number: str | None = None,
        latitude: str | float | None = None,
        longitude: str | float | None = None,
        radius_m: int | None = None,
        general_shop_types: tuple[str, ...] | list[str] = (),
        weight_kg: float | None = None,
        **extra: Any,
    ) -> list[ServicePoint]:
        """`GET /service-points/` near a place; nearest first when a reference point is given
        (an address, a postal code or coordinates), in the host's order otherwise."""
        # `access_token` (§2.4) may come in `extra`; the call records mask it.
        if not country:
            raise ValueError("the service points search needs a country")
        if (latitude is None) != (longitude is None):
            raise ValueError("latitude and longitude go together")
        unknown = set(general_shop_types) - set(GENERAL_SHOP_TYPES)
        if unknown:
            raise ValueError(f"unknown general shop types: {', '.join(sorted(unknown))}")
        if radius_m is not None:
            radius_m = max(MIN_RADIUS_M, min(MAX_RADIUS_M, int(radius_m)))
        params = {
            "country": country.upper(),
            "carrier": list(carriers) or None,
            "postal_code": postal_code or None,
            "city": city or None,
            "address": address or None,
            "house_number": house_number or None,
            "latitude": latitude,
            "longitude": longitude,
            "radius": radius_m,
            "general_shop_type": list(general_shop_types) or None,
            "weight": weight_kg,
            **extra,  # the rest of §5.15's filters (pudo_id, shop_type, bounding box, …)
        }
        response = self._get("/service-points/", params)
        if not isinstance(response.data, list):
            raise InvalidResponse("expected a list of service points")
        points = [parse_service_point(item) for item in response.data]
        if all(p.distance_m is not None for p in points):
            points.sort(key=lambda p: p.distance_m)
        return points

    def get(self, point_id: int | str) -> ServicePoint:
        """`GET /service-points/{id}` (404 → NotFound)."""
        return parse_service_point(self._get(f"/service-points/{int(point_id)}").data)

    def carriers(self) -> list[str]:
        """Carrier codes enabled for service-point delivery (403 when the integration may not
        use service points)."""
        data = self._get("/carriers").data
        if not isinstance(data, list):
            raise InvalidResponse("expected a list of carriers")
        return [str(code) for code in data if isinstance(code, str)]

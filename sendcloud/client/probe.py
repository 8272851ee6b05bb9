"""Reachability probe for URLs Sendcloud must call back (our own webhook endpoint)."""

import httpx


def probe_url(url: str, *, timeout: float = 5.0) -> bool:
    """True when a GET on `url` answers 2xx within `timeout` seconds; never raises."""
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError:
        return False
    return response.is_success

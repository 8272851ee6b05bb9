"""Links to addresses that came from Sendcloud (tracking, labels): only http(s) is a link."""

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def http_url(value) -> str:
    """The URL if it is an absolute http(s) URL, else "" (so `javascript:` never becomes a link).

    Usage: {% with link=parcel.tracking_url|http_url %}{% if link %}<a href="{{ link }}">…
    """
    url = str(value or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url

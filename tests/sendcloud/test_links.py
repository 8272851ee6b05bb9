"""Tracking and label URLs from Sendcloud become links only when they are http(s)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from sendcloud.models import Integration, Parcel
from sendcloud.templatetags.sendcloud_links import http_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "/relative/path",
        "",
        None,
    ],
)
def test_anything_but_an_absolute_http_url_is_no_link(url):
    assert http_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://tracking.example/abc?x=1", "http://jouw.postnl.nl/#!/track/3S"]
)
def test_http_and_https_urls_stay_links(url):
    assert http_url(url) == url


def test_the_filter_is_usable_in_templates():
    rendered = Template('{% load sendcloud_links %}{{ url|http_url|default:"-" }}').render(
        Context({"url": "javascript:alert(1)"})
    )
    assert rendered == "-"


def test_a_javascript_tracking_url_is_not_rendered_as_a_link(clerk_client, company):
    integration = Integration.objects.create(
        company=company, shop_name="Shop", state=Integration.State.CONNECTED
    )
    Parcel.objects.create(
        integration=integration,
        sendcloud_id=1,
        tracking_number="JS-TRACK",
        tracking_url="javascript:alert(1)",
    )
    Parcel.objects.create(
        integration=integration,
        sendcloud_id=2,
        tracking_number="OK-TRACK",
        tracking_url="https://tracking.example/OK-TRACK",
    )
    page = clerk_client.get(reverse("sendcloud:report", args=[integration.pk, "parcels"]))
    html = page.content.decode()
    assert "JS-TRACK" in html and "javascript:" not in html
    assert 'href="https://tracking.example/OK-TRACK"' in html

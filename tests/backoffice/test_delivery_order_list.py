"""The delivery order list filters by the countries the company ships to."""

import pytest
from django.urls import reverse

from tests.factories import DeliveryOrderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_country_filter_offers_only_countries_in_use_and_filters(client):
    user = UserFactory()
    client.force_login(user)
    germany = DeliveryOrderFactory(company=user.company, country="DE")
    DeliveryOrderFactory(company=user.company, country="DE")
    austria = DeliveryOrderFactory(company=user.company, country="AT")
    DeliveryOrderFactory(country="FR")  # another company's country is not offered
    url = reverse("admin:sales_deliveryorder_changelist")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert page.count("?country=DE") == 1 and "?country=AT" in page  # each country once
    assert "?country=FR" not in page and "Isle of Man" not in page
    filtered = client.get(url, {"country": "AT"}).content.decode()
    assert austria.number in filtered and germany.number not in filtered


def test_admin_breadcrumbs_start_at_the_overview_like_the_menu(client):
    client.force_login(UserFactory())
    page = client.get(
        reverse("admin:sales_deliveryorder_changelist"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    breadcrumbs = page.split('class="breadcrumbs"', 1)[1].split("</div>", 1)[0]
    assert "Übersicht" in breadcrumbs and "Start" not in breadcrumbs

"""Moving an integration up: the company's own only; another company's id is a 404."""

import pytest
from django.urls import reverse

from sendcloud.models import Integration
from sendcloud.services.integrations import integration_move_up
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _integrations(company, *names):
    return [
        Integration.objects.create(company=company, shop_name=name, position=i)
        for i, name in enumerate(names)
    ]


def test_move_up_swaps_an_integration_with_the_one_before(company):
    first, second = _integrations(company, "Erster", "Zweiter")
    integration_move_up(company, second.pk)
    assert list(Integration.objects.filter(company=company)) == [second, first]


def test_move_up_of_another_companys_integration_changes_nothing(company):
    (own,) = _integrations(company, "Eigener")
    foreign_company = CompanyFactory()
    first, second = _integrations(foreign_company, "Fremd 1", "Fremd 2")
    with pytest.raises(Integration.DoesNotExist):
        integration_move_up(company, second.pk)
    assert list(Integration.objects.filter(company=foreign_company)) == [first, second]


def test_posting_move_up_with_a_foreign_or_unknown_id_answers_404(clerk_client, company):
    _integrations(company, "Eigener")
    (foreign,) = _integrations(CompanyFactory(), "Fremd")
    for pk in (foreign.pk, 987654):
        response = clerk_client.post(reverse("sendcloud:move-up", args=[pk]))
        assert response.status_code == 404

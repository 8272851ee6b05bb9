from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backoffice.inventory.models import Warehouse
from backoffice.sales.models import CustomerAddress, DeliveryOrder


@pytest.mark.django_db
def test_demo_data_builds_a_company_to_demo_with(tmp_path, capsys):
    login = tmp_path / "login.txt"
    call_command("demo_data", "--orders", "120", "--login-file", str(login))
    printed = capsys.readouterr().out
    assert f"password {login.read_text()}" in printed
    assert sorted(Warehouse.objects.values_list("country", flat=True)) == ["AT", "DE", "NL"]
    countries = set(CustomerAddress.objects.values_list("country", flat=True))
    assert {"CH", "GB"} & countries and {"DE", "AT", "NL"} & countries
    deliveries = DeliveryOrder.objects.all()
    assert deliveries.count() == 120
    oldest = deliveries.order_by("created_at").first().created_at
    assert timezone.now() - oldest <= timedelta(days=90)
    assert timezone.now() - oldest > timedelta(days=30)
    # A second run keeps what is there and prints the same login.
    call_command("demo_data", "--login-file", str(login))
    assert DeliveryOrder.objects.count() == 120

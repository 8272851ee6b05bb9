from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backoffice.companies import roles
from backoffice.companies.models import User
from backoffice.demo import DEMO_COMPANY
from backoffice.inventory.models import Warehouse
from backoffice.sales.models import CustomerAddress, DeliveryOrder
from tests.factories import UserFactory


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


@pytest.mark.django_db
def test_demo_user_is_a_company_administrator_and_the_operator_is_separate(tmp_path, capsys):
    login, operator_login = tmp_path / "login.txt", tmp_path / "operator.txt"
    options = ["--orders", "5", "--login-file", str(login)]
    call_command("demo_data", *options, "--operator-login-file", str(operator_login))
    printed = capsys.readouterr().out
    demo, operator = User.objects.get(username="demo"), User.objects.get(username="operator")
    assert demo.is_staff and not demo.is_superuser
    assert [g.name for g in demo.groups.all()] == [roles.MANAGEMENT]
    assert demo.company.name == DEMO_COMPANY
    assert operator.is_superuser and operator.company is None
    assert operator.check_password(operator_login.read_text())
    assert f"Login: user demo, password {login.read_text()}" in printed
    assert f"user operator, password {operator_login.read_text()}" in printed
    # A second run prints both logins again, unchanged.
    call_command("demo_data", *options, "--operator-login-file", str(operator_login))
    again = capsys.readouterr().out
    assert f"user operator, password {operator_login.read_text()}" in again


@pytest.mark.django_db
def test_a_demo_user_of_an_older_version_loses_its_superuser_status(tmp_path):
    call_command("demo_data", "--orders", "5")
    User.objects.filter(username="demo").update(is_superuser=True)
    call_command("demo_data", "--orders", "5")
    assert not User.objects.get(username="demo").is_superuser


@pytest.mark.django_db
def test_a_company_user_named_operator_is_never_made_superuser(company):
    UserFactory(username="operator", company=company)
    call_command("demo_data", "--orders", "5")
    assert not User.objects.get(username="operator").is_superuser

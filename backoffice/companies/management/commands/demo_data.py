import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from backoffice.companies.models import Company
from backoffice.companies.roles import MANAGEMENT
from backoffice.demo import DEMO_COMPANY, demo_data_create, demo_data_ready


class Command(BaseCommand):
    help = (
        "Create the demo company with warehouses, products, customers and orders, its "
        "administrator `demo` and the installation operator `operator`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=300)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--login-file", default="", help="Write the demo login here and print it."
        )
        parser.add_argument(
            "--operator-login-file",
            default="",
            help="Write the operator login here and print it "
            "(default: operator-login.txt beside --login-file).",
        )

    def handle(self, *args, orders, seed, login_file, operator_login_file, **options):
        company = Company.objects.filter(name=DEMO_COMPANY).first()
        if company is None:
            company = demo_data_create(seed=seed, orders=orders)
            self.stdout.write(self.style.SUCCESS(f"Demo data created for {company}."))
        else:
            self.stdout.write(f"Demo data already present for {company}.")
            demo_data_ready.send(sender=Company, company=company)  # what was added since
        login_path = Path(login_file) if login_file else None
        if operator_login_file:
            operator_path = Path(operator_login_file)
        else:
            operator_path = login_path.with_name("operator-login.txt") if login_path else None
        demo, new = _demo_user(company)
        password = _password(demo, new, login_path)
        if password:
            self.stdout.write(self.style.SUCCESS(f"Login: user demo, password {password}"))
        operator, new = _operator()
        if operator is None:
            self.stderr.write(
                "A user `operator` exists and is no superuser; it is left alone (no operator "
                "login printed)."
            )
            return
        password = _password(operator, new, operator_path)
        if password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Operator login (all companies): user operator, password {password}"
                )
            )


def _password(user, new: bool, login_file) -> str:
    """Give a new user a password once; keep it in login_file so runs can print it."""
    if not new and login_file and login_file.exists():
        return login_file.read_text().strip()
    if not new and not login_file:
        return ""
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save(update_fields=["password"])
    if login_file:
        login_file.write_text(password)
    return password


def _demo_user(company):
    """The company's administrator: staff with the role Verwaltung, not an operator."""
    User = get_user_model()
    user = User.objects.filter(username="demo").first()
    new = user is None
    if new:
        user = User(
            username="demo",
            email="demo@muster-handel.example",
            first_name="Demo",
            last_name="Nutzer",
        )
        user.set_unusable_password()
    # Earlier versions made the demo user a superuser; every run puts that right.
    user.company, user.is_staff, user.is_superuser = company, True, False
    user.save()
    user.groups.add(Group.objects.get(name=MANAGEMENT))
    return user, new


def _operator():
    """The installation operator: a superuser of no company, who sees every company."""
    User = get_user_model()
    user = User.objects.filter(username="operator").first()
    if user is not None:
        # Never promote someone else's account (say a company's user named "operator").
        return (user, False) if user.is_superuser else (None, False)
    user = User(
        username="operator",
        email="operator@example.invalid",
        first_name="Betrieb",
        is_staff=True,
        is_superuser=True,
    )
    user.set_unusable_password()
    user.save()
    return user, True

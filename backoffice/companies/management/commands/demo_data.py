import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from backoffice.companies.models import Company
from backoffice.demo import DEMO_COMPANY, demo_data_create


class Command(BaseCommand):
    help = "Create the demo company with warehouses, products, customers and orders."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=300)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--login-file", default="", help="Write the demo login here and print it."
        )

    def handle(self, *args, orders, seed, login_file, **options):
        company = Company.objects.filter(name=DEMO_COMPANY).first()
        if company is None:
            company = demo_data_create(seed=seed, orders=orders)
            self.stdout.write(self.style.SUCCESS(f"Demo data created for {company}."))
        else:
            self.stdout.write(f"Demo data already present for {company}.")
        password = self._demo_login(company, Path(login_file) if login_file else None)
        if password:
            self.stdout.write(self.style.SUCCESS(f"Login: user demo, password {password}"))

    def _demo_login(self, company, login_file):
        """Create the demo user once; keep its password in login_file so runs can print it."""
        User = get_user_model()
        user = User.objects.filter(username="demo").first()
        if user and login_file and login_file.exists():
            return login_file.read_text().strip()
        password = secrets.token_urlsafe(9)
        if user is None:
            user = User(
                username="demo",
                email="demo@muster-handel.example",
                company=company,
                first_name="Demo",
                last_name="Nutzer",
                is_staff=True,
                is_superuser=True,
            )
        elif not login_file:
            return ""
        user.set_password(password)
        user.save()
        if login_file:
            login_file.write_text(password)
        return password

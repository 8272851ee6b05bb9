from datetime import date

from django.core.management.base import CommandError
from tqdm import tqdm

from backoffice.companies.models import Company
from sendcloud.errors import ApplicationError
from sendcloud.management.output import FAILED, JsonCommand, usage_error
from sendcloud.selectors import integration_default
from sendcloud.services.orders.runs import order_push_run_execute, order_push_run_start


class Command(JsonCommand):
    help = (
        "Push delivery orders created on or after --since to Sendcloud (Bestellungen abgleichen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            required=True,
            type=date.fromisoformat,
            help="YYYY-MM-DD: delivery orders created on or after this day.",
        )
        parser.add_argument("--company", help="Company name (default: the only company).")

    def handle(self, *args, since, company, **options):
        companies = Company.objects.filter(name=company) if company else Company.objects.all()
        if companies.count() != 1:
            raise usage_error("Name exactly one company with --company.")
        integration = integration_default(companies.get())
        if integration is None:
            raise usage_error("The company has no connected Sendcloud integration.")
        try:
            run = order_push_run_start(integration, queue=False, since=since)
        except ApplicationError as error:
            raise CommandError(str(error), returncode=FAILED) from error
        with tqdm(unit="order") as bar:

            def progress(current):
                bar.total = current.total
                bar.n = current.done
                bar.refresh()

            order_push_run_execute(run.pk, progress=progress)
        run.refresh_from_db()
        summary = ", ".join(f"{k}: {v}" for k, v in run.counts.items() if v)
        self.results.append(
            {"run": run.pk, "state": run.state, "total": run.total, "done": run.done,
             "counts": run.counts, "error": run.error or None}
        )  # fmt: skip
        self.summary = {"total": run.total, "done": run.done, **run.counts}
        if run.error:
            raise CommandError(f"{run.done}/{run.total} done, then: {run.error}", returncode=FAILED)
        self.stdout.write(self.style.SUCCESS(f"{run.total} delivery orders: {summary or '–'}"))

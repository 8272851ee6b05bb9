from datetime import date

from django.core.management.base import CommandError
from tqdm import tqdm

from sendcloud.errors import ApplicationError
from sendcloud.management.output import FAILED, JsonCommand, company_integration
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
        _company, integration = company_integration(company)
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

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from backoffice.sales.models import DeliveryOrder, ShippingMethod
from sendcloud.management.output import FAILED, JsonCommand, company_integration, usage_error
from sendcloud.models import ChoiceStrategy, LabelJob, LabelJobItem, Shipment
from sendcloud.services.labels import label_job_create, label_job_execute
from sendcloud.services.labels.wait import label_job_announcements_wait


class Command(JsonCommand):
    help = (
        "Create Sendcloud labels for the named delivery orders, or every ready one (--ready), or "
        "cancel them with --cancel. --choose cheapest|fastest picks the option of each order "
        "without an explicit choice. Exit code 0 only when every order succeeded; orders with a "
        "live label are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", metavar="LA-…", help="Delivery order numbers.")
        parser.add_argument(
            "--ready",
            action="store_true",
            help="Every delivery order of the company in state ready, shipped with Sendcloud, "
            "without a live label.",
        )
        parser.add_argument(
            "--choose",
            choices=[ChoiceStrategy.CHEAPEST, ChoiceStrategy.FASTEST],
            help="For orders without an explicit option: the cheapest or fastest fitting one, "
            "stored on the delivery order with the reason.",
        )
        parser.add_argument("--cancel", action="store_true", help="Cancel their labels instead.")
        parser.add_argument(
            "--rules", action="store_true", help="Let Sendcloud's shipping rules choose."
        )
        parser.add_argument("--company", help="Company name (default: the only company).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, numbers, ready, choose, cancel, rules, company, no_progress, **options):
        if not numbers and not ready:
            raise usage_error("Name delivery orders or pass --ready.")
        company, integration = company_integration(company)
        orders = DeliveryOrder.objects.filter(company=company)
        if ready:
            numbers = list(
                orders.filter(
                    state=DeliveryOrder.State.READY,
                    shipping_method__provider=ShippingMethod.Provider.SENDCLOUD,
                )
                .exclude(sendcloud_shipments__state__in=Shipment.BLOCKING)
                .order_by("number")
                .values_list("number", flat=True)
                .distinct()
            ) + list(numbers)
        found = {d.number: d for d in orders.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        for number in missing:
            self.results.append(
                {"delivery_order": number, "ok": False, "state": "missing", "message": ""}
            )
            self.stdout.write(
                self.style.ERROR(_("%(number)s: no such delivery order") % {"number": number})
            )
        deliveries = [found[n] for n in dict.fromkeys(numbers) if n in found]
        kind = LabelJob.Kind.CANCEL if cancel else LabelJob.Kind.CREATE
        job = label_job_create(
            integration, deliveries, kind=kind, use_rules=rules, enqueue=False, choose=choose or ""
        )
        with tqdm(total=len(deliveries), unit="order", disable=no_progress, file=sys.stderr) as bar:

            def progress(item):
                bar.update(1)

            job = label_job_execute(job.pk, progress=progress)
        # No webhooks reach a command: it asks Sendcloud about shipments still being announced.
        job = label_job_announcements_wait(job.pk)
        ok = True
        for item in job.items.select_related("delivery_order").order_by("pk"):
            number = item.delivery_order.number
            text = item.message
            if item.problems:
                text = "; ".join(p["message"] for p in item.problems)
            self.results.append(
                {
                    "delivery_order": number,
                    "ok": item.state in (LabelJobItem.State.SUCCEEDED, LabelJobItem.State.SKIPPED),
                    "state": item.state,
                    "message": str(text),
                    "problems": item.problems or [],
                }
            )
            if item.state == LabelJobItem.State.SUCCEEDED:
                self.stdout.write(self.style.SUCCESS(f"{number}: {text}"))
            elif item.state == LabelJobItem.State.SKIPPED:
                self.stdout.write(self.style.WARNING(f"{number}: {text}"))
            else:
                ok = False
                self.stdout.write(self.style.ERROR(f"{number}: {text}"))
        failed = len(missing) + job.items.exclude(state__in=("succeeded", "skipped")).count()
        self.summary = {
            "job": job.pk,
            "kind": job.kind,
            "state": job.state,
            "total": len(numbers),
            "failed": failed,
        }
        if missing or not ok or job.state != LabelJob.State.SUCCEEDED:
            raise CommandError(
                _("%(failed)s of %(total)s delivery orders did not succeed.")
                % {"failed": failed, "total": len(numbers)},
                returncode=FAILED,
            )

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudError
from sendcloud.errors import ApplicationError
from sendcloud.management.output import FAILED, JsonCommand, company_integration
from sendcloud.models import Return
from sendcloud.services.returns import (
    DEFAULT_REASON,
    delivery_order_return_create,
    live_shipment,
)


class Command(JsonCommand):
    help = (
        "Create the Sendcloud return for every line of each named delivery order that has a "
        "live label. An order that has its return already is left alone, so running it again "
        "creates nothing new. Exit code 0 only when every order has its return."
    )

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="+", metavar="LA-…", help="Delivery order numbers.")
        parser.add_argument(
            "--reason",
            type=int,
            default=DEFAULT_REASON,
            metavar="CODE",
            help="Sendcloud return reason id (v3: 1 … 32; default 8, no reason).",
        )
        parser.add_argument("--company", help="Company name (default: the only company).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, numbers, reason, company, no_progress, **options):
        company, integration = company_integration(company)
        found = {
            d.number: d for d in DeliveryOrder.objects.filter(company=company, number__in=numbers)
        }
        failed = 0
        wanted = list(dict.fromkeys(numbers))
        with tqdm(total=len(wanted), unit="order", disable=no_progress, file=sys.stderr) as bar:
            for number in wanted:
                ok, text = self._one(found.get(number), number, integration, reason)
                failed += not ok
                self.results.append({"delivery_order": number, "ok": ok, "message": str(text)})
                style = self.style.SUCCESS if ok else self.style.ERROR
                bar.write(style(f"{number}: {text}"), file=self.stdout)
                bar.update(1)
        self.summary = {"total": len(wanted), "succeeded": len(wanted) - failed, "failed": failed}
        if failed:
            raise CommandError(
                _("%(failed)s of %(total)s delivery orders have no return.")
                % {"failed": failed, "total": len(wanted)},
                returncode=FAILED,
            )

    def _one(self, delivery, number, integration, reason) -> tuple[bool, str]:
        if delivery is None:
            return False, _("no such delivery order")
        existing = (
            Return.objects.filter(delivery_order=delivery, state=Return.State.LIVE)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return True, _("has its return already (%(tracking)s)") % {
                "tracking": existing.incoming_tracking_number or existing.sendcloud_id
            }
        if live_shipment(delivery) is None:
            return False, _("no live label, so no return")
        try:
            returned = delivery_order_return_create(delivery, integration, reason_id=reason)
        except ApplicationError as error:
            details = "; ".join(p.message for p in error.problems)
            return False, f"{error.message} {details}".strip()
        except SendcloudError as error:
            return False, str(error)
        return True, _("return created (%(tracking)s)") % {
            "tracking": returned.incoming_tracking_number or returned.sendcloud_id
        }

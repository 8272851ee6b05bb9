"""Book a Retoure: per line, pieces back to stock and pieces written off (with a reason).

The Retoure and the stock are the back office's (backoffice.sales, backoffice.inventory); the
booking lives with the returns service so that the host apps never import the integration."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.inventory.stock import stock_add
from backoffice.sales.models import Retoure
from sendcloud.errors import ApplicationError, Problem


@dataclass(frozen=True)
class LineBooking:
    restock: int
    write_off: int = 0
    reason: str = ""


def retoure_book(retoure: Retoure, bookings: dict[int, LineBooking], *, user=None) -> Retoure:
    """Book every line once: back to stock plus written off must equal the pieces announced
    (pieces that did not arrive are written off, e.g. "missing"); a write-off needs a reason.
    Nothing is booked unless every line is right."""
    with transaction.atomic():
        retoure = Retoure.objects.select_for_update().get(pk=retoure.pk)
        if retoure.state == Retoure.State.BOOKED:
            raise ApplicationError(_("%(number)s is booked already.") % {"number": retoure.number})
        lines = list(retoure.lines.select_related("delivery_order_line__product"))
        problems = []
        for line in lines:
            booking = bookings.get(line.pk)
            product = line.delivery_order_line.product.sku
            if booking is None:
                problems.append(Problem(_("Enter what came back."), product, f"line_{line.pk}"))
                continue
            if booking.restock < 0 or booking.write_off < 0:
                problems.append(
                    Problem(_("Quantities cannot be negative."), product, f"line_{line.pk}")
                )
            elif booking.restock + booking.write_off != line.quantity_expected:
                problems.append(
                    Problem(
                        _(
                            "Back to stock (%(restock)s) and written off (%(off)s) must add up "
                            "to the %(expected)s pieces announced."
                        )
                        % {
                            "restock": booking.restock,
                            "off": booking.write_off,
                            "expected": line.quantity_expected,
                        },
                        product,
                        f"line_{line.pk}",
                    )
                )
            if booking.write_off and not booking.reason.strip():
                problems.append(
                    Problem(
                        _("Give a reason for the pieces written off."), product, f"reason_{line.pk}"
                    )  # fmt: skip
                )
        if problems:
            raise ApplicationError(
                _("%(number)s cannot be booked yet.") % {"number": retoure.number}, problems
            )
        for line in lines:
            booking = bookings[line.pk]
            line.quantity_restocked = booking.restock
            line.quantity_written_off = booking.write_off
            line.write_off_reason = booking.reason.strip()[:200]
            line.save()
            if booking.restock:
                stock_add(line.delivery_order_line.product, retoure.warehouse, booking.restock)
        retoure.state = Retoure.State.BOOKED
        retoure.booked_at = timezone.now()
        retoure.booked_by = user if getattr(user, "is_authenticated", False) else None
        retoure.save()
    return retoure

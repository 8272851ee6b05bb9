"""Returns (issue 22): the service API the CLI, screens and tasks use.

    delivery_order_return_create(delivery, integration, *, quantities=None, reason_id=None,
        refund_type="money", option_code=None, delivery_option="drop_off_point",
        warehouse=None, user=None) -> Return
        raises ApplicationError (problems / Sendcloud's refusal), ReturnPending
    return_plan(...) -> ReturnPlan            # the local checks alone, nothing sent
    return_cancel(returned) -> str            # Sendcloud's answer, translated
    return_label_email(returned) -> address   # label + tracking link, customer's language
    return_label_fetch(returned, client)
    returns_reconcile(integration) -> count
    retoure_book(retoure, {line_id: LineBooking(restock, write_off, reason)}, user=)
Status from webhooks and the Retoure on delivery: `sendcloud.webhooks.returns`.
"""

from .booking import LineBooking, retoure_book
from .cancel import return_cancel, sendcloud_answer
from .create import blocking_return, delivery_order_return_create, return_age_days
from .email import return_label_email
from .records import return_label_fetch
from .resolve import ReturnPending, return_resolve
from .rules import (
    DEFAULT_REASON,
    ReturnPlan,
    delivery_options_for,
    live_shipment,
    return_options,
    return_plan,
    returnable_lines,
)
from .status import return_status_text, returns_reconcile, returns_reconcile_all

__all__ = [
    "return_status_text",
    "DEFAULT_REASON",
    "LineBooking",
    "ReturnPending",
    "ReturnPlan",
    "blocking_return",
    "delivery_options_for",
    "delivery_order_return_create",
    "live_shipment",
    "return_age_days",
    "return_cancel",
    "return_label_email",
    "return_label_fetch",
    "return_options",
    "return_plan",
    "retoure_book",
    "return_resolve",
    "returnable_lines",
    "returns_reconcile",
    "returns_reconcile_all",
    "sendcloud_answer",
]

"""Create a return for a delivery order: check, validate at Sendcloud, claim, one create.

Never two returns for one request:
1. an attempt of the delivery order whose answer is unknown ("creating") is resolved first;
2. the new attempt's row (state "creating", a fresh external reference, its lines and the body
   it sends) is committed BEFORE the request; `one_creating_return_per_delivery_order` lets one
   worker hold it, and the lines it holds count against what may still go back;
3. the create is sent once by the transport; a lost answer leads to `return_resolve`, which
   looks the return up and, only where the lookup cannot see it, sends the same body with the
   same reference again — Sendcloud refuses a used reference (v3 §3.5), so that can create at
   most the one return the first request did not.

The refund preference is kept here: Sendcloud's create body has no refund field (the Return
object's `refund` is read-only, v3 §10.4).
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import (
    ConnectionError,
    InvalidResponse,
    ReferenceUsed,
    SendcloudClient,
    SendcloudError,
    ServerError,
    ValidationError,
)
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models import Integration, Return, ReturnLine

from .mapping import return_body
from .records import return_adopt, return_fail, return_settle
from .resolve import ReturnPending, return_resolve
from .rules import ReturnPlan, return_plan


def _new_reference(delivery: DeliveryOrder) -> str:
    return f"{delivery.number}-R-{uuid.uuid4().hex[:10]}"


def sendcloud_problems(error: SendcloudError, number: str) -> list[Problem]:
    """Sendcloud's refusal, field by field where it named fields."""
    found = [
        Problem(e.message, object=number, field=e.field or "") for e in error.field_errors if e
    ]
    return found or [Problem(error.message or str(error), object=number)]


def return_validate(plan: ReturnPlan, client: SendcloudClient) -> None:
    """`POST /returns/validate` before anything is stored; refusals become ApplicationError."""
    try:
        client.returns_v3.validate(return_body(plan, _new_reference(plan.delivery)))
    except ValidationError as error:
        raise ApplicationError(
            _("Sendcloud refused the return for %(number)s: %(message)s")
            % {"number": plan.delivery.number, "message": error.message},
            sendcloud_problems(error, plan.delivery.number),
        ) from error


def _claim(plan: ReturnPlan, integration: Integration, user) -> Return:
    reference = _new_reference(plan.delivery)
    try:
        with transaction.atomic():
            returned = Return.objects.create(
                integration=integration,
                state=Return.State.CREATING,
                delivery_order=plan.delivery,
                warehouse=plan.warehouse,
                external_reference=reference,
                order_number=plan.delivery.number,
                reason_id=plan.reason_id,
                refund_type=plan.refund_type,
                delivery_option=plan.delivery_option,
                shipping_option_code=plan.option.code,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                raw={"request": return_body(plan, reference)},
            )
            ReturnLine.objects.bulk_create(
                ReturnLine(returned=returned, delivery_order_line=line, quantity=qty)
                for line, qty in plan.lines
            )
            return returned
    except IntegrityError:
        raise ReturnPending(
            _("%(number)s: another return of this delivery order is being created right now.")
            % {"number": plan.delivery.number}
        ) from None


def blocking_return(delivery: DeliveryOrder) -> Return | None:
    return (
        Return.objects.filter(delivery_order=delivery, state=Return.State.CREATING)
        .select_related("delivery_order", "integration")
        .first()
    )


def delivery_order_return_create(
    delivery: DeliveryOrder,
    integration: Integration,
    *,
    quantities: dict[int, int] | None = None,
    reason_id: int | None = None,
    refund_type: str = Return.Refund.MONEY,
    option_code: str | None = None,
    delivery_option: str = "drop_off_point",
    warehouse=None,
    user=None,
    client: SendcloudClient | None = None,
) -> Return:
    """The return of (some of) a delivery order's pieces. Raises ApplicationError with the
    problems to fix or Sendcloud's refusal, ReturnPending while an earlier answer is unknown;
    other client errors pass through after the attempt was marked failed."""
    client = client or client_for(integration, reference=delivery.number)
    blocking = blocking_return(delivery)
    if blocking is not None:
        return_resolve(blocking, client)
    plan = return_plan(
        delivery, integration, quantities=quantities, reason_id=reason_id,
        refund_type=refund_type, option_code=option_code, delivery_option=delivery_option,
        warehouse=warehouse,
    )  # fmt: skip
    return_validate(plan, client)
    returned = _claim(plan, integration, user)
    try:
        created = client.returns_v3.create(returned.raw["request"])
    except ReferenceUsed:
        return_resolve(returned, client, ours=True)
    except (ConnectionError, ServerError, InvalidResponse) as exc:
        if getattr(exc, "request_not_sent", False):
            return_fail(returned, str(exc))
            raise
        returned.error_message = str(exc)
        returned.save(update_fields=["error_message", "updated_at"])
        return_resolve(returned, client, ours=True)
    except SendcloudError as exc:
        # A definite answer (4xx, or 429 after the client's retries): nothing was created.
        return_fail(returned, exc.message or str(exc))
        raise ApplicationError(
            _("Sendcloud refused the return for %(number)s: %(message)s")
            % {"number": delivery.number, "message": exc.message or str(exc)},
            sendcloud_problems(exc, delivery.number),
        ) from exc
    else:
        return_adopt(returned, created.return_id, created.parcel_id)
    returned.refresh_from_db()
    if returned.state == Return.State.LIVE:
        return_settle(returned, client)
    return returned


def return_age_days(returned: Return) -> int:
    return (timezone.now() - returned.created_at).days

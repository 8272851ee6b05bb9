"""A return attempt whose answer was lost: look it up, or send the same reference again."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sendcloud.client import ReferenceUsed, SendcloudClient, SendcloudError
from sendcloud.errors import ApplicationError
from sendcloud.models import Return

from .records import return_adopt, return_apply_object, return_fail, return_settle


class ReturnPending(ApplicationError):
    """An earlier attempt's answer is unknown; it is resolved before anything new is created."""


def lookup_after() -> timedelta:
    """How old another process's "creating" row must be before we ask about it (longer than
    its request can take)."""
    default = settings.SENDCLOUD_TIMEOUT_SECONDS * 2 + 10
    return timedelta(seconds=getattr(settings, "SENDCLOUD_LABEL_LOOKUP_AFTER_SECONDS", default))


def _known_ids(returned: Return) -> list[int]:
    return list(
        Return.objects.filter(integration=returned.integration)
        .exclude(pk=returned.pk)
        .exclude(sendcloud_id=None)
        .values_list("sendcloud_id", flat=True)
    )


def return_resolve(returned: Return, client: SendcloudClient, *, ours: bool = False) -> Return:
    """Find out what happened to an attempt whose answer was lost.

    Found by the lookup → adopted. Not found → the same body with the same reference is sent
    again: 201 → adopted; "reference already used" → Sendcloud has it but the lookup cannot
    see it yet: the attempt stays "creating" (ReturnPending) and is checked again later."""
    number = returned.order_number
    if not ours and timezone.now() - returned.created_at < lookup_after():
        raise ReturnPending(
            _("%(number)s: a return is being created; try again in a minute.") % {"number": number}
        )
    found = client.returns_v3.find_by_reference(
        returned.external_reference,
        since=returned.created_at,
        order_number=number,
        exclude_ids=_known_ids(returned),
    )
    if found is not None:
        return_apply_object(returned, found)
        return_settle(returned, client)
        return returned
    try:
        created = client.returns_v3.create(returned.raw["request"])
    except ReferenceUsed:
        raise ReturnPending(
            _(
                "%(number)s: Sendcloud has this return but does not list it yet; it is checked "
                "again before another is created."
            )
            % {"number": number}
        ) from None
    except SendcloudError as exc:
        if exc.status_code and 400 <= exc.status_code < 500 and exc.status_code != 429:
            return_fail(returned, exc.message or str(exc))
            raise ApplicationError(
                _("Sendcloud refused the return for %(number)s: %(message)s")
                % {"number": number, "message": exc.message or str(exc)}
            ) from exc
        raise ReturnPending(
            _("%(number)s: Sendcloud did not answer; the return is checked again later.")
            % {"number": number}
        ) from exc
    return_adopt(returned, created.return_id, created.parcel_id)
    return_settle(returned, client)
    return returned

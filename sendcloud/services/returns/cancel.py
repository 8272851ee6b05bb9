"""Cancel a return label while Sendcloud allows it (`PATCH /returns/{id}/cancel`, v3 §10.6)."""

from django.utils.translation import gettext as _

from sendcloud.client import SendcloudClient
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Return

# Sendcloud's answers as the back office shows them (unknown ones are shown as they came).
KNOWN_MESSAGES = {
    "cancellation requested successfully": lambda: _(
        "Sendcloud accepted the cancellation request; the return shows “cancelled” once the "
        "carrier confirms it."
    ),
    "return is not cancellable.": lambda: _(
        "Sendcloud cannot cancel this return label any more (it is on its way or cancelled)."
    ),
}


def sendcloud_answer(message: str) -> str:
    known = KNOWN_MESSAGES.get((message or "").strip().lower())
    return known() if known else message


def return_cancel(returned: Return, *, client: SendcloudClient | None = None) -> str:
    """Ask Sendcloud to cancel; returns Sendcloud's answer in the user's language (also stored).
    Refused (409) or unknown (404) raises ApplicationError with that answer."""
    if returned.sendcloud_id is None or returned.state not in (
        Return.State.LIVE,
        Return.State.SYNCED,
    ):
        raise ApplicationError(_("Only a return with a label can be cancelled."))
    client = client or client_for(returned.integration, reference=returned.order_number)
    status, message = client.returns_v3.cancel(returned.sendcloud_id)
    text = sendcloud_answer(message)
    if status == 404:
        text = _("Sendcloud does not know this return (any more).")
    returned.cancel_message = text
    if status in (200, 202):
        returned.state = Return.State.CANCEL_REQUESTED
    returned.save(update_fields=["cancel_message", "state", "updated_at"])
    if status not in (200, 202):
        raise ApplicationError(text)
    return text

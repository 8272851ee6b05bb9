"""Writing what Sendcloud said about a return onto its row (and fetching its label)."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sendcloud.client import SendcloudClient, SendcloudError
from sendcloud.client.types import Return as ReturnObject
from sendcloud.client.v3_returns import label_parcel_id
from sendcloud.models import Return
from sendcloud.webhooks.returns import return_object_apply

log = logging.getLogger("sendcloud.returns")


def return_fail(returned: Return, message: str) -> None:
    returned.state = Return.State.FAILED
    returned.error_message = message
    returned.save(update_fields=["state", "error_message", "updated_at"])


@transaction.atomic
def return_adopt(returned: Return, return_id: int | None, parcel_id: int | None) -> Return:
    """The attempt has its Sendcloud return: ids stored, live. A row the Abgleich or a
    webhook mirrored meanwhile under the same id is folded into this one (one return, one
    row)."""
    if return_id is None:
        return_fail(returned, _("Sendcloud answered without a return id."))
        return returned
    twin = (
        Return.objects.select_for_update()
        .filter(integration=returned.integration, sendcloud_id=return_id)
        .exclude(pk=returned.pk)
        .first()
    )
    if twin is not None:
        returned.raw = {**twin.raw, **returned.raw}
        returned.status = returned.status or twin.status
        returned.incoming_tracking_number = twin.incoming_tracking_number
        twin.delete()
    returned.sendcloud_id = return_id
    returned.incoming_parcel_id = parcel_id or returned.incoming_parcel_id
    returned.state = Return.State.LIVE
    returned.error_message = ""
    returned.save()
    return returned


def return_apply_object(returned: Return, found: ReturnObject) -> Return:
    """A looked-up return (GET) adopted or refreshed."""
    returned = return_adopt(returned, found.id, label_parcel_id(found))
    return_object_apply(returned, found)
    return returned


def return_settle(returned: Return, client: SendcloudClient) -> Return:
    """After the create: read the return (tracking number and link) and store its label.
    Either may fail without harm: the reconciliation reads it again, the label view fetches
    the file when it is missing."""
    try:
        return_object_apply(returned, client.returns_v3.get(returned.sendcloud_id))
    except SendcloudError as exc:
        log.warning("return %s: reading it failed: %s", returned.sendcloud_id, exc)
    returned.refresh_from_db()
    try:
        return_label_fetch(returned, client)
    except SendcloudError as exc:
        log.warning("return %s: label fetch failed: %s", returned.sendcloud_id, exc)
    return returned


def return_label_fetch(returned: Return, client: SendcloudClient) -> bytes:
    """The return label PDF (v3 §7.2 at the incoming parcel), stored privately."""
    content = client.labels_v3.document(returned.incoming_parcel_id, "label")
    returned.label_pdf.save(
        f"return-label-{returned.incoming_parcel_id}.pdf", ContentFile(content), save=False
    )
    returned.save(update_fields=["label_pdf", "updated_at"])
    return content

"""E-mail the return label to the customer, in the customer's language, with the tracking link."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sendcloud.client import SendcloudClient
from sendcloud.clients import client_for
from sendcloud.errors import ApplicationError
from sendcloud.models import Return

from .records import return_label_fetch


def _label_bytes(returned: Return, client: SendcloudClient | None) -> bytes:
    if returned.label_pdf:
        with returned.label_pdf.open("rb") as handle:
            return handle.read()
    client = client or client_for(returned.integration, reference=returned.order_number)
    return return_label_fetch(returned, client)


def return_label_email(returned: Return, *, client: SendcloudClient | None = None) -> str:
    """Send the label; returns the address it went to."""
    delivery = returned.delivery_order
    if returned.state != Return.State.LIVE or delivery is None:
        raise ApplicationError(_("Only a return label created here can be e-mailed."))
    customer = delivery.sales_order.customer
    to = delivery.email or customer.email
    if not to:
        raise ApplicationError(
            _("Neither the delivery order nor customer %(customer)s has an e-mail address.")
            % {"customer": customer.number}
        )
    pdf = _label_bytes(returned, client)
    with translation.override(customer.language or settings.LANGUAGE_CODE):
        subject = _("Your return label for order %(number)s") % {"number": delivery.number}
        body = _(
            "Hello %(name)s,\n\n"
            "attached is the return label for your order %(number)s. Print it, stick it on "
            "the parcel and hand the parcel in at a drop-off point of the carrier.\n\n"
            "Track your return: %(tracking)s\n\n"
            "Kind regards\n%(shop)s"
        ) % {
            "name": delivery.contact_name or customer.name,
            "number": delivery.number,
            "tracking": returned.tracking_url or returned.incoming_tracking_number or "-",
            "shop": returned.integration.shop_name or "",
        }
        filename = _("return-label-%(number)s.pdf") % {"number": delivery.number}
    message = EmailMessage(subject, body, to=[to])
    message.attach(filename, pdf, "application/pdf")
    message.send()
    returned.emailed_at = timezone.now()
    returned.emailed_to = to
    returned.save(update_fields=["emailed_at", "emailed_to", "updated_at"])
    return to

"""Webhook inbox and API call log of the Sendcloud integration."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sendcloud import selectors
from sendcloud.client.redact import redact
from sendcloud.forms.inbox import InboxFilterForm
from sendcloud.webhooks.processing import webhook_event_payload, webhook_event_replay

from .base import company_of, render


def webhook_inbox(request):
    company = company_of(request)
    form = InboxFilterForm(request.GET or None, actions=selectors.webhook_event_actions(company))
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.webhook_events_for(
        company, state=filters.get("state", ""), action=filters.get("action", "")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sendcloud/webhook_inbox.html",
        {"form": form, "page": page, "section": "reports", "log_tab": "webhooks"},
        title=_("Webhook inbox"),
    )


def webhook_event_detail(request, pk):
    event = selectors.webhook_event_get(company_of(request), pk)
    try:
        payload = json.dumps(redact(webhook_event_payload(event)), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):  # stored as it came, e.g. a rejected body
        payload = bytes(event.raw_body)[:5000].decode("utf-8", "replace")
    return render(
        request,
        "sendcloud/webhook_event.html",
        {
            "event": event,
            "payload": payload,
            "reason": _(event.reason) if event.reason else "",
            "section": "reports",
        },
        title=_("Webhook event %(id)s") % {"id": event.pk},
    )


@require_POST
def webhook_event_replay_view(request, pk):
    event = webhook_event_replay(selectors.webhook_event_get(company_of(request), pk))
    if event.state == event.State.PROCESSED:
        messages.success(request, _("The event was processed again."))
    else:
        messages.error(
            request, _("Processing failed again: %(reason)s") % {"reason": _(event.reason)}
        )
    return redirect("sendcloud:webhook-event", pk=event.pk)


def api_call_detail(request, pk):
    call = selectors.api_call_get(company_of(request), pk)
    return render(
        request,
        "sendcloud/api_call.html",
        {"call": call, "section": "reports"},
        title=_("Sendcloud API call %(id)s") % {"id": call.pk},
    )

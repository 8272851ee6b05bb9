"""Konfiguration → Lager → Sendcloud → Integration: overview, Setup, keys, settings, unlink."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from backoffice.system.services import worker_last_seen
from sendcloud import selectors
from sendcloud.client.errors import SendcloudError
from sendcloud.errors import ApplicationError
from sendcloud.forms.setup import IntegrationSettingsForm, KeysForm, SetupForm
from sendcloud.models import Integration
from sendcloud.services.connect import (
    integration_disconnect,
    integration_keys_save,
    integration_remove,
    integration_settings_update,
    integration_setup_start,
)
from sendcloud.services.integrations import integration_move_up

from .base import company_of, render

# How long the overview waits for the keys of a setup: the connect page is a login and a click.
CONNECT_WAIT = timedelta(hours=1)


def integration_overview(request):
    company = company_of(request)
    rows = selectors.integration_overviews(company)
    context = {
        "rows": rows,
        "default": selectors.integration_default(company),
        "worker_last_seen": worker_last_seen(),
        "waiting_for": [
            row.integration.pk
            for row in rows
            if row.integration.state == Integration.State.PENDING
            and row.integration.created_at >= timezone.now() - CONNECT_WAIT
        ],
    }
    return render(
        request, "sendcloud/integration_overview.html", context, title=_("Sendcloud integration")
    )


def integration_status(request):
    """Small JSON the overview polls while a Connect is pending."""
    company = company_of(request)
    return JsonResponse(
        {
            "integrations": [
                {
                    "id": i.pk,
                    "state": i.state,
                    "updated": i.updated_at.isoformat(),
                    # Done for the waiting overview: keys stored and Sendcloud's details read
                    # (the keys are committed before the details call returns).
                    "done": i.state != Integration.State.PENDING
                    and (i.state != Integration.State.CONNECTED or bool(i.details_fetched_at)),
                }
                for i in selectors.integrations_for(company)
            ]
        }
    )


def integration_setup(request):
    company = company_of(request)
    form = SetupForm(request.POST or None, initial={"shop_name": company.name})
    if request.method == "POST" and form.is_valid():
        return_url = request.build_absolute_uri(reverse("sendcloud:integration"))
        try:
            _integration, connect_url = integration_setup_start(
                company, shop_name=form.cleaned_data["shop_name"], return_url=return_url
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            return redirect(connect_url)
    return render(
        request,
        "sendcloud/integration_setup.html",
        {"form": form},
        title=_("Link Sendcloud account"),
    )


@sensitive_post_parameters("secret_key")
def integration_keys(request):
    company = company_of(request)
    form = KeysForm(request.POST or None, initial={"shop_name": company.name})
    if request.method == "POST" and form.is_valid():
        try:
            integration = integration_keys_save(company, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, str(error))
        except SendcloudError as error:
            form.add_error(
                None, _("Sendcloud answered with an error: %(error)s") % {"error": error}
            )
        else:
            messages.success(
                request,
                _("The Sendcloud account “%(name)s” is linked.") % {"name": integration.shop_name},
            )
            return redirect("sendcloud:integration")
    return render(
        request, "sendcloud/integration_keys.html", {"form": form}, title=_("Enter API keys")
    )


def integration_settings(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    form = IntegrationSettingsForm(
        request.POST or None, initial=IntegrationSettingsForm.initial_for(integration)
    )
    if request.method == "POST" and form.is_valid():
        try:
            integration_settings_update(integration, **form.cleaned_data)
        except (ApplicationError, SendcloudError) as error:
            form.add_error(
                None, _("Sendcloud did not accept the change: %(error)s") % {"error": error}
            )
        else:
            messages.success(request, _("Saved at Sendcloud."))
            return redirect("sendcloud:integration")
    return render(
        request,
        "sendcloud/integration_settings.html",
        {"form": form, "integration": integration},
        title=_("Integration settings"),
    )


def integration_disconnect_view(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    if request.method == "POST":
        if integration_disconnect(integration):
            messages.info(
                request,
                _("The setup “%(name)s” never reached Sendcloud and has been removed.")
                % {"name": integration.shop_name},
            )
            return redirect("sendcloud:integration")
        messages.warning(
            request,
            _(
                "The integration “%(name)s” is disconnected and its keys are deleted here. To "
                "remove it at Sendcloud too, delete it in the Sendcloud panel under Settings → "
                "Integrations."
            )
            % {"name": integration.shop_name},
        )
        return redirect("sendcloud:integration")
    return render(
        request,
        "sendcloud/integration_disconnect.html",
        {"integration": integration},
        title=_("Disconnect integration"),
    )


@require_POST
def integration_remove_view(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    try:
        integration_remove(integration)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The integration “%(name)s” has been removed.") % {"name": integration.shop_name},
        )
    return redirect("sendcloud:integration")


@require_POST
def integration_move(request, pk):
    """Move an integration one place up; the first active one is the default."""
    try:
        integration_move_up(company_of(request), int(pk))
    except Integration.DoesNotExist as missing:
        raise Http404 from missing
    return redirect("sendcloud:integration")

"""Abgleich: start a run, watch its progress, see the history, edit the schedules."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.system.schedules import every_text
from sendcloud import formatting, selectors
from sendcloud.forms.sync import SyncScheduleForm, SyncStartForm
from sendcloud.models import ObjectType, SyncRun
from sendcloud.runs import RunActive
from sendcloud.services.sync_schedules import (
    sync_next_scheduled,
    sync_schedules_update,
    sync_state_next_at,
    sync_states_ensure,
)
from sendcloud.sync import sync_run_active, sync_start
from sendcloud.sync.reports import (
    sync_run_payload,
    sync_run_rows,
    sync_runs_for,
)

from .base import company_of, render


def sync_page(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    form = SyncStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not integration.is_usable:
            messages.error(request, _("This integration cannot sync: it is not connected."))
            return redirect("sendcloud:sync", pk=integration.pk)
        try:
            run = sync_start(
                integration,
                form.cleaned_data["object_types"],
                trigger=SyncRun.Trigger.MANUAL,
                user=request.user,
                full=form.cleaned_data["full"],
            )
        except RunActive as busy:
            messages.warning(request, busy.message)
            if busy.run is None:
                return redirect("sendcloud:sync", pk=integration.pk)
            return redirect("sendcloud:sync-run", pk=busy.run.pk)
        messages.success(request, _("The sync has been started."))
        return redirect("sendcloud:sync-run", pk=run.pk)
    runs = Paginator(sync_runs_for(integration), 20).get_page(request.GET.get("page"))
    for run in runs:
        run.duration_text = formatting.run_duration(run)
    states = sync_states_ensure(integration)
    context = {
        "integration": integration,
        "form": form,
        "active": sync_run_active(integration),
        "page": runs,
        "next_scheduled": sync_next_scheduled(integration, states),
        "schedules": _schedule_rows(states) if integration.is_usable else [],
    }
    return render(request, "sendcloud/sync.html", context, title=_("Sync"))


def _schedule_rows(states) -> list[dict]:
    """Each object type's schedule in words ("täglich um 03:00") and its next run."""
    labels = dict(ObjectType.choices)
    return [
        {
            "label": labels.get(state.object_type, state.object_type),
            "every": schedule_text(state),
            "next_at": sync_state_next_at(state),
        }
        for state in states
    ]


def schedule_text(state) -> str:
    if not state.schedule_enabled or not state.interval_minutes:
        return _("not scheduled")
    return every_text(state.interval_minutes * 60, state.run_at)


# What the "read" and "created/updated" counts of an object type count, where they differ:
# parcels are read from Sendcloud as shipments, each holding one or more parcels.
UNITS = {"parcels": (gettext_lazy("shipments"), gettext_lazy("parcels"))}


def _with_units(rows: list[dict]) -> list[dict]:
    for row in rows:
        read, written = UNITS.get(row["type"], ("", ""))
        row["read_unit"], row["unit"] = str(read), str(written)
    return rows


def _run_of(request, pk) -> SyncRun:
    return get_object_or_404(
        SyncRun.objects.select_related("integration", "started_by"),
        pk=pk,
        integration__company=company_of(request),
    )


def sync_run_detail(request, pk):
    run = _run_of(request, pk)
    context = {
        "run": run,
        "integration": run.integration,
        "rows": _with_units(sync_run_rows(run)),
        "active": run.active,
        "duration": formatting.run_duration(run),
    }
    return render(
        request, "sendcloud/sync_run.html", context, title=_("Sync run %(id)s") % {"id": run.pk}
    )


def sync_run_progress(request, pk):
    """The JSON the run page polls for live progress."""
    return JsonResponse(sync_run_payload(_run_of(request, pk)))


def sync_schedules(request, pk):
    integration = selectors.integration_get(company_of(request), pk)
    states = sync_states_ensure(integration)
    form = SyncScheduleForm(request.POST or None, states=states)
    if request.method == "POST" and form.is_valid():
        sync_schedules_update(integration, form.changes())
        messages.success(request, _("The sync schedules have been saved."))
        return redirect("sendcloud:sync", pk=integration.pk)
    rows = [{**row, "next_at": sync_state_next_at(row["state"])} for row in form.bound_rows()]
    return render(
        request,
        "sendcloud/sync_schedules.html",
        {"integration": integration, "form": form, "rows": rows},
        title=_("Sync schedules"),
    )

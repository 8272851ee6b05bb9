"""Reads for the Abgleich pages: a run's progress as JSON, the last outcome per object type."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sendcloud.models import Integration, ObjectType, SyncRun
from sendcloud.models.sync import TypeProgress, TypeState

MODES = {"full": _("full"), "incremental": _("changes only")}


def duration_text(run: SyncRun) -> str:
    """A run's duration as people read it: 0.4 s, 2 min 5 s, 1 h 3 min."""
    if run.duration is None:
        return "–"
    seconds = run.duration.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def progress_percent(progress: TypeProgress) -> int | None:
    if progress.state == TypeState.DONE:
        return 100
    if progress.estimate:
        return min(99, int(progress.objects * 100 / progress.estimate))
    return None


def sync_run_rows(run: SyncRun) -> list[dict]:
    """Each object type's progress as the run page and the command line show it."""
    labels = dict(ObjectType.choices)
    return [
        {
            **progress.dump(),
            "type": object_type,
            "label": str(labels.get(object_type, object_type)),
            "state_label": str(TypeState(progress.state).label),
            "mode": str(MODES.get(progress.mode, "")),
            "failed_ids": [f.get("id") for f in progress.failed_ids][:20],
            "percent": progress_percent(progress),
        }
        for object_type, progress in run.type_progress().items()
    ]


def sync_run_payload(run: SyncRun) -> dict:
    """What the run page polls while the run is active."""
    return {
        "id": run.pk,
        "state": run.state,
        "state_label": str(run.get_state_display()),
        "active": run.active,
        "error": run.error,
        "requests": run.requests,
        "duration_seconds": run.duration.total_seconds() if run.duration else None,
        "types": sync_run_rows(run),
    }


def sync_runs_for(integration: Integration):
    return SyncRun.objects.filter(integration=integration).select_related("started_by")

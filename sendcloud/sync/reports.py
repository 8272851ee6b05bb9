"""Reads for the Abgleich pages: a run's progress as JSON, the last outcome per object type."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sendcloud.models import Integration, ObjectType, SyncRun

ENTRY_STATES = {
    "pending": _("waiting"),
    "running": _("running"),
    "done": _("done"),
    "failed": _("failed"),
}
OUTCOMES = {
    "succeeded": _("succeeded"),
    "partial": _("partly failed"),
    "failed": _("failed"),
}
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


def entry_label(state: str) -> str:
    return str(ENTRY_STATES.get(state, state))


def entry_percent(entry: dict) -> int | None:
    if entry.get("state") == "done":
        return 100
    estimate = entry.get("estimate")
    if estimate:
        return min(99, int(entry.get("objects", 0) * 100 / estimate))
    return None


def sync_run_rows(run: SyncRun) -> list[dict]:
    labels = dict(ObjectType.choices)
    rows = []
    for object_type in run.object_types:
        entry = run.progress.get(object_type) or {}
        carriers = entry.get("carriers") or {}
        rows.append(
            {
                "type": object_type,
                "label": str(labels.get(object_type, object_type)),
                "state": entry.get("state", "pending"),
                "state_label": entry_label(entry.get("state", "pending")),
                "mode": str(MODES.get(entry.get("mode"), "")),
                "pages": entry.get("pages", 0),
                "objects": entry.get("objects", 0),
                "created": entry.get("created", 0),
                "updated": entry.get("updated", 0),
                "unchanged": entry.get("unchanged", 0),
                "archived": entry.get("archived", 0),
                "failed": entry.get("failed", 0),
                "failed_ids": [f.get("id") for f in entry.get("failed_ids", [])][:20],
                "error": entry.get("error", ""),
                "estimate": entry.get("estimate"),
                "percent": entry_percent(entry),
                "carriers": carriers,
            }
        )
    return rows


def sync_run_payload(run: SyncRun) -> dict:
    """What the run page polls while the run is active."""
    return {
        "id": run.pk,
        "state": run.state,
        "state_label": str(run.get_state_display()),
        "active": run.state in SyncRun.ACTIVE_STATES,
        "error": run.error,
        "requests": run.requests,
        "duration_seconds": run.duration.total_seconds() if run.duration else None,
        "types": sync_run_rows(run),
    }


def sync_runs_for(integration: Integration):
    return SyncRun.objects.filter(integration=integration).select_related("started_by")

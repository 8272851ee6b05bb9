"""Start and execute background runs of any kind (the lifecycle: `sendcloud.models.runs`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import structlog
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sendcloud import jobs, metrics
from sendcloud.errors import ApplicationError, Problem
from sendcloud.models.runs import Run

logger = logging.getLogger(__name__)


class RunActive(ApplicationError):
    """A run of this integration is queued or running; `stale` if its worker seems gone."""

    def __init__(self, model: type[Run], run: Run | None, *, stale: bool = False) -> None:
        message = str(model.resumed_message if stale else model.busy_message)
        super().__init__(message, [Problem(message, object=str(run) if run else "")])
        self.run = run
        self.stale = stale


def run_start(model: type[Run], job: str, integration, *, queue: bool = True, **fields) -> Run:
    """A new run, handed to `job` on commit (`queue=False`: the caller executes it itself).

    RunActive while the integration has an active run; a stale one is handed to `job` again and
    continues where it stopped."""
    active = model.objects.filter(integration=integration).active().first()
    if active is None:
        try:
            with transaction.atomic():
                run = model.objects.create(integration=integration, **fields)
        except IntegrityError:  # another start won the race between our check and insert
            active = model.objects.filter(integration=integration).active().first()
        else:
            if queue:
                jobs.enqueue(job, run.pk)
            return run
    stale = active is not None and active.is_stale()
    if stale and queue:
        jobs.enqueue(job, active.pk)
    raise RunActive(model, active, stale=stale)


def run_execute(model: type[Run], run_id: int, work: Callable[[Run], None]) -> Run | None:
    """Claim the run and call `work(run)`; None when another worker has it or it is finished.

    `work` finishes the run itself. An exception it raises fails the run at once and is raised
    again for the worker's log."""
    if not model.objects.claim(run_id):
        return None
    run = model.objects.select_related("integration").get(pk=run_id)
    kind = model._meta.model_name
    try:
        with structlog.contextvars.bound_contextvars(
            integration_id=run.integration_id, run=f"{kind} {run_id}"
        ):
            work(run)
    except Exception as error:
        logger.exception("%s %s crashed", model.__name__, run_id)
        reason = str(error) or type(error).__name__
        run.finish(
            Run.State.FAILED, _("Stopped by an unexpected error: %(error)s") % {"error": reason}
        )
        metrics.run_finished(run)
        raise
    metrics.run_finished(run)
    return run


def runs_resume_stale(model: type[Run], job: str, now=None) -> int:
    """Queue `job` again for active runs whose worker went silent; they continue."""
    count = 0
    for run in model.objects.stale(now):
        logger.warning(
            "resuming %s %s of integration %s", model.__name__, run.pk, run.integration_id
        )
        jobs.enqueue(job, run.pk)
        count += 1
    return count

"""`manage.py sendcloud_sync [--integration ID] [--objects …] [--full]`: Abgleich from the shell."""

from django.core.management.base import CommandError
from tqdm import tqdm

from sendcloud.management.output import FAILED, JsonCommand, usage_error
from sendcloud.models import Integration, ObjectType, SyncRun
from sendcloud.models.sync import TypeState
from sendcloud.runs import RunActive
from sendcloud.sync import sync_start
from sendcloud.sync.reports import sync_run_rows
from sendcloud.sync.runner import sync_run_execute

TYPE_FIELDS = ("type", "state", "pages", "objects", "created", "updated", "archived", "failed",
               "error")  # fmt: skip


class ProgressBars:
    """One tqdm bar per object type, fed by the runner's progress callback."""

    def __init__(self, stream):
        self.stream = stream
        self.bars: dict[str, tqdm] = {}

    def __call__(self, run: SyncRun) -> None:
        for row in sync_run_rows(run):
            if row["state"] == TypeState.PENDING:
                continue
            bar = self.bars.get(row["type"])
            if bar is None:
                bar = self.bars[row["type"]] = tqdm(
                    desc=f"{row['type']:<17}",
                    total=row["estimate"],
                    unit=" obj",
                    file=self.stream,
                    dynamic_ncols=True,
                )
            if row["estimate"] and bar.total != row["estimate"]:
                bar.total = row["estimate"]
            bar.n = row["objects"]
            bar.set_postfix(pages=row["pages"], new=row["created"], upd=row["updated"])
            if row["state"] in (TypeState.DONE, TypeState.FAILED) and not bar.disable:
                if row["state"] == TypeState.DONE and bar.total:
                    bar.n = max(bar.n, bar.total)
                bar.refresh()
                bar.close()
                bar.disable = True
            else:
                bar.refresh()

    def close(self):
        for bar in self.bars.values():
            bar.close()


class Command(JsonCommand):
    help = "Sync Sendcloud objects into the back office (the Abgleich), with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--integration",
            type=int,
            action="append",
            help="Integration id (repeatable); default: every connected integration.",
        )
        parser.add_argument(
            "--objects",
            nargs="+",
            choices=ObjectType.values,
            metavar="TYPE",
            help="Object types: " + ", ".join(ObjectType.values) + " (default: all).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read parcels and returns completely and archive what is gone.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args, **options):
        integrations = Integration.objects.connected()
        if options["integration"]:
            integrations = Integration.objects.filter(pk__in=options["integration"])
        integrations = list(integrations)
        if not integrations:
            raise usage_error("No connected Sendcloud integration found.")
        types = options["objects"] or list(ObjectType.values)
        failed = False
        for integration in integrations:
            failed |= not self.sync_one(integration, types, options)
        self.summary = {
            "integrations": len(integrations),
            "succeeded": sum(r["ok"] for r in self.results),
            "failed": sum(not r["ok"] for r in self.results),
        }
        if failed:
            raise CommandError("At least one sync did not succeed completely.", returncode=FAILED)

    def sync_one(self, integration, types, options) -> bool:
        self.stdout.write(f"Sync of “{integration}” (integration {integration.pk})")
        if not integration.is_usable:
            self.stderr.write(f"  not connected ({integration.get_state_display()}); skipped")
            self.results.append(
                {"integration": integration.pk, "ok": False, "state": "not_connected"}
            )
            return False
        try:
            run = sync_start(
                integration, types, queue=False, trigger=SyncRun.Trigger.CLI, full=options["full"]
            )
        except RunActive as busy:
            self.stderr.write(
                f"  run {busy.run.pk if busy.run else '?'} is already active; not started"
            )
            self.results.append({"integration": integration.pk, "ok": False, "state": "busy"})
            return False
        bars = None if options["no_progress"] else ProgressBars(self.stderr._out)
        try:
            run = sync_run_execute(run.pk, on_progress=bars)
        finally:
            if bars:
                bars.close()
        for row in sync_run_rows(run):
            line = (
                f"  {row['type']:<17} {row['state']:<7} pages {row['pages']:>5}  read "
                f"{row['objects']:>7}  created {row['created']:>7}  updated {row['updated']:>7}"
                f"  archived {row['archived']:>5}  failed {row['failed']:>4}"
            )
            self.stdout.write(line)
            if row["error"]:
                self.stdout.write(f"      {row['error']}")
        self.stdout.write(
            f"  {run.get_state_display()} in {run.duration} with {run.requests} API requests"
        )
        ok = run.state == SyncRun.State.SUCCEEDED
        self.results.append(
            {
                "integration": integration.pk,
                "ok": ok,
                "run": run.pk,
                "state": run.state,
                "seconds": run.duration.total_seconds() if run.duration else None,
                "requests": run.requests,
                "types": [
                    {k: row[k] for k in TYPE_FIELDS if k in row} for row in sync_run_rows(run)
                ],
            }
        )
        return ok

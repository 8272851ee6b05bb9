"""`--json` and trustworthy exit codes for every `manage.py` command of the project.

With `--json` stdout carries exactly one JSON document (the human lines go to stderr):
`{"command", "ok", "exit_code", "results": [one object per item], "summary": {...}, "error"}`.
Exit codes: 0 every item succeeded, 1 some failed, 2 usage error (bad arguments, no such
company, no connected integration: nothing was attempted). argparse's own errors exit 2 too.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

USAGE = 2
FAILED = 1


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE)


class JsonCommand(BaseCommand):
    """A command whose `handle` appends to `self.results` and may set `self.summary`."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON document (results and summary) on stdout; messages go to stderr.",
        )
        return parser

    def execute(self, *args, **options):
        self.results: list[dict] = []
        self.summary: dict = {}
        if not options.get("json"):
            return super().execute(*args, **options)
        document_out = OutputWrapper(options.get("stdout") or sys.stdout)
        options = {**options, "stdout": options.get("stderr") or sys.stderr, "no_color": True}
        self.command_name = type(self).__module__.rpartition(".")[2]
        try:
            super().execute(*args, **options)
        except CommandError as error:
            document_out.write(self._document(error.returncode, str(error)))
            raise
        document_out.write(self._document(0, ""))
        return None

    def _document(self, exit_code: int, error: str) -> str:
        document = {
            "command": self.command_name,
            "ok": exit_code == 0,
            "exit_code": exit_code,
            "results": self.results,
            "summary": self.summary,
            "error": error or None,
        }
        return json.dumps(document, ensure_ascii=False, default=str)

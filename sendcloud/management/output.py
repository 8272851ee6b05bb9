"""`--json` and exit codes of the `manage.py sendcloud_*` commands: the back office's one
implementation (backoffice/command_output.py), shared with its own commands."""

from backoffice.command_output import FAILED, USAGE, JsonCommand, usage_error

__all__ = ["FAILED", "USAGE", "JsonCommand", "usage_error"]

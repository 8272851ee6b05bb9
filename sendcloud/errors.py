"""The one error a business rule raises when the user must fix something.

Services raise `ApplicationError` with a translated message and, where there is more than one
thing to fix, a list of `Problem`s, each naming its object and field; views, the CLI and the
REST API show them as they are. Errors from Sendcloud itself stay in `sendcloud.client.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing to fix: what it is about (a delivery order, a warehouse row), which field, why."""

    message: str
    object: str = ""
    field: str = ""

    def __str__(self) -> str:
        return f"{self.object}: {self.message}" if self.object else self.message


class ApplicationError(Exception):
    """A rule of the back office refused an action; `message` and `problems` are translated."""

    def __init__(self, message: str, problems: list[Problem] | tuple[Problem, ...] = ()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def __str__(self) -> str:
        return self.message

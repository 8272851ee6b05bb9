"""`--json` and exit codes of the `manage.py sendcloud_*` commands: the back office's one
implementation (backoffice/command_output.py), shared with its own commands; plus the
company and integration a command works on."""

from backoffice.command_output import FAILED, USAGE, JsonCommand, usage_error
from backoffice.companies.models import Company
from sendcloud.models import Integration
from sendcloud.selectors import integration_default

__all__ = ["FAILED", "USAGE", "JsonCommand", "company_integration", "usage_error"]


def company_integration(name: str | None) -> tuple[Company, Integration]:
    """The company named by `--company` (or the only one) and its connected integration;
    a usage error (exit 2, nothing attempted) when either is missing."""
    companies = Company.objects.filter(name=name) if name else Company.objects.all()
    if companies.count() != 1:
        raise usage_error("Name exactly one company with --company.")
    company = companies.get()
    integration = integration_default(company)
    if integration is None:
        raise usage_error("The company has no connected Sendcloud integration.")
    return company, integration

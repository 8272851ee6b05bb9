"""Who may open a Sendcloud page: staff of a company holding the permission of the action.

Every route in sendcloud/urls.py goes through `guarded`: reading (GET, HEAD) needs `read`,
acting (POST and the rest) needs `write`. Permissions are those of the roles in
backoffice/companies/roles.py.
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from backoffice.companies.roles import (
    CREATE_LABELS,
    MANAGE_INTEGRATION,
    PUSH_ORDERS,
    RUN_SYNC,
    VIEW_SENDCLOUD,
)
from backoffice.scoping import company_of

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

__all__ = [
    "CREATE_LABELS",
    "MANAGE_INTEGRATION",
    "PUSH_ORDERS",
    "RUN_SYNC",
    "VIEW_SENDCLOUD",
    "guarded",
]


def permission_required(read: str, write: str):
    """Refuse (403) a user whose roles lack the permission the request's method needs."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            company_of(request)  # a user without a company sees no company's pages
            needed = read if request.method in SAFE_METHODS else write
            if not request.user.has_perm(needed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        checked.required_permissions = (read, write)
        return checked

    return decorate


def guarded(view, read: str = VIEW_SENDCLOUD, write: str | None = None):
    """A staff-only (admin login) view that checks the permissions of its action."""
    return admin.site.admin_view(permission_required(read, write or read)(view))

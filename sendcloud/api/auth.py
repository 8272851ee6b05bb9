"""Bearer tokens of the REST API, and the role checks the pages make (sendcloud/views/access)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja.security import HttpBearer

from backoffice.companies.models import ApiToken
from backoffice.scoping import company_of


def token_user(secret: str):
    """The active user of an unrevoked token, or None; notes when the token was last used."""
    if not secret:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.hash(secret))
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def bearer_secret(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


def allowed(request, permission: str):
    """The company the request works in, if the user's role holds `permission` (else 403)."""
    company = company_of(request)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return company

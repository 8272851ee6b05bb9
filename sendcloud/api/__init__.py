"""The REST API (`/api/v1/`): django-ninja over the services and selectors the pages use.

Bearer tokens (backoffice.companies.ApiToken), one error body (errors.py), `Idempotency-Key` on
writes (idempotency.py); the schema at /api/v1/schema/, the docs at /api/docs/.
"""

from ninja import NinjaAPI

from . import errors
from .auth import BearerToken
from .integration import router as integration_router
from .orders import router as orders_router
from .returns import router as returns_router

api = NinjaAPI(
    title="Sendcloud back office API",
    version="1",
    description=(
        "Authorization: Bearer <token> (manage.py sendcloud_api_token USERNAME). Every refusal "
        'answers {"error": {"code", "message", "fields", "problems"}}, in German or English by '
        "Accept-Language. Writes accept an Idempotency-Key header."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url=None,
)
errors.install(api)
api.add_router("", orders_router)
api.add_router("", integration_router)
api.add_router("", returns_router)

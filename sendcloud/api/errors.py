"""The one error body of the REST API, for every refusal:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["..."]},
               "problems": [{"message": "...", "object": "...", "field": "..."}]}}

Messages are translated; LocaleMiddleware picks German or English from `Accept-Language`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sendcloud.client import SendcloudError
from sendcloud.errors import ApplicationError


def error_response(status, code, message, *, fields=None, problems=None) -> JsonResponse:
    body = {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {k: [str(m) for m in v] for k, v in (fields or {}).items()},
            "problems": [
                {"message": str(p.message), "object": str(p.object), "field": str(p.field)}
                for p in problems or ()
            ],
        }
    }
    return JsonResponse(body, status=status)


def _field_of(loc) -> str:
    # ninja's locations start with where the value came from (body, query, path) and the
    # parameter's name; the field is what follows.
    parts = [str(part) for part in loc[1:] if part != "payload"] or [str(p) for p in loc]
    return ".".join(parts) or "__all__"


def _validation_message(error: dict) -> str:
    """pydantic's message in the reader's language, for the usual kinds (Django's own texts
    where it has them); pydantic's English otherwise."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("decimal_", "float_")):
        return _("Enter a number.")
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind == "string_pattern_mismatch":
        return _("Enter a valid value.")
    if kind == "greater_than":
        return _("Ensure this value is greater than %(limit_value)s.") % {"limit_value": ctx["gt"]}
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx["ge"]
        }
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx["le"]
        }
    if kind in ("string_too_short", "too_short"):
        return _("At least %(n)s characters or entries.") % {"n": ctx.get("min_length")}
    if kind in ("string_too_long", "too_long"):
        return _("At most %(n)s characters or entries.") % {"n": ctx.get("max_length")}
    return error.get("msg", "")


def install(api) -> None:
    """Every refusal of `api` answers in the one error body."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = error_response(
            401,
            "unauthenticated",
            _("Send a valid API token: Authorization: Bearer <token>."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or _("Your role does not allow this.")
        return error_response(403, "forbidden", message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, "not_found", _("Not found."))

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_of(error.get("loc", ())), []).append(
                _validation_message(error)
            )
        return error_response(
            422, "invalid", _("Some fields are not valid; see fields."), fields=fields
        )

    @api.exception_handler(ValidationError)
    def invalid_model(request, exc):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return error_response(
            422, "invalid", _("Some fields are not valid; see fields."), fields=fields
        )

    @api.exception_handler(ApplicationError)
    def refused(request, exc):
        fields: dict[str, list[str]] = {}
        for problem in exc.problems:
            if problem.field:
                fields.setdefault(problem.field, []).append(problem.message)
        return error_response(422, "refused", exc.message, fields=fields, problems=exc.problems)

    @api.exception_handler(SendcloudError)
    def sendcloud_failed(request, exc):
        return error_response(
            502, "sendcloud", _("Sendcloud did not accept the request: %(e)s") % {"e": exc}
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # ninja could not parse the body
            return error_response(400, "malformed", _("The request body is not valid JSON."))
        return error_response(exc.status_code, "error", str(exc))

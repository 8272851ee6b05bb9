"""Panel API v3: integrations."""

from flask import Blueprint, Response, g, request

from .errors import json_response, v3_error
from .state import current
from .timefmt import iso_z
from .v2_account import validate_integration_changes

bp = Blueprint("v3_integrations", __name__)
FEEDBACK_TYPES = ("eager", "delayed", "none")
INTEGRATION_SORTS = {
    "integration_type": "system", "created_at": "created_at", "updated_at": "updated_at",
    "last_fetch": "last_fetch", "failing_since": "failing_since",
}  # fmt: skip


def v3_integration(i: dict) -> dict:
    return {
        "id": i["id"],
        "shop_name": i["shop_name"],
        "shop_url": i["shop_url"],
        "type": i["system"],
        "started_failing_at": i["failing_since"],
        "last_fetched_at": i["last_fetch"],
        "created_at": iso_z(i["created_at"], micro=False),
        "updated_at": iso_z(i["updated_at"], micro=False),
        "service_point_enabled": i["service_point_enabled"],
        "service_point_carriers": list(i["service_point_carriers"]),
        "webhook_active": i["webhook_active"],
        "webhook_url": i["webhook_url"],
        "feedback_type": i["feedback_type"],
    }


def _not_found():
    return v3_error(
        404, "The Integration could not be found with the search criteria given", "not_found",
        title="Not Found", int_status=True,
    )  # fmt: skip


@bp.get("/integrations")
def integrations():
    items = current().accounts.integrations(g.account_id)
    sort = request.args.get("sort") or ""
    field = INTEGRATION_SORTS.get(sort.lstrip("-"))
    if field:
        items.sort(key=lambda i: (i[field] is None, i[field] or 0), reverse=sort.startswith("-"))
    return json_response({"data": [v3_integration(i) for i in items]})


@bp.get("/integrations/<int:integration_id>")
def integration(integration_id):
    found = current().accounts.integration(g.account_id, integration_id)
    if found is None:
        return _not_found()
    return json_response({"data": v3_integration(found)})


@bp.patch("/integrations/<int:integration_id>")
def integration_patch(integration_id):
    state = current()
    found = state.accounts.integration(g.account_id, integration_id)
    if found is None:
        return _not_found()
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return v3_error(400, "Expected an object.", "invalid", title="Invalid")
    if changes.get("webhook_active") and not {**found, **changes}.get("webhook_url"):
        return v3_error(
            400, "Webhook URL required when enable webhook is set to true", "invalid",
            title="Invalid",
        )  # fmt: skip
    if "feedback_type" in changes and changes["feedback_type"] not in FEEDBACK_TYPES:
        return v3_error(
            400, f'"{changes["feedback_type"]}" is not a valid choice.', "invalid_choice",
            title="Invalid", source={"pointer": "/feedback_type"},
        )  # fmt: skip
    if "shop_name" in changes and not (changes["shop_name"] or "").strip():
        return v3_error(
            400, "This field may not be blank.", "invalid", title="Invalid",
            source={"pointer": "/shop_name"},
        )  # fmt: skip
    problems = validate_integration_changes(found, changes)
    if problems:
        field = problems[0].split(":")[0]
        return v3_error(
            400, problems[0].split(": ", 1)[1], "invalid", title="Invalid",
            source={"pointer": f"/{field}"},
        )  # fmt: skip
    updated = state.accounts.update_integration(found, changes)
    state.emit_integration("integration_updated", updated)
    return Response(status=204)


@bp.delete("/integrations/<int:integration_id>")
def integration_delete(integration_id):
    state = current()
    found = state.accounts.integration(g.account_id, integration_id)
    if found is None:
        return _not_found()
    state.emit_integration("integration_deleted", found)
    state.accounts.delete_integration(found)
    return Response(status=204)

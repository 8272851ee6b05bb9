"""The order of a company's integrations (the first active, connected one is the default)."""

from django.db import transaction

from sendcloud.models import Integration


@transaction.atomic
def integration_move_up(company, integration_id: int) -> Integration:
    """Move one of the company's integrations a place up; another company's id is unknown.

    Raises Integration.DoesNotExist when the company has no integration with that id.
    """
    integrations = list(
        Integration.objects.select_for_update().filter(company=company).order_by("position", "id")
    )
    index = next((i for i, item in enumerate(integrations) if item.pk == integration_id), None)
    if index is None:
        raise Integration.DoesNotExist(integration_id)
    if index > 0:
        integrations[index - 1], integrations[index] = integrations[index], integrations[index - 1]
    for position, item in enumerate(integrations):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    return integrations[max(index - 1, 0)]

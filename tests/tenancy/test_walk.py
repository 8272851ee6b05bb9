"""Users of one company walk every URL of the app with the other company's ids: GET and POST.

Nothing of the other company may be shown, changed or deleted, whatever the role.
"""

import pytest
from django.test import Client

from backoffice.companies import roles
from backoffice.companies.models import ApiToken
from sendcloud.models import Integration

from .walk import SKIPPED, routes, visits
from .world import ROLE_NAMES, snapshot, tenant_create

pytestmark = pytest.mark.django_db

REFUSED = {302, 403, 404, 405}
# The REST API refuses a body it cannot read (400, 422) before it looks anything up.
API_REFUSED = {400, 401, 403, 404, 405, 422}


@pytest.fixture
def alfa(db):
    return tenant_create("ALFA3X", 4101)


@pytest.fixture
def bravo(db):
    return tenant_create("BRAVO7Q", 4202)


def _secrets(tenant):
    integration = tenant.first(Integration)
    return [tenant.marker.lower(), integration.webhook_token.lower()]


def _post_data(visit, victim):
    """A form post that would act on the victim's rows if the page let it."""
    data = {"post": "yes", "index": "0", "action": "delete_selected"}
    if visit.model is not None:
        data["_selected_action"] = [str(pk) for pk in victim.ids(visit.model)]
    return data


def _walk(user, victim, attacker):
    # The REST API's routes are walked with the user's token (the pages ignore it).
    _token, secret = ApiToken.issue(user)
    client = Client(raise_request_exception=True, headers={"Authorization": f"Bearer {secret}"})
    client.force_login(user)
    before = snapshot(victim.company)
    secrets = _secrets(victim)
    leaks, open_doors = [], []
    for visit in visits(victim, attacker):
        for method in ("get", "post"):
            if method == "get":
                response = client.get(visit.url)
            else:
                response = client.post(visit.url, _post_data(visit, victim))
            body = response.content.decode("utf-8", "replace").lower()
            label = f"{method.upper()} {visit.url} ({visit.name}) -> {response.status_code}"
            if any(secret in body for secret in secrets):
                leaks.append(label)
            refused = API_REFUSED if visit.name.startswith("api:") else REFUSED
            if visit.foreign and response.status_code not in refused:
                open_doors.append(label)
            assert response.status_code < 500, label
    assert not leaks, "pages show the other company's data:\n" + "\n".join(leaks)
    assert not open_doors, "pages answer ids of the other company:\n" + "\n".join(open_doors)
    assert snapshot(victim.company) == before, "the other company's rows were changed"


@pytest.mark.parametrize("role", [*ROLE_NAMES, ""])
def test_no_role_of_one_company_sees_changes_or_deletes_the_others_rows(alfa, bravo, role):
    _walk(alfa.users[role], victim=bravo, attacker=alfa)


def test_the_other_direction_holds_too(alfa, bravo):
    _walk(bravo.users[roles.MANAGEMENT], victim=alfa, attacker=bravo)


def test_the_walk_covers_every_route_of_the_app(alfa, bravo):
    names = {route.name for route in routes()}
    walked = {visit.name for visit in visits(bravo, alfa)}
    assert names - walked == set(SKIPPED)
    # Both parts of the app are there: sanity check of the enumeration itself.
    assert {"admin:auth_user_password_change", "sendcloud:move-up"} <= walked


def test_the_operator_sees_every_company_so_the_walk_can_see_a_leak(alfa, bravo):
    """The check that finds a leak works: the operator's pages do show the other company."""
    from tests.factories import OperatorFactory

    client = Client()
    client.force_login(OperatorFactory())
    event = bravo.first("WebhookEvent")
    page = client.get(f"/sendcloud/webhookevent/{event.pk}/change/")
    assert page.status_code == 200 and bravo.marker.lower() in page.content.decode().lower()
    users = client.get("/companies/user/").content.decode().lower()
    assert bravo.marker.lower() in users and alfa.marker.lower() in users

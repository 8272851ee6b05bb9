"""The integration overview: one selector, a fixed number of queries however many integrations."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcloud.models import (
    ApiCall,
    Integration,
    SyncRun,
    SyncState,
    WarehouseSenderAddress,
    WebhookEvent,
)
from sendcloud.selectors import integration_default, integration_overviews
from tests.factories import WarehouseFactory
from tests.sendcloud.factories import SenderAddressFactory

pytestmark = pytest.mark.django_db


def linked(company, n: int) -> Integration:
    """A connected integration with something in every part of the overview."""
    integration = Integration(
        company=company,
        shop_name=f"Shop {n}",
        state=Integration.State.CONNECTED,
        sendcloud_id=100 + n,
        public_key=f"{n:036d}",
        position=n,
    )
    integration.secret_key = "s" * 32
    integration.save()
    hint = {"integration": integration, "company_id_hint": company.pk}
    WebhookEvent.objects.create(
        **hint, raw_body=b"{}", body_sha256="0", action=f"failed_{n}", state="failed"
    )
    ApiCall.objects.create(**hint, method="GET", path=f"/failing/{n}", status_code=500)
    SyncState.objects.create(
        integration=integration, object_type="brands", last_finished_at=timezone.now()
    )
    SyncRun.objects.create(integration=integration, trigger="manual", state="running")
    address = SenderAddressFactory(integration=integration, country="AT", label=f"Absender {n}")
    warehouse = WarehouseFactory(company=company, name=f"Lager {n}")
    WarehouseSenderAddress.objects.create(
        warehouse=warehouse, integration=integration, sender_address=address
    )
    return integration


def test_overview_reads_a_fixed_number_of_queries_for_any_number_of_integrations(
    company, django_assert_max_num_queries
):
    for n in range(6):
        linked(company, n)
    with django_assert_max_num_queries(9):
        overviews = integration_overviews(company)
    assert [o.integration.shop_name for o in overviews] == [f"Shop {n}" for n in range(6)]
    for n, overview in enumerate(overviews):
        assert [e.action for e in overview.problems["events"]] == [f"failed_{n}"]
        assert [c.path for c in overview.problems["calls"]] == [f"/failing/{n}"]
        assert overview.problems["failed"] == 1
        assert [s["type"] for s in overview.syncs] == ["brands"]
        assert overview.sync_active is not None
        assert [r.sender_address.label for r in overview.warehouse_senders] == [f"Absender {n}"]
        assert len(overview.drift) == 1  # the warehouse is in DE, its address in AT
        assert overview.next_sync is not None
        assert overview.backlog == {"count": 0, "failing": 0, "oldest": None}


def test_overview_page_stays_within_its_query_budget(
    clerk_client, company, django_assert_max_num_queries
):
    for n in range(6):
        linked(company, n)
    with django_assert_max_num_queries(20):
        response = clerk_client.get(reverse("sendcloud:integration"))
    page = response.content.decode()
    assert "Shop 5" in page and "/failing/5" in page


def test_default_is_the_first_active_connected_integration(company):
    first, second = linked(company, 0), linked(company, 1)
    assert integration_default(company) == first
    first.is_active = False
    first.save()
    assert integration_default(company) == second
    second.state = Integration.State.REJECTED
    second.save()
    assert integration_default(company) is None

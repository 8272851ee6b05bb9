import pytest

from sendcloud.models import Integration

SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def integration(company):
    """A connected integration whose keys the tests know (no call to Sendcloud needed)."""
    integration = Integration(
        company=company,
        shop_name="Muster Shop",
        state=Integration.State.CONNECTED,
        sendcloud_id=4711,
        public_key="11111111-2222-3333-4444-555555555555",
        webhook_active=True,
    )
    integration.secret_key = SECRET
    integration.save()
    return integration

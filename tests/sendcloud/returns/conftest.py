"""A linked shop on an in-process sandbox whose delivery orders have live labels, and a
return shipping option mirrored for it (what the returns tests start from)."""

import pytest

from sendcloud.services.labels import delivery_order_label_create
from tests.sendcloud.labels.conftest import (  # noqa: F401  (fixtures)
    make_delivery,
    option_for,
    queued_documents,
    sandbox_clients,
    shop,
)

RETURN_OPTION = "dhl:retoure/return"


@pytest.fixture
def return_shop(shop):  # noqa: F811  (the imported fixture)
    option_for(
        shop["integration"],
        code=RETURN_OPTION,
        name="DHL Retoure",
        supports_returns=True,
        functionalities={"returns": True},
    )
    return shop


def labelled_delivery(linked, **fields):
    """A delivery order (2 × product) of the `linked` shop with a live label at the sandbox."""
    delivery = make_delivery(linked, **fields)
    delivery_order_label_create(delivery, linked["integration"])
    return delivery


def sandbox_returns(sandbox_control, account_id):
    """Every return the sandbox holds for the account (store rows)."""
    state = sandbox_control.application.extensions["sandbox"]
    return state.store.query(
        "SELECT id, json_extract(data, '$.order_number') FROM returns WHERE account_id = ?"
        " AND json_extract(data, '$.external_reference') IS NOT NULL",
        (account_id,),
    )

"""The sandbox's own tests use the fixtures the project gets from ``sandbox.testing``."""

import pytest

from sandbox.testing import (  # noqa: F401  (fixtures)
    sandbox_account,
    sandbox_app,
    sandbox_client,
    sandbox_control,
    sandbox_printer,
    sandbox_server,
    sandbox_transport,
)


@pytest.fixture
def state(sandbox_app):  # noqa: F811  (the imported fixture, requested by name)
    return sandbox_app.extensions["sandbox"]

# The label tests' in-process sandbox clients (the shipping day benchmark runs on them).
from tests.sendcloud.labels.conftest import queued_documents, sandbox_clients  # noqa: F401

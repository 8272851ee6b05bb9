"""Settings for the test suite: the defaults, with a broker of its own.

Tasks queued by tests must never reach the worker of a running `make run`, so unless
CELERY_BROKER_URL is given (CI gives Redis), tests use their own SQLite broker file.
"""

import os

from .settings import *  # noqa: F403
from .settings import VAR_DIR

if not os.environ.get("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'test-celery-broker.sqlite3'}"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# One test database file per test process, so parallel runs on one machine never collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-backoffice-{os.getpid()}.sqlite3")
    }

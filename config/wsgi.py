"""The WSGI entry point (gunicorn `config.wsgi:application`).

Webhook POSTs go straight to `sendcloud.webhooks.views.webhook_wsgi`: Sendcloud sends many, and
they need none of the session, authentication, messages, CSRF and locale work Django's
middleware does for the pages. Everything else is the ordinary Django application.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from sendcloud import jobs  # noqa: E402 (after setup)
from sendcloud.webhooks.views import webhook_wsgi, webhook_wsgi_match  # noqa: E402

# Each web worker registers the Celery tasks while it boots, not during its first webhook.
jobs.tasks_register()


def application(environ, start_response):
    token = webhook_wsgi_match(environ)
    if token is not None:
        return webhook_wsgi(environ, start_response, token)
    return django_application(environ, start_response)

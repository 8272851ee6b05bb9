"""Static files for `make run` without DEBUG: Django's finders, no `collectstatic` needed.

`runserver` serves static files only with DEBUG on, and its handler answers a 500 to a path that
climbs out of the static directories (`/static/%2e%2e/…`): it sits outside the middleware that
turns Django's SuspiciousFileOperation into an answer. So `make run` starts runserver with
`--nostatic` and this view serves them, when SERVE_STATIC is on; in production the proxy in
front of gunicorn serves `collectstatic`'s STATIC_ROOT and SERVE_STATIC stays off.
"""

from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404


def static_file(request, path):
    if not settings.SERVE_STATIC:
        raise Http404
    try:
        return serve(request, path, insecure=True)
    except SuspiciousFileOperation as error:
        raise Http404 from error  # a path outside the static directories does not exist here

"""Project-wide response rules: nothing a signed-in person sees is kept by a cache, and a database
outage on a staff page answers a short 503 page instead of a stack of 500s."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in person.

    Pages show names, classrooms and results: neither a shared proxy nor the browser's back-button
    cache may keep them. Static files never get here (WhiteNoise answers first), and the anonymous
    student survey keeps its own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except DatabaseError:  # the session could not be read: nothing personal was shown
            signed_in = False
        if signed_in:
            patch_cache_control(response, private=True, no_store=True)
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection answers 503 with Retry-After, from a page that needs no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("database unavailable on %s: %s", request.path, exception)
        # Rendered without the request: context processors would ask the database again.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_store=True)
        return response

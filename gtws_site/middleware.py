"""The project's middleware: headers SecurityMiddleware does not send, and a plain 503 when the
database (or the shared cache) cannot be reached, recovering by itself."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

try:  # the Redis client is only used when REDIS_URL is set
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover
    RedisConnectionError = RedisTimeoutError = OperationalError

logger = logging.getLogger(__name__)
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


class ServiceUnavailableMiddleware:
    """A 503 page with Retry-After instead of a stack trace; the next request tries the database again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.error("Database or cache unavailable: %s", exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy, Cross-Origin-Resource-Policy and where CSP reports go (Reporting-Endpoints).

    Just after SecurityMiddleware, before whitenoise and the page cache, so static files and cached
    pages carry them too. A response that set one of them itself keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Permissions-Policy": ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY),
            "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
            "Reporting-Endpoints": f'csp-endpoint="{settings.CSP_REPORT_URL}"',
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


class NullCharacterMiddleware:
    """An address or query with a null character answers 400 with a sentence, before any view.

    No page of the site takes one, and PostgreSQL cannot compare text with one: an admin filter or
    search (``?q=%00``) would otherwise fail with a 500. Forms refuse it themselves (Django's
    ``ProhibitNullCharactersValidator``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._in_query(request):
            return HttpResponseBadRequest(
                "This address contains a null character (%00), which no page of this site takes.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _in_query(request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" not in query and "\x00" not in query:  # read the parameters only when one may be there
            return False
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())

"""Anonymous readers of cached pages are answered before sessions, CSRF, users and messages run."""

from django.conf import settings

from results.cache.pages import MESSAGES_COOKIE, Lookup, rule_of


class CachedPageMiddleware:
    """Answers anonymous readers from the page cache before the middleware a cached page does not need.

    It sits after the middleware that add security headers (they still apply). Only views made
    with :func:`results.cache.pages.cached_page` are looked up, and only for requests without a
    session or pending messages (a signed-in reader's page is never shared). On a miss the
    lookup is kept on the request, so the view does not ask the cache again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
        ):
            found = rule_of(request.path_info)
            if found is not None:
                rule, kwargs = found
                answer = Lookup.of(request, rule, kwargs).answer()
                if answer is not None:
                    return answer
        return self.get_response(request)

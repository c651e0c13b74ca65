"""What the project adds to every request about accounts: pages shown to a person are theirs alone."""

from django.conf import settings
from django.utils.cache import patch_cache_control

ACCOUNT_PAGES = "/accounts/"  # allauth: sign-in, sign-up, e-mail, password, two-factor pages


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person and on the account pages.

    No shared cache (a proxy, a CDN) nor the browser's disk keeps a page that shows an account.
    The site's own page cache already never stores them (results.cache: requests with a session
    are not looked up, signed-in readers' pages are not stored).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ACCOUNT_PAGES) or is_signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def is_signed_in(request):
    """Without a session cookie nobody is signed in: no session is read for anonymous readers."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated

"""What the project adds to every request about accounts: pages shown to a person are theirs alone;
staff give a second factor before the admin opens."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from . import twofactor

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


class StaffSecondFactorMiddleware:
    """Before any admin page: staff without a second factor set it up; staff who signed in without
    giving theirs (an older session) are asked for a code. Fans are never asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.namespace != admin.site.name or match.url_name == "logout":
            return None
        user = request.user
        if not twofactor.is_staff(user) or twofactor.gave_second_factor(request) or twofactor.is_exempt(user):
            return None
        if not twofactor.has_second_factor(user):
            messages.warning(
                request,
                "Staff accounts open the admin with a second factor. Set up an authenticator app "
                "(and keep the recovery codes), then open the admin again.",
            )
            return redirect("mfa_activate_totp")
        messages.info(request, "Enter a code from your authenticator app to open the admin.")
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")

"""allauth's hooks: e-mails through the task queue; sign-up does the same work for every address;
limits count the client the trusted proxies name (:mod:`gtws_site.clientip`).

With ``ACCOUNT_PREVENT_ENUMERATION`` (allauth's default) a sign-up with an address that already
has an account answers like a new one and mails the owner instead. Two differences would still
tell them apart by the time the answer takes: waiting on the mail server (sent here by the task
worker instead), and hashing the password (done for a known address too).
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.core import context
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site

from gtws_site.clientip import client_ip

from . import mail


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """Sign-in, sign-up and reset limits count per client behind the trusted proxies, not per proxy.

        allauth's own ``ALLAUTH_TRUSTED_PROXY_COUNT`` fails the request (500) when the header is
        shorter than the count; the site's function falls back to the connecting address instead.
        """
        return client_ip(request)

    def send_mail(self, template_prefix, email, context_data):
        """Render as allauth does, then queue instead of sending."""
        request = context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context_data},
        )
        mail.queue(message)


class EvenSignupForm(SignupForm):
    """allauth's sign-up form (with community.forms.SignupDetailsForm's display name)."""

    def try_save(self, request):
        if self.account_already_exists:
            # A new account's password is hashed when it is saved: hash this one too, and drop it.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

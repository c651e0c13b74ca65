"""allauth's adapter with the site's idea of the client's address (gtws_site.clientip)."""

from allauth.account.adapter import DefaultAccountAdapter

from gtws_site.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in, sign-up and reset limits count per client behind the trusted proxies, not per proxy.

    allauth's own ``ALLAUTH_TRUSTED_PROXY_COUNT`` fails the request (500) when the header is shorter
    than the count; the site's function falls back to the connecting address instead.
    """

    def get_client_ip(self, request):
        return client_ip(request)

"""The address of the client a request came from, seen through the proxies the site trusts.

Each proxy in front of the site (``TRUSTED_PROXY_COUNT`` of them) appends the address it was reached
from to ``X-Forwarded-For``, so the client is the Nth address from the right; anything further left was
written by the client and proves nothing. With no trusted proxy the client is the address that
connected (``REMOTE_ADDR``). A header too short for the count, or an entry that is not an address, means
the request did not come through the proxies as configured: the connecting address is used then.

The rate limits (allauth's through ``community.accounts``, the site's own through ``community.ratelimit``
callers), the CSP report endpoint and gunicorn's access log all ask ``client_address``.
"""

import ipaddress
import re

from django.conf import settings
from gunicorn.glogging import Logger

UNKNOWN = "unknown"
# "198.51.100.7:51234" and "[2001:db8::7]:51234": some proxies write the client's port too.
WITH_PORT = re.compile(r"^\[(?P<v6>[^\]]+)\](?::\d+)?$|^(?P<v4>\d{1,3}(?:\.\d{1,3}){3}):\d+$")


def parse_address(text):
    """The address in ``text`` in canonical form, or None if it is not one."""
    text = (text or "").strip()
    match = WITH_PORT.match(text)
    if match:
        text = match["v6"] or match["v4"]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(remote_addr, forwarded_for, trusted_proxies):
    """The client's address: the ``trusted_proxies``-th entry from the right of ``forwarded_for``,
    or ``remote_addr`` when no proxy is trusted or the header does not hold that many entries."""
    connected = parse_address(remote_addr) or UNKNOWN
    if trusted_proxies <= 0 or not forwarded_for:
        return connected
    entries = forwarded_for.split(",")
    if len(entries) < trusted_proxies:
        return connected
    return parse_address(entries[-trusted_proxies]) or connected


def client_ip(request):
    """The client's address for a Django request, with the project's ``TRUSTED_PROXY_COUNT``."""
    return client_ip_of_environ(request.META)


def client_ip_of_environ(environ):
    """The same from a WSGI environ (a Django request's ``META`` is one)."""
    return client_address(
        environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_FORWARDED_FOR", ""), settings.TRUSTED_PROXY_COUNT
    )


class AccessLogger(Logger):
    """gunicorn's logger whose access log names the client (``%(h)s``), not the proxy in front."""

    def atoms(self, resp, req, environ, request_time):
        return {**super().atoms(resp, req, environ, request_time), "h": client_ip_of_environ(environ)}

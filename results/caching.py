"""Responses cached under the racing-data version, answered with 304 when the client has them.

The version moves on with every change (see :mod:`results.versioning`), so a
cached body is never served after the data it came from changed: the next
request reads the new version, misses the cache and renders afresh.
"""

import hashlib
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from . import versioning

CACHE_SECONDS = 24 * 3600  # old versions simply age out
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


@lru_cache(maxsize=1)
def code_version():
    """A fingerprint of the code and templates: a deploy never serves pages cached by the previous one.

    It hashes the files' contents, so every machine running the same release agrees on it
    (and on the ETags built from it).
    """
    base = Path(settings.BASE_DIR)
    fingerprint = hashlib.sha256()
    for folder in ("templates", "static", "results", "community", "gtws_site"):
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".css", ".js", ".txt"}:
                fingerprint.update(str(path.relative_to(base)).encode())
                fingerprint.update(path.read_bytes())
    return fingerprint.hexdigest()[:8]


def _key(request):
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"page:{code_version()}:{digest}"


def versioned(view):
    """Cache a public view's answers per data version, with ETag and Last-Modified.

    Only anonymous readers share cached answers; signed-in readers get theirs fresh.
    A cached answer costs one round trip to the cache: the data version and the
    answer are fetched together, and the answer is used only if it was made at
    that version.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and request.user.is_authenticated:
            # A signed-in reader's page may show their own name and forms: never shared.
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _key(request)
        (number, changed_at), found = versioning.current_with([key] if settings.PAGE_CACHE else [])
        etag = f'"{number}-{key.split(":", 2)[1]}-{key.rsplit(":", 1)[1][:16]}"'
        if request.method in ("GET", "HEAD"):
            not_modified = get_conditional_response(request, etag=etag, last_modified=changed_at)
            if not_modified is not None:
                return not_modified
        cached = found.get(key)
        if cached is not None and cached[0] == number:
            _, status, headers, body = cached
            response = HttpResponse(body, status=status, headers=headers)
        else:
            response = view(request, *args, **kwargs)
            if settings.PAGE_CACHE and response.status_code in (200, 404) and not response.streaming:
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                cache.set(key, (number, response.status_code, headers, response.content), CACHE_SECONDS)
        if response.status_code == 200:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(changed_at)
        patch_cache_control(response, public=True, no_cache=True)
        return response

    return wrapper

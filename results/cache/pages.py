"""Responses cached under the racing-data version, answered with 304 when the client has them.

The version moves on with every change (see :mod:`results.cache.versions`), so a
cached body is never served after the data it came from changed: the next
request reads the new version, misses the cache and renders afresh.
"""

import hashlib
import re
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from gtws_site.middleware import UNAVAILABLE
from results.cache import versions as versioning

CACHE_SECONDS = 24 * 3600  # old versions simply age out
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
MESSAGES_COOKIE = CookieStorage.cookie_name  # messages waiting to be shown
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding


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


def _etag(number, key, gzipped):
    _, code, digest = key.split(":")
    return f'"{number}-{code}-{digest[:16]}{"-gz" if gzipped else ""}"'


def _accepts_gzip(request):
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _entries(number, response):
    """The cache entries of a rendered answer: as it is, and gzipped for browsers that accept it.

    Compressing once when the page is stored spares every later reader's bandwidth
    (a report page: 148 KB → 15 KB) at no cost per request. Only pages shared by
    anonymous readers are stored, so no secret (a CSRF token) is ever compressed
    beside text a reader chose.
    """
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    body = response.content
    plain = (number, response.status_code, headers, body)
    compressed = compress_string(body)
    if len(compressed) >= len(body):
        return plain, plain
    return plain, (number, response.status_code, {**headers, "Content-Encoding": "gzip"}, compressed)


def _answer(entry):
    _, status, headers, body = entry
    response = HttpResponse(body, status=status, headers=headers)
    response["Content-Length"] = str(len(body))
    return response


def _finish(response, etag, changed_at):
    if response.status_code == 200:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(changed_at)
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def cached_answer(request):
    """A stored answer to an anonymous reader's request, a 304, or None (then the view renders it).

    One round trip to the cache fetches the data version and the answer together; the
    answer is used only if it was made at that version. What was found is kept on the
    request, so the view does not ask again.
    """
    key = _key(request)
    gzipped = _accepts_gzip(request)
    wanted = f"{key}:gz" if gzipped else key
    (number, changed_at), found = versioning.current_with([wanted] if settings.PAGE_CACHE else [])
    request.page_cache_state = key, number, changed_at
    etag = _etag(number, key, gzipped and settings.PAGE_CACHE)
    if request.method in ("GET", "HEAD"):
        not_modified = get_conditional_response(request, etag=etag, last_modified=changed_at)
        if not_modified is not None:
            return not_modified
    cached = found.get(wanted)
    if cached is None or cached[0] != number:
        return None
    return _finish(_answer(cached), etag, changed_at)


def versioned(view):
    """Cache a public view's answers per data version, with ETag and Last-Modified.

    Only anonymous readers share cached answers; signed-in readers get theirs fresh.
    :class:`CachedPageMiddleware` answers most anonymous requests before they get here.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if MESSAGES_COOKIE in request.COOKIES or (
            request.COOKIES.get(settings.SESSION_COOKIE_NAME) and request.user.is_authenticated
        ):
            # A signed-in reader's page may show their own name and forms, and a message
            # waiting for a reader is theirs alone: never shared.
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if getattr(request, "page_cache_state", None) is None:
            answer = cached_answer(request)
            if answer is not None:
                return answer
        key, number, changed_at = request.page_cache_state
        response = view(request, *args, **kwargs)
        gzipped = False
        if settings.PAGE_CACHE and response.status_code in (200, 404) and not response.streaming:
            plain, compressed = _entries(number, response)
            cache.set_many({key: plain, f"{key}:gz": compressed}, CACHE_SECONDS)
            if _accepts_gzip(request):
                response, gzipped = _answer(compressed), True
        return _finish(response, _etag(number, key, gzipped), changed_at)

    wrapper.is_page_cached = True
    return wrapper


@lru_cache(maxsize=4096)
def _is_page_cached(path):
    """Whether a path leads to a view made with :func:`versioned` (the URLconf never changes)."""
    try:
        return getattr(resolve(path).func, "is_page_cached", False)
    except Resolver404:
        return False


class CachedPageMiddleware:
    """Answers anonymous readers from the page cache before sessions, CSRF, auth and messages run.

    It sits after the middleware that add security headers (they still apply) and
    before the ones a cached page does not need. Only views made with
    :func:`versioned` are looked up, and only for requests without a session or
    pending messages (a signed-in reader's page is never shared). If the cache
    cannot be reached, the request goes on as usual (and gets the 503 page from there).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
            and _is_page_cached(request.path_info)
        ):
            try:
                answer = cached_answer(request)
            except UNAVAILABLE:
                request.page_cache_state = None
                answer = None
            if answer is not None:
                return answer
        return self.get_response(request)

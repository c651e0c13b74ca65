"""Public pages cached for anonymous readers, keyed on what changes them.

A cached view declares, with :func:`cached_page`, the scopes it shows (a function of its URL
arguments, see :mod:`results.cache.scopes`) and the query parameters it reads, each with a
function that gives the parameter's canonical text (or None to leave it out). Its entry in the
``pages`` cache is keyed on the code's fingerprint, the path and those parameters only, so
made-up parameters (``?utm=…``) share the one entry; the entry holds the scopes' versions it was
rendered at, and is used only while they are current. A page that a parameter's value makes
non-canonical (a round that does not exist) is answered but not stored (:func:`dont_store`).

On a miss one request renders the page while others asking for it wait briefly for its entry
(single flight through the shared cache, across workers and machines); if it does not arrive in
time they render it themselves. Pages are also rendered again in the background after a change
(:mod:`results.cache.rendering`).
"""

import hashlib
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from results.cache import scopes, versions

CACHE_SECONDS = 24 * 3600  # an entry no request asked for in a day goes
LOCK_SECONDS = 10  # a render that takes longer than this lets another one start
WAIT_SECONDS = 2.0  # how long a request waits for someone else's render
POLL_SECONDS = 0.01
# A page whose only change is in a soft scope (a comment section) is rendered again at most once
# in this many seconds; anonymous readers get the stored page meanwhile (results.cache.scopes).
SOFT_REFRESH_SECONDS = 1
# A page a reader asked for within the hour is "being read": an editor's change renders it ahead
# (results.cache.invalidation.render_before_commit). The mark is read with the page, in the same round
# trip, and written again only once it is half that old: a busy page costs one write in half an hour.
READ_SECONDS = 3600
# An entry rendered ahead of a writer's commit waits in a slot of its own (readers keep the current
# entry until the commit), and is moved into the page's slot after it; this bounds a leftover.
AHEAD_SECONDS = 600
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
MESSAGES_COOKIE = CookieStorage.cookie_name  # messages waiting to be shown


def store():
    return caches[versions.CACHE_ALIAS]


def fragment_keys(named):
    """{name: vary-on} of ``{% cache %}`` fragments, each showing the scopes ``named[name]``: the code's
    version and those scopes' versions now, all read in one cache round trip (a writer rendering ahead
    sees its next ones). Where a version cannot be read the vary-on is one no later render asks for:
    the fragment is drawn, never reused."""
    tokens, _ = versions.current(sorted({scope for names in named.values() for scope in names}))
    keys = {}
    for name, names in named.items():
        values = [tokens[scope] for scope in names]
        keys[name] = ["unversioned", uuid.uuid4().hex] if None in values else [code_version(), *values]
    return keys


def cached_fragments(fragment, vary_ons):
    """Which of ``{name: vary-on}`` the pages cache holds a ``{% cache %}`` fragment ``fragment`` for
    (one round trip)."""
    keys = {name: make_template_fragment_key(fragment, vary_on) for name, vary_on in vary_ons.items()}
    found = store().get_many(list(keys.values()))
    return {name for name, key in keys.items() if key in found}


@lru_cache(maxsize=1)
def code_version():
    """A fingerprint of the code and templates: a deploy never serves pages cached by the previous one."""
    base = Path(settings.BASE_DIR)
    fingerprint = hashlib.sha256()
    for folder in ("templates", "static", "results", "community", "gtws_site"):
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".css", ".js", ".txt", ".svg", ".png"}:
                fingerprint.update(str(path.relative_to(base)).encode())
                fingerprint.update(path.read_bytes())
    # The collected files' names (hashed in production): a page links the names this process read.
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    if manifest.is_file():
        fingerprint.update(manifest.read_bytes())
    return fingerprint.hexdigest()[:8]


@dataclass(frozen=True)
class PageRule:
    scopes: object  # callable(**url kwargs) -> list of scope names
    params: dict  # name -> callable(text) -> canonical text or None

    def key(self, path, query):
        """The entry's key: the path and the canonical values of the parameters the page reads."""
        kept = []
        for name, canonical in sorted(self.params.items()):
            value = query.get(name)
            value = canonical(value) if value is not None else None
            if value is not None:
                kept.append((name, value))
        address = f"{path}?{urlencode(kept)}" if kept else path
        return f"page:{code_version()}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def cached_page(scopes, params=None):
    """Cache a public view's answers for anonymous readers; see the module's docstring.

    ``scopes(**kwargs)``: the scope names the page shows, from its URL arguments.
    ``params``: ``{name: canonical}`` for the query parameters the view reads.
    """
    rule = PageRule(scopes, dict(params or {}))

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not settings.PAGE_CACHE or _is_personal(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                return response
            lookup = getattr(request, "page_lookup", None) or Lookup.of(request, rule, kwargs)
            answer = lookup.answer()
            if answer is not None:
                return answer
            return lookup.render(lambda: view(request, *args, **kwargs))

        wrapper.page_rule = rule
        return wrapper

    return decorator


def dont_store(request):
    """This answer is not to be shared (a parameter's value is not one the page canonically has)."""
    request.page_not_stored = True


def _is_personal(request):
    """A signed-in reader's page may show their name and forms; a waiting message is theirs alone."""
    if MESSAGES_COOKIE in request.COOKIES:
        return True
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME)) and request.user.is_authenticated


def _accepts_gzip(request):
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def read_entry(rule, kwargs, path, query, gzipped):
    """(key, scopes, their current tokens, the stored entry or None, refreshed lately): one round trip.

    A page has two slots: the entry readers were given, and the one a writer rendered ahead of its
    commit at the next versions (:func:`ahead_key`); the entry is whichever fits the versions now.
    """
    key = rule.key(path, query)
    scopes = list(rule.scopes(**kwargs))
    wanted = f"{key}:gz" if gzipped else key
    tokens, found = versions.current(scopes, [wanted, ahead_key(wanted), refresh_key(key), read_key(key)])
    tokens = tuple(tokens[scope] for scope in scopes)
    entry = best_entry(scopes, tokens, found.get(wanted), found.get(ahead_key(wanted)))
    return Entry(key, scopes, tokens, entry, refresh_key(key) in found, found.get(read_key(key)))


@dataclass(frozen=True)
class Entry:
    """What one round trip to the cache tells of a page (see :func:`read_entry`)."""

    key: str
    scopes: list
    tokens: tuple  # the scopes' current versions
    entry: tuple | None  # the stored answer that fits them best
    refreshed_lately: bool  # a request refreshed its soft scopes within the second
    read_at: float | None  # when a reader's visit was last noted (see READ_SECONDS)


def best_entry(names, tokens, *entries):
    """Of the stored entries (the first preferred), one at ``tokens``; else one behind only in soft
    scopes (a comment section, refreshed within a second); else the first."""
    found = [entry for entry in entries if entry is not None]
    for usable in (is_fresh, behind_only_in_soft_scopes):
        for entry in found:
            if usable(names, tokens, entry):
                return entry
    return found[0] if found else None


def is_fresh(names, tokens, entry):
    """Whether ``entry`` was rendered at the current versions ``tokens``."""
    return entry is not None and entry[0] == tokens and None not in tokens


def behind_only_in_soft_scopes(names, tokens, entry):
    """Whether ``entry`` differs from the current versions only in soft scopes (comment sections)."""
    if entry is None or None in tokens or len(entry[0]) != len(tokens):
        return False
    return all(
        old == new or scopes.is_soft(name) for name, old, new in zip(names, entry[0], tokens, strict=True)
    )


class Lookup:
    """One anonymous request's view of the page cache: the key, the current versions, the entry."""

    def __init__(self, request, key, scopes, tokens, entry):
        self.request, self.key, self.scopes, self.tokens, self.entry = request, key, scopes, tokens, entry
        self.gzipped = _accepts_gzip(request)
        self.decided = False
        self.decision = None
        self.refreshed_lately = False  # a request refreshed this page's soft scopes within the second
        self.read_at = None  # when a reader's visit was last noted

    @classmethod
    def of(cls, request, rule, kwargs):
        """One cache round trip: the scopes' versions and the entry (gzipped for browsers that take it)."""
        found = read_entry(rule, kwargs, request.path_info, request.GET, _accepts_gzip(request))
        lookup = cls(request, found.key, found.scopes, found.tokens, found.entry)
        lookup.refreshed_lately, lookup.read_at = found.refreshed_lately, found.read_at
        request.page_lookup = lookup
        return lookup

    @property
    def etag(self):
        digest = hashlib.sha256(f"{self.key}{self.tokens}".encode()).hexdigest()[:20]
        return f'"{digest}{"-gz" if self.gzipped else ""}"'

    @property
    def last_modified(self):
        return max((versions.token_time(token) for token in self.tokens if token), default=0)

    def fresh(self, entry):
        return is_fresh(self.scopes, self.tokens, entry)

    def behind_only_in_soft_scopes(self, entry):
        return behind_only_in_soft_scopes(self.scopes, self.tokens, entry)

    def answer(self):
        """A 304, the stored answer, or None (then the view renders it). Decided once per request."""
        if not self.decided:
            self.decided, self.decision = True, self.decide()
            if self.decision is not None:
                mark_read(self.key, self.read_at)
        return self.decision

    def decide(self):
        if self.request.method in ("GET", "HEAD") and None not in self.tokens:
            not_modified = get_conditional_response(
                self.request, etag=self.etag, last_modified=self.last_modified
            )
            if not_modified is not None:
                return not_modified
        if self.fresh(self.entry):
            return self.finish(_response(self.entry))
        if self.behind_only_in_soft_scopes(self.entry) and (
            self.refreshed_lately or not store().add(refresh_key(self.key), 1, SOFT_REFRESH_SECONDS)
        ):
            # Someone refreshed this page's comment section less than a second ago: the stored
            # page stands until the next refresh (never for racing data: those scopes are hard).
            stale = Lookup(self.request, self.key, self.scopes, self.entry[0], self.entry)
            return stale.finish(_response(self.entry))
        return None

    def render(self, view):
        """Render the page once for everyone asking: wait for another request's render, or do it."""
        lock = lock_key(self.key, self.tokens)
        if None in self.tokens or store().add(lock, 1, LOCK_SECONDS):
            try:
                return self.render_and_store(view)
            finally:
                if None not in self.tokens:
                    store().delete(lock)
        # Wait while the lock is held (a cheap EXISTS, not the page), then read the page once.
        wanted = f"{self.key}:gz" if self.gzipped else self.key
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if not store().has_key(lock):
                entry = store().get(wanted)
                if self.fresh(entry):
                    return self.finish(_response(entry))
                break  # the render ended without storing this page (an error, a 404): render it here
        return self.render_and_store(view)

    def render_and_store(self, view):
        response = view()
        if (
            response.status_code == 200
            and not response.streaming
            and None not in self.tokens
            and not getattr(self.request, "page_not_stored", False)
        ):
            plain, compressed = _entries(self.tokens, response)
            if versions.is_rendering_ahead():
                # Beside the entry readers use now, which stands until the writer's commit.
                entries = {ahead_key(self.key): plain, ahead_key(f"{self.key}:gz"): compressed}
                store().set_many(entries, AHEAD_SECONDS)
            else:
                store().set_many({self.key: plain, f"{self.key}:gz": compressed}, CACHE_SECONDS)
            mark_read(self.key)
            if self.gzipped:
                response = _response(compressed)
            return self.finish(response)
        self.gzipped = False
        return self.finish(response, validators=False)

    def finish(self, response, validators=True):
        if validators and response.status_code == 200 and None not in self.tokens:
            response["ETag"] = self.etag
            response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


_in_background = ContextVar("in_background", default=False)


@contextmanager
def rendering_in_background():
    """Renders within the block are the site's own (ahead of a commit, or the worker's): not reads."""
    reset = _in_background.set(True)
    try:
        yield
    finally:
        _in_background.reset(reset)


def mark_read(key, read_at=None):
    """Note that a reader asked for the page, unless that was noted less than half an hour ago
    (``read_at``, as :func:`read_entry` found it) or the site itself is rendering it."""
    now = time.time()
    if _in_background.get() or (isinstance(read_at, (int, float)) and now - read_at < READ_SECONDS / 2):
        return
    store().set(read_key(key), now, READ_SECONDS)


def ahead_key(key):
    """The slot of an entry rendered ahead of a writer's commit (plain or gzipped ``key``)."""
    return f"{key}:ahead"


def promote(paths):
    """After a writer's commit, move the entries it rendered ahead for ``paths`` into their pages'
    slots (where they are at the versions now), so the next change can render ahead in turn."""
    entries = {}
    for path in paths:
        found = rule_of(path)
        if found is None:
            continue
        rule, kwargs = found
        key = rule.key(path, {})
        names = list(rule.scopes(**kwargs))
        slots = (key, f"{key}:gz")
        now, ahead = versions.current(names, [ahead_key(slot) for slot in slots])
        tokens = tuple(now[name] for name in names)
        for slot in slots:
            entry = ahead.get(ahead_key(slot))
            if is_fresh(names, tokens, entry):
                entries[slot] = entry
    if entries:
        store().set_many(entries, CACHE_SECONDS)
    return len(entries) // 2


def read_key(key):
    """Present while the page is being read (see READ_SECONDS)."""
    return f"{key}:read"


def refresh_key(key):
    """Present while a request refreshed the page's soft scopes less than a second ago."""
    return f"{key}:refreshed"


def lock_key(key, tokens):
    """The single-flight lock of one page at one set of versions."""
    return f"{key}:lock:{hashlib.sha256(str(tokens).encode()).hexdigest()[:12]}"


def _entries(tokens, response):
    """A rendered answer as stored: as it is, and gzipped for browsers that accept it.

    Compressing once when the page is stored spares every later reader's bandwidth (a report
    page: 148 KB → 15 KB). Only pages shared by anonymous readers are stored, so no secret (a
    CSRF token) is ever compressed beside text a reader chose.
    """
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    body = response.content
    plain = (tokens, response.status_code, headers, body)
    compressed = compress_string(body)
    if len(compressed) >= len(body):
        return plain, plain
    return plain, (tokens, response.status_code, {**headers, "Content-Encoding": "gzip"}, compressed)


def _response(entry):
    _, status, headers, body = entry
    response = HttpResponse(body, status=status, headers=headers)
    response["Content-Length"] = str(len(body))
    return response


@lru_cache(maxsize=4096)
def rule_of(path):
    """The :class:`PageRule` and URL arguments of a path, or None (the URLconf never changes)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    rule = getattr(match.func, "page_rule", None)
    return (rule, match.kwargs) if rule is not None else None


def is_cached(path, query=None):
    """Whether an anonymous reader of ``path`` would be answered from the cache now (for the benchmark)."""
    found = rule_of(path)
    if found is None:
        return False
    rule, kwargs = found
    page = read_entry(rule, kwargs, path, query or {}, gzipped=False)
    return is_fresh(page.scopes, page.tokens, page.entry)


def being_read(paths):
    """Those of ``paths`` that readers asked for lately (within READ_SECONDS; the site's own renders
    do not count): what a change renders ahead. One cache round trip, whatever their number; the
    pages themselves are not read."""
    keys = {}
    for path in paths:
        found = rule_of(path)
        if found is not None:
            keys[path] = read_key(found[0].key(path, {}))
    marked = store().get_many(list(keys.values()))
    return [path for path in paths if keys.get(path) in marked]


def is_being_read(path):
    return bool(being_read([path]))


def positive_number(text):
    """The canonical text of a parameter that is a number from 1 (``"07"`` → ``"7"``), or None."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6 or int(text) < 1:
        return None
    return str(int(text))


def race_reference(text):
    """The canonical text of a parameter naming a race: its id (``"012"`` → ``"12"``) or
    ``<round slug>/<race slug>`` (lower case, no outer slashes); None for anything else."""
    text = text.strip().strip("/")
    if text.isascii() and text.isdigit():
        return positive_number(text)
    parts = text.split("/")
    if len(parts) != 2 or len(text) > 201 or not text.isascii():
        return None
    if not all(part and all(c.isalnum() or c in "-_" for c in part) for part in parts):
        return None
    return text.lower()


def iso_date(text):
    """The canonical text of a parameter that is a date, YYYY-MM-DD, or None."""
    try:
        return date.fromisoformat(text.strip()).isoformat() if len(text.strip()) == 10 else None
    except ValueError:
        return None

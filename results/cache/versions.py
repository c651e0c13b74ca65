"""Versions of scopes (see :mod:`results.cache.scopes`), kept in the pages cache.

A version is a token that changes whenever data of its scope changes; a cached page is stored
with the versions of its scopes and used only while they are unchanged. :func:`bump_now` gives
each scope a new token once the writer's transaction has committed
(:mod:`results.cache.invalidation` calls it), so the first request after the commit misses the
cache and renders the new data; a reader that rendered while the write was under way stored its
page under the old token, which is never asked for again.

A token is the time of the change in nanoseconds (plus a counter, for two changes in one
nanosecond), so a page's Last-Modified is read off its tokens. A token that is missing (never
moved, evicted, or the cache restarted) is created afresh: a page stored under a lost token can
only miss, never be served stale.

A writer may render the pages its change touched before it commits (:mod:`results.cache.invalidation`):
it gives the scopes their next tokens in advance (:func:`prepare`), renders under them while only
its own requests see them (:func:`rendering_at`), and after the commit :func:`publish` sets them,
under a short lock, only where nobody moved a scope on in between (elsewhere a fresh token: those
pages go cold, as without rendering ahead). Readers then find the new pages already cached.

If the cache cannot be reached when a bump is due, the scopes are kept in this process and bumped
again with the next bump that succeeds (:func:`retry_lost_bumps`); page entries also expire
after a day, which bounds what a process that dies in between could leave behind.
"""

import itertools
import logging
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import caches

from results.cache.scopes import is_soft

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"  # versions live beside the pages they key
PREFIX = "v:"
_counter = itertools.count()
_lost = set()
_lost_lock = threading.Lock()
PUBLISH_LOCK = "v-lock"  # held while tokens prepared in advance are compared and set
PUBLISH_LOCK_SECONDS = 5  # a publisher that dies holding it lets the others go after this
PUBLISH_WAIT_SECONDS = 2.0
# Tokens given in advance, seen only by the renders of the writer that prepared them.
_rendering_at = ContextVar("rendering_at", default=None)


def _new_token():
    return f"{time.time_ns()}.{next(_counter) % 1000}"


def token_time(token):
    """The Unix time (seconds) a token was made at."""
    return int(str(token).split(".", 1)[0]) // 1_000_000_000


def current(scopes, extra_keys=()):
    """({scope: token}, {key: value}) for ``scopes`` and any other keys, in one cache round trip.

    Scopes without a token get one (``add``, so two processes agree on it).
    """
    store = caches[CACHE_ALIAS]
    keys = [PREFIX + scope for scope in scopes]
    found = store.get_many([*keys, *extra_keys])
    ahead = _rendering_at.get() or {}
    tokens = {}
    for scope, key in zip(scopes, keys, strict=True):
        token = found.pop(key, None)
        if scope in ahead:
            tokens[scope] = ahead[scope]
            continue
        if token is None:
            store.add(key, _new_token(), None)
            token = store.get(key)
        tokens[scope] = token
    return tokens, found


def lapse_at(scope, seconds):
    """Let ``scope``'s current version lapse in ``seconds``: the pages stored under it are never
    served after that (the next reader gets a new version and renders them). For a state that turns
    with the clock, not with a write: a race's start."""
    caches[CACHE_ALIAS].touch(PREFIX + scope, max(1, int(seconds) + 1))


def prepare(scopes):
    """{scope: (its token now, its next token)}: the next versions, given out before they are set.

    Only hard scopes are prepared: a comment section moves on too often to compare (a page rendered
    ahead is then behind only in its comments, which are refreshed within a second).
    """
    tokens, _ = current(sorted({scope for scope in scopes if not is_soft(scope)}))
    return {scope: (token, _new_token()) for scope, token in tokens.items()}


@contextmanager
def rendering_at(prepared):
    """Within the block, this thread's renders see the prepared scopes at their next tokens."""
    reset = _rendering_at.set({scope: new for scope, (_, new) in prepared.items()})
    try:
        yield
    finally:
        _rendering_at.reset(reset)


def scopes_rendered_ahead():
    """The scopes this thread is rendering at their prepared versions (empty outside :func:`rendering_at`)."""
    return frozenset(_rendering_at.get() or ())


def is_rendering_ahead():
    """Whether this thread is rendering at prepared versions (:func:`rendering_at`)."""
    return bool(scopes_rendered_ahead())


def bump_now(scopes):
    """Give ``scopes`` new tokens at once: the pages that show them go cold."""
    publish(scopes, {})


def publish(scopes, prepared):
    """Move ``scopes`` on: to their prepared tokens where nobody moved them since, else to new ones."""
    scopes = sorted(set(scopes))
    if not scopes:
        return
    store = caches[CACHE_ALIAS]
    try:
        if prepared or not all(is_soft(scope) for scope in scopes):
            # Under the lock, so no other writer's bump falls between the comparison and the set.
            with _publishing(store) as locked:
                now = store.get_many([PREFIX + scope for scope in scopes]) if locked and prepared else {}
                store.set_many({PREFIX + s: _next(s, prepared, now) for s in scopes}, None)
        else:  # comment sections only: never prepared, nothing to compare
            store.set_many({PREFIX + scope: _new_token() for scope in scopes}, None)
    except Exception:  # the cache is down: keep them, and try again when it answers
        logger.exception("Could not move on the cache versions of %s; will retry", scopes)
        with _lost_lock:
            _lost.update(scopes)
    else:
        retry_lost_bumps()


def _next(scope, prepared, now):
    """The prepared token if the scope is still at the token it was prepared from, else a new one."""
    if scope in prepared and now.get(PREFIX + scope) == prepared[scope][0]:
        return prepared[scope][1]
    return _new_token()


@contextmanager
def _publishing(store):
    """Hold the publish lock (yields whether it was taken: if not, nothing prepared is used)."""
    deadline = time.monotonic() + PUBLISH_WAIT_SECONDS
    locked = store.add(PUBLISH_LOCK, 1, PUBLISH_LOCK_SECONDS)
    while not locked and time.monotonic() < deadline:
        time.sleep(0.005)
        locked = store.add(PUBLISH_LOCK, 1, PUBLISH_LOCK_SECONDS)
    try:
        yield locked
    finally:
        if locked:
            store.delete(PUBLISH_LOCK)


def retry_lost_bumps():
    """Bump again the scopes whose bump failed while the cache could not be reached."""
    with _lost_lock:
        scopes = sorted(_lost)
        _lost.clear()
    if scopes:
        bump_now(scopes)

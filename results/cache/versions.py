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

If the cache cannot be reached when a bump is due, the scopes are kept in this process and bumped
again with the next bump that succeeds (:func:`retry_lost_bumps`); page entries also expire
after a day, which bounds what a process that dies in between could leave behind.
"""

import itertools
import logging
import threading
import time

from django.core.cache import caches

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"  # versions live beside the pages they key
PREFIX = "v:"
_counter = itertools.count()
_lost = set()
_lost_lock = threading.Lock()


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
    tokens = {}
    for scope, key in zip(scopes, keys, strict=True):
        token = found.pop(key, None)
        if token is None:
            store.add(key, _new_token(), None)
            token = store.get(key)
        tokens[scope] = token
    return tokens, found


def bump_now(scopes):
    scopes = sorted(set(scopes))
    if not scopes:
        return
    try:
        caches[CACHE_ALIAS].set_many({PREFIX + scope: _new_token() for scope in scopes}, None)
    except Exception:  # the cache is down: keep them, and try again when it answers
        logger.exception("Could not move on the cache versions of %s; will retry", scopes)
        with _lost_lock:
            _lost.update(scopes)
    else:
        retry_lost_bumps()


def retry_lost_bumps():
    """Bump again the scopes whose bump failed while the cache could not be reached."""
    with _lost_lock:
        scopes = sorted(_lost)
        _lost.clear()
    if scopes:
        bump_now(scopes)

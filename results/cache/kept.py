"""Data that several pages show, worked out once per version of what it shows and kept beside them.

A competition's scores (every race classified and scored) feed the home page, the standings, the
title race, the season and round pages, the drivers' pages and their API answers; the title race
feeds the standings, its own page and its API answer. After a change every one of those pages is
rendered again (by the writer ahead of its commit, by the task worker, by a reader), and each used
to work the same data out again. Here it is kept in the pages cache under the versions of the
scopes it shows (:func:`results.cache.scopes.of_season`), as a page is kept: the first render after
a change works it out, the others read it.

It follows the page cache's rules. The versions are read before the data, and a change moves them
on only after it commits, so what is kept under a version is never older than that version. A
writer rendering ahead of its commit reads at its prepared versions, which nobody else knows until
they are published (:mod:`results.cache.versions`), and it keeps only what shows one of those.
A thread with changes not yet published (a writer reading after its own writes, other than its
renders ahead) works the data out and keeps nothing, as does every thread while the page cache
is off or cannot be reached.
"""

import hashlib

from django.conf import settings

from results.cache import invalidation, scopes, versions
from results.cache.pages import CACHE_SECONDS, code_version, store


def kept(named, work_out, timeout=CACHE_SECONDS):
    """{name: value} for ``named`` ({name: the scopes its value shows}): the values kept under the
    scopes' current versions, and ``work_out(names)`` ({name: value}) for the others, which are
    then kept. Two cache round trips, a third to keep what was worked out."""
    if not named:
        return {}
    ahead = versions.scopes_rendered_ahead()
    if not settings.PAGE_CACHE or (invalidation.has_unpublished_changes() and not ahead):
        return work_out(list(named))
    tokens, _ = versions.current(sorted({scope for names in named.values() for scope in names}))
    if None in tokens.values():
        return work_out(list(named))
    keys = {name: key_of(name, [tokens[scope] for scope in names]) for name, names in named.items()}
    found = store().get_many(list(keys.values()))
    values = {name: found[key] for name, key in keys.items() if key in found}
    missing = [name for name in named if name not in values]
    if missing:
        worked_out = work_out(missing)
        # Ahead of a commit, only what shows a prepared scope is kept: nobody else finds it before
        # the commit publishes those versions (other values may show the writer's changes too).
        keep = [name for name in missing if not ahead or ahead & set(named[name])]
        if keep:
            store().set_many({keys[name]: worked_out[name] for name in keep}, timeout)
        values.update(worked_out)
    return values


def key_of(name, tokens):
    digest = hashlib.sha256(f"{name}|{'|'.join(tokens)}".encode()).hexdigest()[:32]
    return f"kept:{code_version()}:{digest}"


def kept_under_seasons(named, work_out):
    """:func:`kept` for data of one season each ({name: year}): kept under the season's scopes."""
    return kept({name: scopes.of_season(year) for name, year in named.items()}, work_out)

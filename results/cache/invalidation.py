"""What a write changed, turned into the scopes whose pages go cold, and the pages to render again.

The write side (:mod:`results.write`, community's signals) calls these functions with what it
changed; they may be called many times in one transaction: the scopes are gathered and moved
on once, after the commit, and the pages they touched are queued for rendering in the background
(:mod:`results.cache.rendering`). Nothing here runs a query before the commit but the one that
tells whether a season is the newest and which reports a season has.
"""

import threading

from django.db.transaction import on_commit
from django.dispatch import Signal

from results.cache import scopes, versions

# Sent with the scopes (and race ids) each time a change is marked: tests check every write marks.
changes_marked = Signal()

_local = threading.local()


def _mark(names=(), races=(), seasons=(), shared=False):
    """Gather what changed; it is flushed once after the commit (at once outside a transaction).

    Every mark registers the flush with ``on_commit``; the first flush of a commit takes all that
    was gathered, the others find nothing left. What a rolled-back transaction gathered is flushed
    with the next commit: a page made cold for nothing, never a change missed.
    """
    changes_marked.send(
        sender=None, scopes=frozenset(names), races=frozenset(races), seasons=frozenset(seasons)
    )
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {"scopes": set(), "races": set(), "seasons": set(), "shared": False}
    pending["scopes"].update(names)
    pending["races"].update(races)
    pending["seasons"].update(int(year) for year in seasons if year is not None)
    pending["shared"] = pending["shared"] or shared
    on_commit(_flush)


def _flush():
    pending = getattr(_local, "pending", None)
    _local.pending = None
    if not pending:
        return
    names = set(pending["scopes"])
    seasons = pending["seasons"]
    if pending["shared"]:
        names |= {scopes.RACING, scopes.LATEST, scopes.ARCHIVE}
    if seasons:
        from results.models import RaceReport, Season

        names |= {scopes.season(year) for year in seasons} | {scopes.ARCHIVE}
        latest = Season.objects.latest_year()
        if latest is None or max(seasons) >= latest:
            names.add(scopes.LATEST)
        names |= {scopes.report(slug) for slug in RaceReport.objects.slugs_of_seasons(seasons)}
    versions.bump_now(names)
    if pending["races"] or seasons or pending["shared"]:
        from results.cache import rendering

        rendering.after_change(sorted(pending["races"]), sorted(seasons))


def racing_changed(*, seasons=(), races=(), shared=False):
    """Racing data changed: of these ``seasons`` (years); ``races``, ids of races whose pages
    changed; ``shared``, rows every season shows (a driver, track, team, car, the list of seasons).
    """
    _mark(races=races, seasons=seasons, shared=shared)


def reports_changed(slugs):
    """These reports (their text, publication or races) changed."""
    _mark({scopes.REPORTS, *(scopes.report(slug) for slug in slugs)})


def comments_changed(slugs):
    """The comment sections under these reports changed (a comment, or a name shown beside one)."""
    if slugs:
        _mark({scopes.comments(slug) for slug in slugs})


def forget_pending():
    """Drop what was gathered and not yet flushed (a test whose transaction never commits)."""
    _local.pending = None

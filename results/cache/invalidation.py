"""What a write changed, turned into the scopes whose pages go cold, and the pages to render again.

The write side (:mod:`results.write`, community's signals) calls these functions with what it
changed; they may be called many times in one transaction: the scopes are gathered and moved
on once, after the commit, and the pages they touched are queued for rendering in the background
(:mod:`results.cache.rendering`). Nothing here runs a query before the commit but the one that
tells whether a season is the newest and which reports a season has.
"""

import logging
import threading

from django.conf import settings
from django.db.transaction import on_commit
from django.dispatch import Signal

from results.cache import scopes, versions

# Sent with the scopes (and race ids) each time a change is marked: tests check every write marks.
changes_marked = Signal()

logger = logging.getLogger(__name__)

_local = threading.local()


def _mark(names=(), races=(), seasons=(), shared=False, frames=()):
    """Gather what changed; it is flushed once after the commit (at once outside a transaction).

    Every mark registers the flush with ``on_commit``; the first flush of a commit takes all that
    was gathered, the others find nothing left. What a rolled-back transaction gathered is flushed
    with the next commit: a page made cold for nothing, never a change missed.
    """
    changes_marked.send(
        sender=None,
        scopes=frozenset(names),
        races=frozenset(races),
        seasons=frozenset(seasons),
        frames=frozenset(frames),
    )
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {
            "scopes": set(),
            "races": set(),
            "seasons": set(),
            "frames": set(),
            "shared": False,
        }
    pending["scopes"].update(names)
    pending["races"].update(races)
    pending["seasons"].update(int(year) for year in seasons if year is not None)
    pending["frames"].update(int(year) for year in frames if year is not None)
    pending["shared"] = pending["shared"] or shared
    # Pages rendered ahead before this mark do not show this change. This also drops what a
    # transaction that rolled back rendered ahead: the next commit is announced by a mark.
    pending["prepared"], pending["ahead"] = {}, []
    on_commit(_flush)


def _pending():
    return getattr(_local, "pending", None)


def has_unpublished_changes():
    """Whether this thread marked changes whose versions have not moved on yet (its transaction has
    not committed, or rolled back and awaits the next commit)."""
    return bool(_pending())


def _scopes_of(pending):
    names = set(pending["scopes"]) | {scopes.race(pk) for pk in pending["races"] if pk is not None}
    names |= {scopes.frame(year) for year in pending["frames"]}
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
    return names


def render_before_commit():
    """Render the pages the transaction's changes touch that readers are reading, before it commits.

    Called last inside a writer's transaction (:func:`results.write.changes.racing_change`): the
    renders read the uncommitted rows through the writer's own connection and are stored under the
    scopes' next versions, which no one else knows yet; the commit's flush publishes those versions,
    so readers after the commit find the new pages cached instead of waiting for them.
    """
    pending = _pending()
    if not pending or not settings.PAGE_CACHE or not settings.PAGE_RENDER_BEFORE_COMMIT:
        return
    if not (pending["races"] or pending["seasons"]):
        return  # a shared row (a driver renamed) makes every racing page cold: left to the readers
    from results.cache import rendering

    paths = rendering.paths_ahead(sorted(pending["races"]), sorted(pending["seasons"]))
    prepared = versions.prepare(_scopes_of(pending))
    if not paths or any(now is None for now, _ in prepared.values()):
        return  # nobody is reading them, or the page cache cannot be reached
    with versions.rendering_at(prepared):
        rendering.render(paths)
    pending["prepared"], pending["ahead"] = prepared, paths


def _flush():
    pending = _pending()
    _local.pending = None
    if not pending:
        return
    names = _scopes_of(pending)
    seasons = pending["seasons"]
    versions.publish(names, pending["prepared"])
    if pending["prepared"]:
        from results.cache import pages

        try:
            pages.promote(pending["ahead"])
        except Exception:  # committed and published; the pages rendered ahead are still found
            logger.exception("Could not move the pages rendered ahead into place")
    if pending["races"] or seasons or pending["shared"]:
        from results.cache import rendering

        rendering.after_change(sorted(pending["races"]), sorted(seasons))


def racing_changed(*, seasons=(), races=(), shared=False, frames=None):
    """Racing data changed: of these ``seasons`` (years); ``races``, ids of races whose pages
    changed; ``shared``, rows every season shows (a driver, track, team, car, the list of seasons);
    ``frames``, the seasons whose frame changed (their competitions, rounds, races as rows: every
    race table of the season follows); by default every season named, as only a change of race
    sheets alone may leave the other races' tables standing.
    """
    frames = seasons if frames is None else frames
    _mark(races=races, seasons=seasons, shared=shared, frames=frames)


def reports_changed(slugs):
    """These reports (their text, publication or races) changed."""
    _mark({scopes.REPORTS, *(scopes.report(slug) for slug in slugs)})


def comments_changed(slugs):
    """The comment sections under these reports changed (a comment, or a name shown beside one)."""
    if slugs:
        _mark({scopes.comments(slug) for slug in slugs})


def predictions_changed(years):
    """The predictions game's public parts of these seasons changed (picks were scored)."""
    if years:
        _mark({scopes.predictions(year) for year in years} | {scopes.ALL_PREDICTIONS})


def fans_changed(pks):
    """What these fans' public pages show of their accounts changed (a name, a nation, the account)."""
    if pks:
        _mark({scopes.fan(pk) for pk in pks})


def forget_pending():
    """Drop what was gathered and not yet flushed (a test whose transaction never commits)."""
    _local.pending = None

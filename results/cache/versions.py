"""One number that moves on whenever racing data changes.

Pages and API answers are cached with it, and their ETags carry it, so an
editor's save, an import or a fixed result shows on the very next request. The
bump happens inside the writer's transaction: readers see the new number and
the new rows together, or neither.

The shared cache keeps a copy of the number so that a cached page costs one
cache round trip: a bump deletes the copy at once and writes the new number
once the transaction has committed; a reader that finds no copy reads the
database and adds it only if no newer one arrived meanwhile.
"""

import threading
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from results.models import DataVersion

_local = threading.local()


CACHE_KEY = "data-version"


def current():
    """The current :class:`~results.models.DataVersion` (one query)."""
    version = DataVersion.objects.filter(pk=1).first()
    return version or DataVersion(pk=1, number=0, changed_at=timezone.now())


def _stamp(version):
    return (version.number, int(version.changed_at.timestamp()))


def current_with(keys):
    """The version as (number, changed-at seconds) and the cached values of ``keys``: one round trip."""
    found = cache.get_many([CACHE_KEY, *keys])
    stamp = found.pop(CACHE_KEY, None)
    if stamp is None:
        stamp = _stamp(current())
        cache.add(CACHE_KEY, stamp, None)
    return stamp, found


def _publish():
    cache.set(CACHE_KEY, _stamp(current()), None)


def bump():
    """Move the version on, unless a batch is under way (it bumps once at its end)."""
    if getattr(_local, "depth", 0):
        _local.dirty = True
        return
    updated = DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": timezone.now()})
    cache.delete(CACHE_KEY)
    transaction.on_commit(_publish)


@contextmanager
def batch():
    """Many writes, one bump: for importers and bulk operations."""
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1
        if not _local.depth and getattr(_local, "dirty", False):
            _local.dirty = False
            bump()

"""One number that moves on whenever racing data changes.

Pages and API answers are cached under keys that include it, and their ETags
carry it, so an editor's save, an import or a fixed result shows on the very
next request. The bump happens inside the writer's transaction: readers see the
new number and the new rows together, or neither.
"""

import threading
from contextlib import contextmanager

from django.db.models import F
from django.utils import timezone

from .models import DataVersion

_local = threading.local()


def current():
    """The current :class:`~results.models.DataVersion` (one query)."""
    version = DataVersion.objects.filter(pk=1).first()
    return version or DataVersion(pk=1, number=0, changed_at=timezone.now())


def bump():
    """Move the version on, unless a batch is under way (it bumps once at its end)."""
    if getattr(_local, "depth", 0):
        _local.dirty = True
        return
    updated = DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": timezone.now()})


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

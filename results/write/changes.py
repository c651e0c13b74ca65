"""The transaction of a racing change: the pages it touched are rendered before it commits.

Every write path that editors use (the admin's saves, deletes and actions, the paste, the season
import, the grid from an earlier race) runs in :func:`racing_change`. The rows it writes are
marked for the page cache as they are written (:mod:`results.write.signals`); at the end of the
transaction, before the commit, the most read pages those marks touch are rendered through the
writer's own connection (:func:`results.cache.invalidation.render_before_commit`), so after the
commit readers find them cached instead of waiting for a render. A write outside it is still
marked, and its pages go cold after the commit.
"""

from contextlib import contextmanager

from django.db import transaction

from results.cache.invalidation import render_before_commit


@contextmanager
def racing_change(using=None):
    """Run the block in a transaction whose touched pages are rendered just before it commits.

    Inside another transaction it is a savepoint only: the outer transaction may still write or
    roll back, so nothing is rendered ahead (its pages go cold after its commit, as usual).
    """
    if transaction.get_connection(using).in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    with transaction.atomic(using=using):
        yield
        render_before_commit()

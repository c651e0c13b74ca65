"""Per-user limits counted in the shared cache, so they hold across processes and machines."""

from contextlib import suppress
from time import time as clock

from django.core.cache import cache


def allow(scope, ident, limits):
    """Count one action; False, counting nothing, once any (count, seconds) window in ``limits`` is full.

    Each window is counted first (the cache's increment is atomic in Redis and local memory) and
    checked after: of parallel requests racing for the last place, one gets it. A refused action
    takes its counts back.
    """
    now = int(clock())
    counted = []
    for count, seconds in limits:
        key = f"rl:{scope}:{ident}:{seconds}:{now // seconds}"
        cache.add(key, 0, seconds + 5)
        try:
            total = cache.incr(key)
        except ValueError:  # expired between the two calls: a new window
            cache.set(key, 1, seconds + 5)
            total = 1
        counted.append(key)
        if total > count:
            for key in counted:
                with suppress(ValueError):  # expired meanwhile: nothing to take back
                    cache.decr(key)
            return False
    return True

"""Per-user limits counted in the shared cache, so they hold across processes and machines."""

from time import time as clock

from django.core.cache import cache


def allow(scope, ident, limits):
    """Count one action; False once any (count, seconds) window in ``limits`` is full."""
    now = int(clock())
    keys = []
    for count, seconds in limits:
        key = f"rl:{scope}:{ident}:{seconds}:{now // seconds}"
        cache.add(key, 0, seconds + 5)
        if cache.get(key, 0) >= count:
            return False
        keys.append((key, seconds))
    for key, seconds in keys:
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, seconds + 5)
    return True

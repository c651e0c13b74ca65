"""A cache that keeps answering when its primary store cannot be reached.

``FallbackCache`` hands every operation to a primary cache (Redis) and, when that raises a
connection error, to a fallback (the database cache for rate limits; a dummy cache for pages,
which then are rendered from the database). After a failure the primary is left alone for a
few seconds, so an unreachable Redis costs one timeout per process and pause, not one per call.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover — redis is a dependency
    RedisConnectionError = RedisTimeoutError = OSError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
PAUSE_SECONDS = 5


class FallbackCache(BaseCache):
    """``OPTIONS = {"PRIMARY": alias, "FALLBACK": alias}``; ``PAUSE`` seconds after a failure."""

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS", {}))
        self.primary_alias = options.pop("PRIMARY")
        self.fallback_alias = options.pop("FALLBACK")
        self.pause = float(options.pop("PAUSE", PAUSE_SECONDS))
        super().__init__({**params, "OPTIONS": options})
        self.down_until = 0.0
        self.lock = threading.Lock()

    def is_primary_down(self):
        return time.monotonic() < self.down_until

    def call(self, method, *args, **kwargs):
        if not self.is_primary_down():
            try:
                return getattr(caches[self.primary_alias], method)(*args, **kwargs)
            except UNREACHABLE as error:
                with self.lock:
                    if not self.is_primary_down():
                        logger.error(
                            "Cache %r unreachable (%s); using %r for %ss",
                            self.primary_alias,
                            error,
                            self.fallback_alias,
                            self.pause,
                        )
                    self.down_until = time.monotonic() + self.pause
        return getattr(caches[self.fallback_alias], method)(*args, **kwargs)

    # BaseCache's interface, each operation handed on.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self.call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self.call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self.call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self.call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self.call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self.call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self.call("incr", key, delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self.call("decr", key, delta, version=version)

    def clear(self):
        return self.call("clear")

    def close(self, **kwargs):
        for alias in (self.primary_alias, self.fallback_alias):
            caches[alias].close(**kwargs)

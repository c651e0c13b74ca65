"""Django's Redis cache, reusing one client per connection pool.

Django's backend builds a new ``redis.Redis`` for every cache operation, and
redis-py builds its table of response callbacks in each constructor: about a
sixth of a millisecond per cached page here. A ``redis.Redis`` is thread-safe and
draws its connections from the pool, so one per pool serves every request.
Keys are not checked for memcached's limits, which do not apply to Redis.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = super().get_client(key, write=write)
        return clients[index]


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key):
        """Redis takes any key; Django's check for keys memcached would refuse is skipped."""

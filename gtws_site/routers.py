"""Where the database cache's tables live: the ``cache`` database (see settings).

With SQLite that is a file of its own: SQLite locks a whole file for writing, so a reader storing a
page (or marking it read) would otherwise wait for an editor's transaction to end. Elsewhere the
``cache`` alias is the same database as ``default``, reached over a connection of its own.
"""

CACHE_APP = "django_cache"  # the app label of Django's database cache tables
CACHE_ALIAS = "cache"


class CacheRouter:
    def db_for_read(self, model, **hints):
        return CACHE_ALIAS if model._meta.app_label == CACHE_APP else None

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == CACHE_APP:
            return db == CACHE_ALIAS
        return False if db == CACHE_ALIAS else None

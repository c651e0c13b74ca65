from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = "Racing results"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from results.editors import ensure_editors_group

        post_migrate.connect(ensure_editors_group, sender=self, dispatch_uid="results-editors-group")
        from results.read.search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="results-sqlite-unaccent")
        from results.cache.kept import kept_under_seasons
        from results.read.loaders import keep_season_data_with
        from results.write import signals  # noqa: F401 — every write marks what it changed

        keep_season_data_with(kept_under_seasons)  # a season's scores, worked out once per change

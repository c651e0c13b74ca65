from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            signals,  # noqa: F401 — profiles for new users; fresh pages after comments
            twofactor,  # noqa: F401 — a session remembers a second factor given
        )
        from .moderators import ensure_moderators_group
        from .scoring import connect as score_picks_after_changes

        score_picks_after_changes()

        post_migrate.connect(ensure_moderators_group, sender=self, dispatch_uid="community-moderators-group")

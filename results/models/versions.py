from django.db import models
from django.utils import timezone


class DataVersion(models.Model):
    """A counter that every change to racing data moves on; caches and ETags are keyed on it."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Racing data version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

"""Race reports: the editors' words about a round, linked to its races."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from results.models.base import MarkingQuerySet
from results.models.calendar import Race, Round


class RaceReportQuerySet(MarkingQuerySet):
    def published(self, now=None):
        """Reports fans may read: published, and not dated in the future (after ``now``, default: now)."""
        return self.filter(is_published=True, published_at__lte=now or timezone.now())

    def with_round(self):
        """With the round and its season, which a report's page and links name."""
        return self.select_related("round__season")

    def slugs_of_seasons(self, years):
        """The slugs of every report of the seasons of these years."""
        return self.filter(round__season__year__in=years).values_list("slug", flat=True)

    def of_rounds(self, round_ids):
        """The reports of these rounds."""
        return self.filter(round__in=round_ids)

    def headlines(self):
        """Published reports with their titles and slugs only: enough to link to them.

        The round is kept too: a round's ``reports`` manager sets it on each report it reads.
        """
        return self.published().only("round", "title", "slug")


class RaceReport(models.Model):
    """An editorial article about a round and its races."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    races = models.ManyToManyField(Race, related_name="reports", blank=True)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    author = models.CharField(max_length=100, blank=True)
    standfirst = models.TextField(blank=True, help_text="The short introduction shown under the title.")
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RaceReportQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="racereport_published_has_time",
                violation_error_message="A published report needs its publication time.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("results:report", args=[self.slug])

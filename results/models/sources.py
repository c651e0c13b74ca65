"""Where a race's facts come from: its sources, how certain each row is, and values sources disagree on."""

from django.db import models
from django.db.models import Q

from results.models.base import MarkingQuerySet
from results.models.calendar import Race
from results.rules.limits import LONG_NAME_LENGTH, NAME_LENGTH, NOTE_LENGTH


class Certainty(models.TextChoices):
    """How a row is known: as a source states it (the default), worked out, or from the official results."""

    STATED = "stated", "Stated by a source"
    INFERRED = "inferred", "Inferred"
    OFFICIAL = "official", "Official"


class CertainRow(models.Model):
    """A row of a race sheet with its certainty; an inferred row says how it was worked out."""

    certainty = models.CharField(max_length=8, choices=Certainty, default=Certainty.STATED)
    reasoning = models.CharField(
        max_length=NOTE_LENGTH,
        blank=True,
        help_text="How an inferred value was worked out, e.g. “from the points totals after Round 3”.",
    )

    class Meta:
        abstract = True

    @property
    def is_inferred(self):
        return self.certainty == Certainty.INFERRED


def inferred_has_reasoning(model_name):
    """The constraint of a CertainRow model: an inferred row says how it was worked out."""
    return models.CheckConstraint(
        condition=~Q(certainty=Certainty.INFERRED) | ~Q(reasoning=""),
        name=f"{model_name}_inferred_has_reasoning",
        violation_error_message="An inferred row says how it was worked out: fill in the reasoning.",
    )


class SourceQuerySet(MarkingQuerySet):
    def in_order(self):
        return self.order_by("published_on", "publisher", "pk")


class Source(models.Model):
    """A publication a race's facts come from, and which of them it covers."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="sources")
    publisher = models.CharField(max_length=NAME_LENGTH, help_text="For example “gran-turismo.com”.")
    url = models.URLField("address", max_length=500, blank=True)
    published_on = models.DateField("date", null=True, blank=True)
    covers_classification = models.BooleanField("classification", default=True)
    covers_grid = models.BooleanField("grid", default=False)
    covers_strategies = models.BooleanField("strategies", default=False)
    covers_penalties = models.BooleanField("penalties", default=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", "published_on", "publisher", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(covers_classification=True)
                | Q(covers_grid=True)
                | Q(covers_strategies=True)
                | Q(covers_penalties=True),
                name="source_covers_something",
                violation_error_message="Tick what the source covers: classification, grid, strategies "
                "or penalties.",
            ),
        ]

    COVERS = {
        "covers_classification": "classification",
        "covers_grid": "grid",
        "covers_strategies": "strategies",
        "covers_penalties": "penalties",
    }

    def __str__(self):
        return f"{self.publisher} ({', '.join(self.covers)})"

    @property
    def covers(self):
        return [name for attname, name in self.COVERS.items() if getattr(self, attname)]


class ConflictingValue(models.Model):
    """A value a source gives that the site did not choose (a lap count, a date, a grid order)."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="conflicts")
    what = models.CharField(
        max_length=LONG_NAME_LENGTH,
        help_text="What the sources disagree on, e.g. “Laps” or “Serrano's grid place”.",
    )
    chosen = models.CharField(
        "value shown",
        max_length=NOTE_LENGTH,
        help_text="The value the site shows, as the page should name it.",
    )
    value = models.CharField("other value", max_length=NOTE_LENGTH)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        related_name="conflicts",
        null=True,
        blank=True,
        help_text="The source that gives the other value (one of this race's sources).",
    )
    note = models.CharField(max_length=NOTE_LENGTH, blank=True, help_text="Why the shown value was chosen.")

    objects = MarkingQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", "pk"]

    def __str__(self):
        return f"{self.what}: {self.value}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.source_id and self.race_id and self.source.race_id != self.race_id:
            raise ValidationError({"source": f"“{self.source.publisher}” is a source of another race."})

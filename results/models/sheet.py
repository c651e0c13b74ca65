"""A race sheet: what one driver did in one race (grid slot, result, stints, stops, penalties, incidents)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from results.models.base import MarkingQuerySet
from results.models.calendar import Race
from results.models.entrants import Car, Driver, Team
from results.models.history import history
from results.models.sources import CertainRow, inferred_has_reasoning
from results.rules.classification import place_words
from results.rules.codes import COMPOUNDS, STATUSES, UNCLASSIFIED_STATUSES
from results.rules.gaps import GapError, parse_gap, parse_time
from results.rules.limits import MAX_FIELD_SIZE, MAX_LAPS, NOTE_LENGTH, TIME_LENGTH

Compound = models.TextChoices("Compound", [(name.upper(), (code, name)) for code, name in COMPOUNDS.items()])
Compound.__doc__ = "Tyre compounds, as the rules name them."

ResultStatus = models.TextChoices(
    "ResultStatus", [(code.upper(), (code, name)) for code, name in STATUSES.items()]
)
ResultStatus.__doc__ = "How an entry ended its race."


class RaceRowQuerySet(MarkingQuerySet):
    """Rows that describe one driver in one race."""

    def with_driver(self):
        """With the driver each row names."""
        return self.select_related("driver")


class GridSlot(CertainRow):
    """A driver's starting position and starting tyres in a race."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="grid_slots")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="grid_slots")

    position = models.PositiveSmallIntegerField()
    compound = models.CharField("starting compound", max_length=2, choices=Compound, blank=True)

    objects = RaceRowQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["race_id", "position"]
        constraints = [
            inferred_has_reasoning("gridslot"),
            models.UniqueConstraint(
                fields=["race", "position"],
                name="gridslot_unique_race_position",
                violation_error_message="Two drivers cannot start from the same grid slot.",
            ),
            models.UniqueConstraint(
                fields=["race", "driver"],
                name="gridslot_unique_race_driver",
                violation_error_message="A driver has one grid slot per race.",
            ),
            models.CheckConstraint(
                condition=Q(position__range=(1, MAX_FIELD_SIZE)),
                name="gridslot_position_in_range",
                violation_error_message=f"Grid slots run from 1 to {MAX_FIELD_SIZE}.",
            ),
        ]

    def __str__(self):
        return f"P{self.position} {self.driver}"


# The columns of a result that standings read, as :meth:`ResultQuerySet.scored` and the history of
# results (results.models.history) give them.
SCORED_FIELDS = (
    *("race_id", "driver_id", "team_id", "position", "place_unknown", "place_from", "place_to"),
    *("status", "laps", "gap", "time", "points"),
)


def scored_columns():
    """The race's and driver's columns each scored result row carries."""
    return {
        "competition_id": F("race__competition_id"),
        "round_number": F("race__round__number"),
        "round_slug": F("race__round__slug"),
        "round_name": F("race__round__name"),
        "race_number": F("race__number"),
        "race_name": F("race__name"),
        "race_slug": F("race__slug"),
        "points_scale": F("race__points_scale"),
        "points_multiplier": F("race__points_multiplier"),
        "race_is_complete": F("race__is_complete"),
        "driver_name": F("driver__name"),
        "driver_slug": F("driver__slug"),
        "nation": F("driver__nation"),
        "team_name": F("team__name"),
        "team_slug": F("team__slug"),
    }


class ResultQuerySet(RaceRowQuerySet):
    def for_table(self):
        """With the driver, team and car a results table names."""
        return self.select_related("driver", "team", "car__manufacturer")

    def scored(self, competition_ids):
        """Every result of these competitions, race by race, as named rows with what standings need.

        Standings read every result of a season, so the rows are named tuples, not model
        instances: the rules need a handful of fields from each, and the race's own columns
        (points scale, round) come on each of its rows.
        """
        columns = scored_columns()
        fields = ("pk", *SCORED_FIELDS)
        return (
            self.filter(race__competition_id__in=competition_ids)
            .annotate(**columns)
            .order_by("round_number", "race_number", "race_id", "position", "pk")
            .values_list("id", *fields, *columns, named=True)
        )


class Result(CertainRow):
    """A driver's finishing position, laps, time or gap, status and points in a race."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="results")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="results")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="results", null=True, blank=True)
    car = models.ForeignKey(
        Car,
        on_delete=models.PROTECT,
        related_name="results",
        null=True,
        blank=True,
        help_text="Only where cars differ per entry; otherwise the race's car.",
    )
    position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Leave blank for an entry that is not classified, or whose place was not published.",
    )
    place_unknown = models.BooleanField(
        "classified, place not published",
        default=False,
        help_text="Tick for a finisher the source lists without a place (outside the points); "
        "leave the position blank and give the band the place lies in, where known.",
    )
    place_from = models.PositiveSmallIntegerField(
        "place from",
        null=True,
        blank=True,
        help_text="Where the place was not published: the highest place it can be (7 for 7th–12th).",
    )
    place_to = models.PositiveSmallIntegerField(
        "place to",
        null=True,
        blank=True,
        help_text="The lowest place it can be (12 for 7th–12th); blank for “7th or lower”.",
    )
    laps = models.PositiveSmallIntegerField("laps completed", null=True, blank=True)
    time = models.CharField(
        "race time",
        max_length=TIME_LENGTH,
        blank=True,
        help_text="Total race time, usually the winner's only: 1:02:03.456.",
    )
    gap = models.CharField(
        max_length=TIME_LENGTH,
        blank=True,
        help_text="As published: +1.0684, + 43.476, +1:05.950, +1 lap, N/A.",
    )
    gap_seconds = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True, editable=False)
    gap_laps = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=8, choices=ResultStatus, default=ResultStatus.FINISHED)
    reason = models.CharField(
        max_length=NOTE_LENGTH, blank=True, help_text="Why a driver retired or was disqualified."
    )
    points = models.PositiveSmallIntegerField(
        "points set by hand",
        null=True,
        blank=True,
        help_text="Leave blank to use the race's points scale; fill in only for a stewards' decision.",
    )

    objects = ResultQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["race_id", F("position").asc(nulls_last=True), "pk"]
        constraints = [
            inferred_has_reasoning("result"),
            models.UniqueConstraint(
                fields=["race", "position"],
                name="result_unique_race_position",
                violation_error_message="Two results of a race cannot share a finishing position.",
            ),
            models.UniqueConstraint(
                fields=["race", "driver"],
                name="result_unique_race_driver",
                violation_error_message="A driver has one result per race.",
            ),
            models.CheckConstraint(
                condition=Q(position__range=(1, MAX_FIELD_SIZE)) | Q(position__isnull=True),
                name="result_position_in_range",
                violation_error_message=f"Finishing positions run from 1 to {MAX_FIELD_SIZE}.",
            ),
            models.CheckConstraint(
                condition=Q(laps__range=(0, MAX_LAPS)) | Q(laps__isnull=True),
                name="result_laps_in_range",
                violation_error_message=f"Laps completed run from 0 to {MAX_LAPS}.",
            ),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | ~Q(status__in=sorted(UNCLASSIFIED_STATUSES)),
                name="result_unclassified_has_no_position",
                violation_error_message="A driver who did not start, was disqualified or was not "
                "classified has no finishing position.",
            ),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(place_unknown=False),
                name="result_place_published_or_unknown",
                violation_error_message="A result has a published position or an unpublished place, "
                "not both: leave the position blank for a place not published.",
            ),
            models.CheckConstraint(
                condition=Q(place_unknown=False) | ~Q(status__in=sorted(UNCLASSIFIED_STATUSES)),
                name="result_unknown_place_is_classified",
                violation_error_message="A place not published is a classified driver's: a driver who "
                "did not start, was disqualified or was not classified has no place.",
            ),
            models.CheckConstraint(
                condition=Q(place_unknown=True) | (Q(place_from__isnull=True) & Q(place_to__isnull=True)),
                name="result_place_band_only_when_unknown",
                violation_error_message="A band of places is given only for a place not published.",
            ),
            models.CheckConstraint(
                condition=(Q(place_from__range=(1, MAX_FIELD_SIZE)) | Q(place_from__isnull=True))
                & (Q(place_to__range=(1, MAX_FIELD_SIZE)) | Q(place_to__isnull=True)),
                name="result_place_band_in_range",
                violation_error_message=f"Places run from 1 to {MAX_FIELD_SIZE}.",
            ),
            models.CheckConstraint(
                condition=Q(place_to__isnull=True)
                | (Q(place_from__isnull=False) & Q(place_from__lte=F("place_to"))),
                name="result_place_band_ordered",
                violation_error_message="A band of places runs from a place to the same or a lower one "
                "(7 to 12); give its first place.",
            ),
            models.CheckConstraint(
                condition=Q(gap_seconds__isnull=True) | Q(gap_laps__isnull=True),
                name="result_gap_in_time_or_laps",
                violation_error_message="A gap is either a time or a number of laps, not both.",
            ),
        ]

    def __str__(self):
        if self.position:
            place = f"P{self.position}"
        elif self.place_unknown:
            place = place_words(self.place_from, self.place_to)
        else:
            place = self.get_status_display()
        return f"{place} {self.driver}"

    def save(self, *args, **kwargs):
        self.sort_gap()  # the sortable gap always follows the gap as published
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.race_id and self.driver_id:
            seat = CrewMember.objects.filter(race_id=self.race_id, driver_id=self.driver_id)
            seat = seat.exclude(result_id=self.pk).select_related("driver", "result__driver").first()
            if seat is not None:
                errors["driver"] = (
                    f"{seat.driver} already drives in this race, in the crew of {seat.result.driver}; "
                    "a driver is in one entry per race."
                )
        try:
            parse_gap(self.gap)
        except GapError as error:
            errors["gap"] = str(error)
        if self.time:
            try:
                parse_time(self.time)
            except GapError as error:
                errors["time"] = str(error)
        if errors:
            raise ValidationError(errors)

    def sort_gap(self):
        """Set the sortable gap from the gap as published (``bulk_create`` skips :meth:`save`)."""
        parsed = parse_gap(self.gap)
        self.gap_seconds, self.gap_laps = parsed.seconds, parsed.laps
        return self


class CrewMemberQuerySet(RaceRowQuerySet):
    def of_competitions(self, competition_ids):
        """(result_id, driver_id, name, slug, nation) of these competitions' crews, in crew order."""
        return (
            self.filter(race__competition_id__in=competition_ids)
            .order_by("result_id", "order")
            .values_list(
                "result_id", "driver_id", "driver__name", "driver__slug", "driver__nation", named=True
            )
        )


class CrewMember(models.Model):
    """A driver who shared an entry's car (a relay): the entry's first driver is its result's driver."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="crew_members")
    result = models.ForeignKey(
        Result,
        on_delete=models.CASCADE,
        related_name="crew",
        verbose_name="entry",
        help_text="The car shared.",
    )
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="crew_seats")
    order = models.PositiveSmallIntegerField(
        default=2, help_text="2 for the entry's second driver, 3 for its third (the result's driver is 1st)."
    )

    objects = CrewMemberQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", "result_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["race", "driver"],
                name="crewmember_unique_race_driver",
                violation_error_message="A driver is in one crew per race.",
            ),
            models.UniqueConstraint(
                fields=["result", "order"],
                name="crewmember_unique_result_order",
                violation_error_message="Two drivers of a crew cannot share a place in its order.",
            ),
            models.CheckConstraint(
                condition=Q(order__range=(2, MAX_FIELD_SIZE)),
                name="crewmember_order_in_range",
                violation_error_message="A crew's other drivers are numbered from 2.",
            ),
        ]

    def __str__(self):
        return f"{self.driver} (driver {self.order})"

    def clean(self):
        if not (self.race_id and self.result_id and self.driver_id):
            return
        if self.result.race_id != self.race_id:
            raise ValidationError({"result": "This entry belongs to another race."})
        if self.driver_id == self.result.driver_id:
            raise ValidationError({"driver": f"{self.driver} is already this entry's first driver."})
        own = Result.objects.filter(race_id=self.race_id, driver_id=self.driver_id).first()
        if own is not None:
            raise ValidationError(
                {
                    "driver": f"{self.driver} has a result row of their own in this race ({own}); "
                    "a driver is in one entry per race."
                }
            )


class TyreStint(CertainRow):
    """A run on one set of tyres; either end, or both, may be unknown when a report does not give them."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="stints")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="stints")

    compound = models.CharField(max_length=2, choices=Compound)
    first_lap = models.PositiveSmallIntegerField(null=True, blank=True)
    last_lap = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = RaceRowQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", "driver", Coalesce("first_lap", "last_lap")]
        constraints = [
            inferred_has_reasoning("tyrestint"),
            models.UniqueConstraint(
                fields=["race", "driver", "first_lap"],
                name="tyrestint_unique_race_driver_first_lap",
                violation_error_message="Two stints of a driver cannot start on the same lap.",
            ),
            models.UniqueConstraint(
                fields=["race", "driver", "last_lap"],
                name="tyrestint_unique_race_driver_last_lap",
                violation_error_message="Two stints of a driver cannot end on the same lap.",
            ),
            models.CheckConstraint(
                condition=(Q(first_lap__range=(1, MAX_LAPS)) | Q(first_lap__isnull=True))
                & (Q(last_lap__range=(1, MAX_LAPS)) | Q(last_lap__isnull=True)),
                name="tyrestint_laps_in_range",
                violation_error_message=f"Laps are numbered from 1 to {MAX_LAPS}.",
            ),
            models.CheckConstraint(
                condition=Q(first_lap__isnull=True)
                | Q(last_lap__isnull=True)
                | Q(first_lap__lte=F("last_lap")),
                name="tyrestint_first_lap_not_after_last",
                violation_error_message="A stint cannot end before it starts.",
            ),
        ]

    def __str__(self):
        first = self.first_lap or "?"
        last = self.last_lap or "?"
        return f"{self.driver}: {self.get_compound_display()} laps {first}–{last}"


class PitStop(models.Model):
    """A stop in the pit lane at the end of a lap."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="pit_stops")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="pit_stops")

    lap = models.PositiveSmallIntegerField(help_text="The lap at the end of which the driver pitted.")
    duration_seconds = models.DecimalField(
        "duration (s)", max_digits=6, decimal_places=3, null=True, blank=True
    )

    objects = RaceRowQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", "driver", "lap"]
        constraints = [
            models.UniqueConstraint(
                fields=["race", "driver", "lap"],
                name="pitstop_unique_race_driver_lap",
                violation_error_message="A driver pits at most once at the end of a lap.",
            ),
            models.CheckConstraint(
                condition=Q(lap__range=(1, MAX_LAPS)),
                name="pitstop_lap_in_range",
                violation_error_message=f"Laps are numbered from 1 to {MAX_LAPS}.",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0) | Q(duration_seconds__isnull=True),
                name="pitstop_duration_positive",
                violation_error_message="A pit stop lasts more than 0 seconds.",
            ),
        ]

    def __str__(self):
        return f"{self.driver}: pit stop after lap {self.lap}"


class PenaltyQuerySet(RaceRowQuerySet):
    def added_after_finish(self):
        """The penalties that change a classification: seconds added after the finish."""
        return self.filter(is_added_after_finish=True, seconds__isnull=False)

    def of_competitions(self, competition_ids):
        """The penalties of these competitions' races, unordered."""
        return self.filter(race__competition_id__in=competition_ids).order_by()


class Penalty(CertainRow):
    """A time penalty given to a driver in a race."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="penalties")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="penalties")

    lap = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    reason = models.CharField(max_length=NOTE_LENGTH, help_text="For example “Track limits”.")
    is_added_after_finish = models.BooleanField(
        "added after the finish",
        default=False,
        help_text="Tick when the seconds were added to the driver's time after the race: the gap entered "
        "is the one before the penalty, and the classification adds it. Leave unticked for a penalty "
        "served on track or already in the published gap.",
    )

    objects = PenaltyQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["race_id", "driver", F("lap").asc(nulls_last=True), "pk"]
        verbose_name_plural = "penalties"
        constraints = [
            inferred_has_reasoning("penalty"),
            models.CheckConstraint(
                condition=Q(lap__range=(1, MAX_LAPS)) | Q(lap__isnull=True),
                name="penalty_lap_in_range",
                violation_error_message=f"Laps are numbered from 1 to {MAX_LAPS}.",
            ),
            models.CheckConstraint(
                condition=Q(seconds__gt=0) | Q(seconds__isnull=True),
                name="penalty_seconds_positive",
                violation_error_message="A time penalty is more than 0 seconds.",
            ),
        ]

    def __str__(self):
        size = f"{self.seconds.normalize()} s " if self.seconds else ""
        return f"{self.driver}: {size}penalty ({self.reason})"


class Incident(models.Model):
    """Something worth telling that happened to a driver: a spin, a crash, contact."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="incidents")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="incidents")

    lap = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.CharField(
        max_length=NOTE_LENGTH, help_text="For example “Spun into the barriers at Turn 5”."
    )

    objects = RaceRowQuerySet.as_manager()

    class Meta:
        ordering = ["race_id", F("lap").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lap__range=(1, MAX_LAPS)) | Q(lap__isnull=True),
                name="incident_lap_in_range",
                violation_error_message=f"Laps are numbered from 1 to {MAX_LAPS}.",
            ),
        ]

    def __str__(self):
        return f"{self.driver}: {self.description}"

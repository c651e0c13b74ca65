"""The racing data: seasons, competitions, rounds, races and what happened in them.

A round is one event (Montréal) hosting the races of several competitions. The
rows that describe one driver in one race (grid slot, result, tyre stints, pit
stops, penalties, incidents) all point at the race and the driver, so an editor
enters a whole race on one admin page.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_countries.fields import CountryField

from .links import link
from .rules.codes import COMPOUNDS, STATUSES, UNCLASSIFIED_STATUSES
from .rules.gaps import GapError, parse_gap, parse_time

Compound = models.TextChoices("Compound", [(name.upper(), (code, name)) for code, name in COMPOUNDS.items()])
Compound.__doc__ = "Tyre compounds, as the rules name them."

ResultStatus = models.TextChoices(
    "ResultStatus", [(code.upper(), (code, name)) for code, name in STATUSES.items()]
)
ResultStatus.__doc__ = "How an entry ended its race."


class Season(models.Model):
    """One year of the Gran Turismo World Series."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(
        max_length=120, blank=True, help_text="For example “Gran Turismo World Series 2024”."
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2200),
                name="season_year_plausible",
                violation_error_message="A season's year must be between 1990 and 2200.",
            )
        ]

    def __str__(self):
        return self.name or f"GTWS {self.year}"

    def get_absolute_url(self):
        return link("results:season", self.year)


class Competition(models.Model):
    """A championship within a season, such as the Nations Cup, with its own standings."""

    class Scores(models.TextChoices):
        DRIVER = "driver", "Drivers"
        TEAM = "team", "Teams or manufacturers"
        NATION = "nation", "Nations"

    class TieBreak(models.TextChoices):
        SHARED = "shared", "Shared: equal points share a position"
        COUNTBACK = "countback", "Countback: most wins, then most second places, and so on"

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="competitions")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    scores = models.CharField(
        max_length=10,
        choices=Scores,
        default=Scores.DRIVER,
        help_text="Who collects points in the standings.",
    )
    tie_break = models.CharField(max_length=10, choices=TieBreak, default=TieBreak.SHARED)

    class Meta:
        ordering = ["season__year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "slug"],
                name="competition_unique_season_slug",
                violation_error_message="This season already has a competition with this slug.",
            ),
            models.UniqueConstraint(
                fields=["season", "name"],
                name="competition_unique_season_name",
                violation_error_message="This season already has a competition with this name.",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.season.year}"

    def get_absolute_url(self):
        return link("results:standings", self.season.year, self.slug)


class Round(models.Model):
    """One event of a season, held in a city, hosting the races of several competitions."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    city = models.CharField(max_length=100)
    country = CountryField()
    venue = models.CharField(max_length=150, blank=True)
    date = models.DateField(null=True, blank=True, help_text="The event's local date, where known.")
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)

    class Meta:
        ordering = ["season__year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "number"],
                name="round_unique_season_number",
                violation_error_message="This season already has a round with this number.",
            ),
            models.UniqueConstraint(
                fields=["season", "slug"],
                name="round_unique_season_slug",
                violation_error_message="This season already has a round with this slug.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="round_number_positive",
                violation_error_message="Rounds are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"{self.season.year} Round {self.number}: {self.name}"

    def get_absolute_url(self):
        return link("results:round", self.season.year, self.slug)


class Track(models.Model):
    """A circuit and one of its layouts."""

    name = models.CharField(max_length=120)
    layout = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=150, unique=True)
    country = CountryField(blank=True)
    length_km = models.DecimalField("length (km)", max_digits=6, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["name", "layout"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "layout"],
                name="track_unique_name_layout",
                violation_error_message="This track and layout already exist.",
            ),
            models.CheckConstraint(
                condition=Q(length_km__gt=0) | Q(length_km__isnull=True),
                name="track_length_positive",
                violation_error_message="A track's length must be more than 0 km.",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.layout}" if self.layout else self.name

    def get_absolute_url(self):
        return link("results:track", self.slug)


class Team(models.Model):
    """A team or a manufacturer that drivers race for (Manufacturers Cup brands)."""

    class Kind(models.TextChoices):
        TEAM = "team", "Team"
        MANUFACTURER = "manufacturer", "Manufacturer"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.MANUFACTURER)
    country = CountryField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("results:team", self.slug)


class Car(models.Model):
    """A car as the game names it."""

    class Category(models.TextChoices):
        GR1 = "gr1", "Gr.1"
        GR2 = "gr2", "Gr.2"
        GR3 = "gr3", "Gr.3"
        GR4 = "gr4", "Gr.4"
        GRB = "grb", "Gr.B"
        GRX = "grx", "Gr.X"
        ROAD = "road", "Road car"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    manufacturer = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="cars",
        null=True,
        blank=True,
        limit_choices_to={"kind": Team.Kind.MANUFACTURER},
    )
    category = models.CharField(max_length=8, choices=Category, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Driver(models.Model):
    """A driver, the nation they represent and their online ID."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    nation = CountryField(blank=True)
    online_id = models.CharField(
        "online ID", max_length=64, blank=True, help_text="The driver's PSN name, where known."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["online_id"],
                condition=~Q(online_id=""),
                name="driver_unique_online_id",
                violation_error_message="Another driver already has this online ID.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("results:driver", self.slug)


class Race(models.Model):
    """One race of a round in one competition: a sprint, a heat, a main race."""

    class Kind(models.TextChoices):
        QUALIFYING = "qualifying", "Qualifying"
        SPRINT = "sprint", "Sprint race"
        HEAT = "heat", "Heat"
        MAIN = "main", "Main race"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="races")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="races")
    number = models.PositiveSmallIntegerField(help_text="Order of the race within its round (1, 2, 3).")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="races")
    laps = models.PositiveSmallIntegerField(
        "scheduled laps", null=True, blank=True, help_text="Leave blank for a timed race."
    )
    car = models.ForeignKey(
        Car,
        on_delete=models.PROTECT,
        related_name="races",
        null=True,
        blank=True,
        help_text="The one car every entrant drives; leave blank when cars differ per entry.",
    )
    grid_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="feeds",
        null=True,
        blank=True,
        verbose_name="grid set by",
        help_text="An earlier race of this round whose finishing order sets this grid.",
    )
    points_scale = models.JSONField(
        default=list,
        blank=True,
        help_text="Points for classified positions 1, 2, 3, …; empty for a race without points.",
    )
    points_multiplier = models.PositiveSmallIntegerField(default=1, help_text="2 for double points.")
    required_compounds = models.JSONField(
        default=list, blank=True, help_text="Compounds every entrant must use at least once."
    )
    is_complete = models.BooleanField(
        "classification complete",
        default=True,
        help_text="Untick when only part of the classification is known (a report naming the top three).",
    )

    class Meta:
        ordering = ["round__season__year", "round__number", "number", "competition__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "competition", "number"],
                name="race_unique_round_competition_number",
                violation_error_message="This round already has a race with this number in this competition.",
            ),
            models.UniqueConstraint(
                fields=["round", "competition", "slug"],
                name="race_unique_round_competition_slug",
                violation_error_message="This round already has a race with this slug in this competition.",
            ),
            models.CheckConstraint(
                condition=Q(laps__gte=1) | Q(laps__isnull=True),
                name="race_laps_positive",
                violation_error_message="A race has at least 1 lap (leave it blank for a timed race).",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="race_number_positive",
                violation_error_message="Races are numbered from 1 within their round.",
            ),
            models.CheckConstraint(
                condition=Q(points_multiplier__gte=1),
                name="race_points_multiplier_positive",
                violation_error_message="The points multiplier is at least 1.",
            ),
            models.CheckConstraint(
                condition=~Q(grid_from=F("pk")),
                name="race_grid_not_from_itself",
                violation_error_message="A race's grid cannot come from the race itself.",
            ),
        ]

    def __str__(self):
        return f"{self.round.season.year} {self.round.name} · {self.competition.name} · {self.name}"

    def get_absolute_url(self):
        return link("results:race", self.round.season.year, self.round.slug, self.competition.slug, self.slug)

    def clean(self):
        errors = {}
        if self.round_id and self.competition_id and self.competition.season_id != self.round.season_id:
            errors["competition"] = (
                f"{self.competition} is not a competition of the {self.round.season.year} season."
            )
        if self.grid_from_id and self.round_id:
            source = self.grid_from
            if source.round_id != self.round_id:
                errors["grid_from"] = (
                    f"The grid can only come from an earlier race of {self.round.name}; "
                    f"“{source.name}” is a race of Round {source.round.number}, {source.round.name}."
                )
            elif self.competition_id and source.competition_id != self.competition_id:
                errors["grid_from"] = (
                    f"The grid can only come from a race of the {self.competition.name}; "
                    f"“{source.name}” is a {source.competition.name} race."
                )
            elif self.number is not None and source.number >= self.number:
                errors["grid_from"] = (
                    f"The grid can only come from an earlier race: “{source.name}” is race "
                    f"{source.number} of the round and this is race {self.number}."
                )
        scale = self.points_scale
        if not isinstance(scale, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in scale
        ):
            errors["points_scale"] = (
                "The points scale is a list of whole numbers, 0 or more (6, 5, 4, 3, 2, 1)."
            )
        compounds = self.required_compounds
        if not isinstance(compounds, list) or not all(c in COMPOUNDS for c in compounds):
            known = ", ".join(COMPOUNDS)
            errors["required_compounds"] = f"Mandatory compounds are chosen from {known}."
        elif len(set(compounds)) != len(compounds):
            errors["required_compounds"] = "Each mandatory compound is listed once."
        if errors:
            raise ValidationError(errors)


class GridSlot(models.Model):
    """A driver's starting position and starting tyres in a race."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="grid_slots")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="grid_slots")

    position = models.PositiveSmallIntegerField()
    compound = models.CharField("starting compound", max_length=2, choices=Compound, blank=True)

    class Meta:
        ordering = ["race_id", "position"]
        constraints = [
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
                condition=Q(position__gte=1),
                name="gridslot_position_positive",
                violation_error_message="Grid slots are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"P{self.position} {self.driver}"


class Result(models.Model):
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
        null=True, blank=True, help_text="Leave blank for an entry that is not classified."
    )
    laps = models.PositiveSmallIntegerField("laps completed", null=True, blank=True)
    time = models.CharField(
        "race time",
        max_length=20,
        blank=True,
        help_text="Total race time, usually the winner's only: 1:02:03.456.",
    )
    gap = models.CharField(
        max_length=20,
        blank=True,
        help_text="As published: +1.0684, + 43.476, +1:05.950, +1 lap, N/A.",
    )
    gap_seconds = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True, editable=False)
    gap_laps = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=8, choices=ResultStatus, default=ResultStatus.FINISHED)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why a driver retired or was disqualified."
    )
    points = models.PositiveSmallIntegerField(
        "points set by hand",
        null=True,
        blank=True,
        help_text="Leave blank to use the race's points scale; fill in only for a stewards' decision.",
    )

    class Meta:
        ordering = ["race_id", F("position").asc(nulls_last=True), "pk"]
        constraints = [
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
                condition=Q(position__gte=1) | Q(position__isnull=True),
                name="result_position_positive",
                violation_error_message="Finishing positions are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=Q(laps__gte=0) | Q(laps__isnull=True),
                name="result_laps_not_negative",
                violation_error_message="Laps completed cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | ~Q(status__in=sorted(UNCLASSIFIED_STATUSES)),
                name="result_unclassified_has_no_position",
                violation_error_message="A driver who did not start, was disqualified or was not "
                "classified has no finishing position.",
            ),
            models.CheckConstraint(
                condition=Q(gap_seconds__isnull=True) | Q(gap_laps__isnull=True),
                name="result_gap_in_time_or_laps",
                violation_error_message="A gap is either a time or a number of laps, not both.",
            ),
        ]

    def __str__(self):
        place = f"P{self.position}" if self.position else self.get_status_display()
        return f"{place} {self.driver}"

    def save(self, *args, **kwargs):
        # The sortable gap always follows the gap as published.
        parsed = parse_gap(self.gap)
        self.gap_seconds, self.gap_laps = parsed.seconds, parsed.laps
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
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


class TyreStint(models.Model):
    """A run on one set of tyres; either end may be unknown when a report gives only one."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="stints")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="stints")

    compound = models.CharField(max_length=2, choices=Compound)
    first_lap = models.PositiveSmallIntegerField(null=True, blank=True)
    last_lap = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["race_id", "driver", Coalesce("first_lap", "last_lap")]
        constraints = [
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
                condition=Q(first_lap__isnull=False) | Q(last_lap__isnull=False),
                name="tyrestint_has_a_lap",
                violation_error_message="Give the stint's first lap, its last lap, or both.",
            ),
            models.CheckConstraint(
                condition=(Q(first_lap__gte=1) | Q(first_lap__isnull=True))
                & (Q(last_lap__gte=1) | Q(last_lap__isnull=True)),
                name="tyrestint_laps_positive",
                violation_error_message="Laps are numbered from 1.",
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

    class Meta:
        ordering = ["race_id", "driver", "lap"]
        constraints = [
            models.UniqueConstraint(
                fields=["race", "driver", "lap"],
                name="pitstop_unique_race_driver_lap",
                violation_error_message="A driver pits at most once at the end of a lap.",
            ),
            models.CheckConstraint(
                condition=Q(lap__gte=1),
                name="pitstop_lap_positive",
                violation_error_message="Laps are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0) | Q(duration_seconds__isnull=True),
                name="pitstop_duration_positive",
                violation_error_message="A pit stop lasts more than 0 seconds.",
            ),
        ]

    def __str__(self):
        return f"{self.driver}: pit stop after lap {self.lap}"


class Penalty(models.Model):
    """A time penalty given to a driver in a race."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="penalties")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="penalties")

    lap = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    reason = models.CharField(max_length=200, help_text="For example “Track limits”.")
    is_added_after_finish = models.BooleanField(
        "added after the finish",
        default=False,
        help_text="Tick when the seconds were added to the driver's time after the race: the gap entered "
        "is the one before the penalty, and the classification adds it. Leave unticked for a penalty "
        "served on track or already in the published gap.",
    )

    class Meta:
        ordering = ["race_id", "driver", F("lap").asc(nulls_last=True), "pk"]
        verbose_name_plural = "penalties"
        constraints = [
            models.CheckConstraint(
                condition=Q(lap__gte=1) | Q(lap__isnull=True),
                name="penalty_lap_positive",
                violation_error_message="Laps are numbered from 1.",
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
        max_length=200, help_text="For example “Spun into the barriers at Turn 5”."
    )

    class Meta:
        ordering = ["race_id", F("lap").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lap__gte=1) | Q(lap__isnull=True),
                name="incident_lap_positive",
                violation_error_message="Laps are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"{self.driver}: {self.description}"


class RaceReportQuerySet(models.QuerySet):
    def published(self, now=None):
        """Reports fans may read: published, and not dated in the future (after ``now``, default: now)."""
        return self.filter(is_published=True, published_at__lte=now or timezone.now())


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
        return link("results:report", self.slug)


class DataVersion(models.Model):
    """A counter that every change to racing data moves on; caches and ETags are keyed on it."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Racing data version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

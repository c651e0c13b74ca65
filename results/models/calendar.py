"""The calendar: seasons, competitions, rounds (one event in a city) and their races."""

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.urls import reverse
from django_countries.fields import CountryField

from results.models.base import MarkingQuerySet
from results.models.entrants import Car, Track
from results.models.history import history
from results.rules.codes import COMPOUNDS
from results.rules.limits import LONG_NAME_LENGTH, MAX_LAPS, NAME_LENGTH, VENUE_LENGTH
from results.rules.picks import PLACES_PICKED


class SeasonQuerySet(MarkingQuerySet):
    def having_rounds(self):
        """Seasons with at least one round, the latest first."""
        return self.filter(Exists(Round.objects.filter(season=OuterRef("pk")))).order_by("-year")

    def with_round_count(self):
        """With ``round_count``, how many rounds each season has."""
        return self.annotate(round_count=Count("rounds"))

    def latest_year(self):
        """The year of the latest season, or None."""
        return self.order_by("-year").values_list("year", flat=True).first()


class Season(models.Model):
    """One year of the Gran Turismo World Series."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(
        max_length=LONG_NAME_LENGTH, blank=True, help_text="For example “Gran Turismo World Series 2024”."
    )

    objects = SeasonQuerySet.as_manager()

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
        return reverse("results:season", args=[self.year])


class OfSeasonQuerySet(MarkingQuerySet):
    """Competitions and rounds: found by their season's year and their slug."""

    def for_links(self):
        """With the season, which their links name."""
        return self.select_related("season")

    def for_page(self, year, slug):
        """The one a page names by its season's year and its slug (at most one)."""
        return self.for_links().filter(season__year=year, slug=slug)

    def of_seasons(self, years):
        """Those of the seasons of these years."""
        return self.filter(season__year__in=years)


class CompetitionQuerySet(OfSeasonQuerySet):
    def of_latest_season(self):
        """The competitions of the latest season, for the menu."""
        latest = Season.objects.order_by("-year").values("year")[:1]
        return self.for_links().filter(season__year=Subquery(latest))

    def championships_of(self, driver):
        """Competitions scored by driver in which ``driver`` raced, the newest first."""
        return (
            self.for_links()
            .filter(
                Q(races__results__driver=driver) | Q(races__crew_members__driver=driver),
                scores=Competition.Scores.DRIVER,
            )
            .distinct()
            .order_by("-season__year", "name")
        )


class CrewPoints(models.TextChoices):
    """What the drivers of a crew (several drivers sharing one car) score."""

    EACH = "each", "Each driver scores the car's points"
    NONE = "none", "No driver scores (the team does)"


class Competition(models.Model):
    """A championship within a season, such as the Nations Cup, with its own standings."""

    class Scores(models.TextChoices):
        DRIVER = "driver", "Drivers"
        TEAM = "team", "Teams or manufacturers"
        NATION = "nation", "Nations"

    class TieBreak(models.TextChoices):
        SHARED = "shared", "Shared: equal points share a position"
        COUNTBACK = "countback", "Countback: most wins, then most second places, and so on"

    CrewPoints = CrewPoints

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="competitions")
    name = models.CharField(max_length=NAME_LENGTH)
    slug = models.SlugField(max_length=100)
    scores = models.CharField(
        max_length=10,
        choices=Scores,
        default=Scores.DRIVER,
        help_text="Who collects points in the standings.",
    )
    tie_break = models.CharField(max_length=10, choices=TieBreak, default=TieBreak.SHARED)
    crew_points = models.CharField(
        "crews' drivers score",
        max_length=10,
        choices=CrewPoints,
        default=CrewPoints.EACH,
        help_text="Where several drivers share one car: whether each of them scores the car's points "
        "in driver standings, or none of them (the team still scores).",
    )

    objects = CompetitionQuerySet.as_manager()

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
        return reverse("results:standings", args=[self.season.year, self.slug])

    def get_season_url(self):
        """The competition's season at a glance (/2024/nations-cup/: the round pattern, where no
        round has the slug)."""
        return reverse("results:round", args=[self.season.year, self.slug])


@cache
def known_time_zones():
    """The IANA names this machine's zoneinfo knows (read once: a season file checks one per round)."""
    return frozenset(available_timezones())


def validate_time_zone(name):
    """An IANA time zone name that this machine's zoneinfo knows (``Europe/Prague``)."""
    if not name:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "“%(name)s” is not a time zone name: give an IANA name such as Europe/Prague or America/Toronto.",
            params={"name": name},
        ) from None
    if name not in known_time_zones():
        raise ValidationError(
            "“%(name)s” is not a time zone name: give an IANA name such as Europe/Prague or America/Toronto.",
            params={"name": name},
        )


class RoundQuerySet(OfSeasonQuerySet):
    def with_races(self):
        """With their races (``round.races.all()``) in programme order, in one more query."""
        return self.prefetch_related(Prefetch("races", queryset=Race.objects.in_programme_order()))

    def scheduled(self):
        """Rounds still to be held, in calendar order."""
        return self.filter(status=Round.Status.SCHEDULED).order_by("number")

    def awaiting_races_of(self, competition):
        """The season's rounds still to be held that have no race of ``competition`` yet (the title
        maths cannot count races not on the calendar)."""
        races = Race.objects.filter(round=OuterRef("pk"), competition=competition)
        return self.filter(season=competition.season_id).scheduled().exclude(Exists(races))


class Round(models.Model):
    """One event of a season, held in a city, hosting the races of several competitions."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=NAME_LENGTH)
    slug = models.SlugField(max_length=100)
    city = models.CharField(max_length=NAME_LENGTH)
    country = CountryField()
    venue = models.CharField(max_length=VENUE_LENGTH, blank=True)
    date = models.DateField(
        null=True,
        blank=True,
        help_text="The event's first day (local date), where known; each race has its own day too.",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="The venue's time zone, an IANA name such as Europe/Prague; races' start times are "
        "entered in it. Leave blank while unknown.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)

    objects = RoundQuerySet.as_manager()

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
        return reverse("results:round", args=[self.season.year, self.slug])

    @property
    def zone(self):
        """The venue's ZoneInfo, or None while the time zone is not known."""
        return ZoneInfo(self.time_zone) if self.time_zone else None

    def days(self, races):
        """(first day, last day) of the round from its races' days and its own date; (None, None)."""
        days = [race.date for race in races if race.date] + ([self.date] if self.date else [])
        return (min(days), max(days)) if days else (None, None)


class RaceQuerySet(MarkingQuerySet):
    # The rows of a race live in results.models.sheet, which imports this module: they are
    # imported where they are used.

    def for_links(self):
        """With the round, its season and the competition, which their links name."""
        return self.select_related("round__season", "competition")

    def touched_by_change(self, race_ids):
        """The races a change touched, by id, with what their links name (to render them again)."""
        return self.for_links().filter(pk__in=race_ids)

    def in_programme_order(self):
        """By competition, then in the order they are run, with what a race's format names."""
        return self.select_related("competition__season", "track", "car__manufacturer", "grid_from").order_by(
            "competition__name", "number"
        )

    def newest_first(self):
        """The newest first, with what a list of races names."""
        return self.select_related("round__season", "competition", "track", "car__manufacturer").order_by(
            "-round__season__year", "-round__number", "-number"
        )

    @staticmethod
    def classification_lookups():
        """The prefetches of a race's classification: results (driver, team, car), crews, penalties."""
        from results.models.sheet import CrewMember, Penalty, Result

        return [
            Prefetch("results", queryset=Result.objects.for_table()),
            Prefetch(
                "crew_members", queryset=CrewMember.objects.with_driver().order_by("result_id", "order")
            ),
            Prefetch("penalties", queryset=Penalty.objects.with_driver().order_by()),
        ]

    @classmethod
    def sheet_lookups(cls):
        """The prefetches of everything a race's page shows: the classification, grid, stints, pit
        stops, incidents, sources and conflicting values (the rows come unordered where the page
        puts them in order itself: results.rules.order)."""
        from results.models.sheet import GridSlot, Incident, PitStop, TyreStint
        from results.models.sources import ConflictingValue, Source

        return [
            *cls.classification_lookups(),
            Prefetch("grid_slots", queryset=GridSlot.objects.with_driver().order_by("position")),
            Prefetch("stints", queryset=TyreStint.objects.order_by()),
            Prefetch("pit_stops", queryset=PitStop.objects.with_driver().order_by()),
            Prefetch("incidents", queryset=Incident.objects.with_driver().order_by()),
            Prefetch("sources", queryset=Source.objects.in_order()),
            Prefetch("conflicts", queryset=ConflictingValue.objects.select_related("source")),
        ]

    def with_classification(self):
        """With their results (driver, team, car), crews and penalties, in three more queries."""
        return self.prefetch_related(*self.classification_lookups())

    def with_headings(self):
        """With what a race's heading and format line name: round, season, competition, track, car."""
        return self.select_related(
            "round__season", "competition__season", "track", "car__manufacturer", "grid_from"
        )

    def with_details(self):
        """With everything a race's page shows (:meth:`sheet_lookups`): nine more queries whatever
        the number of races."""
        return self.with_headings().prefetch_related(*self.sheet_lookups())

    def load_sheets(self, races):
        """Read the sheets of races already fetched (:meth:`with_details`' queries, run now)."""
        prefetch_related_objects(races, *self.sheet_lookups())

    def for_page(self, year, competition_slug, round_slug, race_slug):
        """The race of a race page (at most one), with its details."""
        return self.with_details().filter(
            round__season__year=year,
            competition__slug=competition_slug,
            round__slug=round_slug,
            slug=race_slug,
        )

    def of_report(self, report):
        """The races a report covers, in the order they were run, with their headings; their
        sheets are read by :meth:`load_sheets` when a table is to be drawn."""
        return self.with_headings().filter(reports=report).order_by("number")

    def of_next_round(self, season):
        """The races of ``season``'s next scheduled round, in programme order, with their round."""
        next_round = Round.objects.filter(season=season).scheduled().values("pk")[:1]
        return (
            self.select_related("round", "competition")
            .filter(round=Subquery(next_round))
            .order_by("date", "starts_at", "competition__name", "number")
        )

    def of_latest_round_with_results(self):
        """The races of the latest round that has results (its season's latest, the latest season),
        in programme order, classified: the home page's round at a glance."""
        from results.models.sheet import Result

        latest = (
            Round.objects.filter(Exists(Result.objects.filter(race__round=OuterRef("pk"))))
            .order_by("-season__year", "-number")
            .values("pk")[:1]
        )
        return (
            self.select_related("round__season", "competition", "track")
            .filter(round=Subquery(latest))
            .order_by("competition__name", "number")
            .with_classification()
        )

    def raced_for(self, team):
        """Races where an entry raced for ``team``: entered by it, or in a car it makes (the race's
        one car where the result names none), the newest first, classified."""
        from results.models.sheet import Result

        in_its_car = Q(car__manufacturer=team) | Q(car__isnull=True, race__car__manufacturer=team)
        for_team = Q(team=team) | in_its_car
        return (
            self.filter(Exists(Result.objects.filter(for_team, race=OuterRef("pk"))))
            .newest_first()
            .with_classification()
        )

    def driven_in(self, car):
        """Races where an entry drove ``car`` (named on its result, or the race's one car where the
        result names none), the newest first, classified."""
        from results.models.sheet import Result

        in_car = Q(car=car) | Q(car__isnull=True, race__car=car)
        return (
            self.filter(Exists(Result.objects.filter(in_car, race=OuterRef("pk"))))
            .newest_first()
            .with_classification()
        )

    def driven_by(self, **driver_lookups):
        """Races a driver matching ``driver_lookups`` (``pk=…``, ``nation=…``) drove in, with a result
        of their own or a seat in a crew, the newest first, classified."""
        from results.models.sheet import CrewMember, Result

        lookups = {f"driver__{name}": value for name, value in driver_lookups.items()}
        return (
            self.filter(
                Exists(Result.objects.filter(race=OuterRef("pk"), **lookups))
                | Exists(CrewMember.objects.filter(race=OuterRef("pk"), **lookups))
            )
            .newest_first()
            .with_classification()
        )

    def for_calendar(self, year, competition_slug=None):
        """The races of a season (or of one of its competitions) that have a day, in calendar order,
        with what a calendar entry names (round, competition, track)."""
        races = self.select_related("round__season", "competition", "track").filter(
            round__season__year=year, date__isnull=False
        )
        if competition_slug is not None:
            races = races.filter(competition__slug=competition_slug)
        return races.order_by("date", "starts_at", "round__number", "competition__name", "number")

    def in_calendar_of(self, competition):
        """Every race of ``competition``, run or not, in the order of the season, with its round."""
        return (
            self.select_related("round").filter(competition=competition).order_by("round__number", "number")
        )

    def open_for_picks(self, now):
        """Races fans may still pick for (the predictions game): a known start after ``now``, of a
        kind that is picked (results.rules.picks), soonest first, with what their links name."""
        return (
            self.for_links()
            .select_related("round", "track")
            .filter(starts_at__gt=now, kind__in=list(PLACES_PICKED))
            .order_by("starts_at", "competition__name", "number")
        )

    def with_entrant_counts(self):
        """With ``entrant_count``, how many entries each race has results for (in the same query)."""
        return self.annotate(entrant_count=Count("results"))

    def published(self):
        """Races whose classification fans have seen as complete (see :attr:`Race.is_published`)."""
        from results.models.sheet import Result

        return self.filter(is_complete=True).filter(Exists(Result.objects.filter(race=OuterRef("pk"))))

    def at_track(self, track):
        """The races held at ``track``, the newest first, classified."""
        return self.filter(track=track).newest_first().with_classification()


class Race(models.Model):
    """One race of a round in one competition: a sprint, a heat, a main race."""

    class Kind(models.TextChoices):
        QUALIFYING = "qualifying", "Qualifying"
        SPRINT = "sprint", "Sprint race"
        HEAT = "heat", "Heat"
        MAIN = "main", "Main race"

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional"
        UNDER_REVIEW = "under_review", "Under review"
        FINAL = "final", "Final"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="races")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="races")
    number = models.PositiveSmallIntegerField(help_text="Order of the race within its round (1, 2, 3).")
    name = models.CharField(max_length=NAME_LENGTH)
    slug = models.SlugField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind)
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        related_name="races",
        null=True,
        blank=True,
        help_text="Leave blank while the track is to be announced.",
    )
    laps = models.PositiveSmallIntegerField(
        "scheduled laps",
        null=True,
        blank=True,
        help_text="Leave blank while the number is not known, or for a timed race (tick “timed race”).",
    )
    is_timed = models.BooleanField(
        "timed race", default=False, help_text="The race runs for a time, not a number of laps."
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
    required_compounds_min = models.PositiveSmallIntegerField(
        "at least how many of them",
        null=True,
        blank=True,
        help_text="Blank: each mandatory compound must be used. A number (2): at least that many "
        "of the mandatory compounds.",
    )
    is_complete = models.BooleanField(
        "classification complete",
        default=True,
        help_text="Untick when only part of the classification is known (a report naming the top three).",
    )
    date = models.DateField(
        null=True, blank=True, help_text="The race's day in the venue's time zone; blank while unknown."
    )
    starts_at = models.DateTimeField(
        "start", null=True, blank=True, help_text="The start, stored in UTC; blank while the time is unknown."
    )
    schedule_sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts changes of the race's day, start, track or name (iCalendar).",
    )
    modified_at = models.DateTimeField(auto_now=True)

    status = models.CharField(
        max_length=12,
        choices=Status,
        default=Status.PROVISIONAL,
        help_text="Provisional until the stewards are done; under review during an appeal; final after.",
    )

    objects = RaceQuerySet.as_manager()
    history = history()

    SCHEDULE_FIELDS = ("date", "starts_at", "track_id", "name", "round_id")

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
                condition=Q(laps__range=(1, MAX_LAPS)) | Q(laps__isnull=True),
                name="race_laps_in_range",
                violation_error_message=f"A race has 1 to {MAX_LAPS} laps (leave it blank when not known "
                "or for a timed race).",
            ),
            models.CheckConstraint(
                condition=Q(is_timed=False) | Q(laps__isnull=True),
                name="race_timed_has_no_laps",
                violation_error_message="A timed race has no number of laps: clear the laps or untick "
                "“timed race”.",
            ),
            models.CheckConstraint(
                condition=Q(required_compounds_min__gte=1) | Q(required_compounds_min__isnull=True),
                name="race_required_compounds_min_positive",
                violation_error_message="“At least how many” mandatory compounds is 1 or more.",
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
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(date__isnull=False),
                name="race_start_has_date",
                violation_error_message="A race with a start time has a date.",
            ),
        ]

    def __str__(self):
        return f"{self.round.season.year} {self.round.name} · {self.competition.name} · {self.name}"

    def save(self, *args, **kwargs):
        if self.starts_at is not None and self.date is None:
            self.date = self.local_start.date() if self.local_start else self.starts_at.date()
        loaded = getattr(self, "loaded_schedule", None)
        if self.pk is not None and loaded is not None and loaded != self.schedule():
            self.schedule_sequence += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "schedule_sequence", "modified_at"}
        super().save(*args, **kwargs)
        self.loaded_schedule = self.schedule()

    def get_absolute_url(self):
        return reverse(
            "results:race", args=[self.round.season.year, self.round.slug, self.competition.slug, self.slug]
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        race = super().from_db(db, field_names, values)
        deferred = race.get_deferred_fields()
        if not any(name in deferred for name in ("date", "starts_at", "track_id", "name", "round_id")):
            race.loaded_schedule = race.schedule()
        return race

    def schedule(self):
        """What a calendar entry of the race shows; a change of it moves the iCalendar SEQUENCE on."""
        return tuple(getattr(self, name, None) for name in self.SCHEDULE_FIELDS)

    @property
    def local_start(self):
        """The start in the venue's time zone (None without a start or a time zone)."""
        zone = self.round.zone if self.round_id else None
        if self.starts_at is None or zone is None:
            return None
        return self.starts_at.astimezone(zone)

    @staticmethod
    def start_from_local(day, time, zone_name):
        """The UTC start of a race at ``time`` on ``day`` in the zone ``zone_name``."""
        return datetime.combine(day, time, tzinfo=ZoneInfo(zone_name)).astimezone(UTC)

    @property
    def is_published(self):
        """Whether fans have seen this race's classification as complete: from then on every change to
        its classification, points, penalties or grid is a correction, with a reason on record."""
        return bool(self.pk and self.is_complete and self.results.all())

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
        elif self.required_compounds_min is not None and self.required_compounds_min > len(compounds):
            errors["required_compounds_min"] = (
                f"At least {self.required_compounds_min} of the mandatory compounds, but "
                f"{len(compounds)} {'is' if len(compounds) == 1 else 'are'} listed."
            )
        if self.is_timed and self.laps is not None:
            errors["laps"] = "A timed race has no number of laps: clear the laps or untick “timed race”."
        if errors:
            raise ValidationError(errors)

"""Who and what races: tracks, teams (brands), cars and drivers, shared by every season."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django_countries.fields import CountryField

from results.models.base import MarkingQuerySet
from results.rules.limits import LONG_NAME_LENGTH, NAME_LENGTH, excerpt
from results.rules.names import Person, alias_problems, name_key, split_aliases, taken_names


class Track(models.Model):
    """A circuit and one of its layouts."""

    name = models.CharField(max_length=LONG_NAME_LENGTH)
    layout = models.CharField(max_length=LONG_NAME_LENGTH, blank=True)
    slug = models.SlugField(max_length=150, unique=True)
    country = CountryField(blank=True)
    length_km = models.DecimalField("length (km)", max_digits=6, decimal_places=3, null=True, blank=True)

    objects = MarkingQuerySet.as_manager()

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
        return reverse("results:track", args=[self.slug])


class TeamQuerySet(MarkingQuerySet):
    def entered_in(self, race):
        """The teams with a result in a race of ``race``'s competition, by name: who a fan may pick
        where the competition scores teams (one query)."""
        from results.models.sheet import Result

        entered = Result.objects.filter(team=OuterRef("pk"), race__competition_id=race.competition_id)
        return self.filter(Exists(entered)).order_by("name")


class Team(models.Model):
    """A team or a manufacturer that drivers race for (Manufacturers Cup brands)."""

    class Kind(models.TextChoices):
        TEAM = "team", "Team"
        MANUFACTURER = "manufacturer", "Manufacturer"

    name = models.CharField(max_length=NAME_LENGTH, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.MANUFACTURER)
    country = CountryField(blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("results:team", args=[self.slug])


class CarQuerySet(MarkingQuerySet):
    def for_links(self):
        """With the manufacturer, which a list of cars names."""
        return self.select_related("manufacturer")


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

    name = models.CharField(max_length=LONG_NAME_LENGTH, unique=True)
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

    objects = CarQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("results:car", args=[self.slug])


class DriverQuerySet(MarkingQuerySet):
    def of_nation(self, code):
        """The drivers who race for the nation with this country code."""
        return self.filter(nation=code)

    def nations(self):
        """Each nation with drivers: ``{"nation": code, "drivers": how many}``, by code."""
        return self.exclude(nation="").values("nation").annotate(drivers=Count("pk")).order_by("nation")

    def of_races(self, race_ids):
        """The drivers with a result or a seat in a crew in these races."""
        return self.filter(Q(results__race__in=race_ids) | Q(crew_seats__race__in=race_ids)).distinct()

    def entered_in(self, race):
        """The drivers with a result in a race of ``race``'s competition, or a slot on ``race``'s own
        grid, by name: who a fan may pick (one query)."""
        from results.models.sheet import GridSlot, Result

        entered = Result.objects.filter(driver=OuterRef("pk"), race__competition_id=race.competition_id)
        on_grid = GridSlot.objects.filter(driver=OuterRef("pk"), race_id=race.pk)
        return self.filter(Exists(entered) | Exists(on_grid)).order_by("name", "pk")

    def for_matching(self):
        """The drivers as a typed name is matched against them (results.rules.names): what a
        match or a suggestion shows and links to, by name."""
        return self.only("name", "slug", "nation", "online_id", "aliases").order_by("name", "pk")


class Driver(models.Model):
    """A driver, the nation they represent and their online ID."""

    name = models.CharField(max_length=NAME_LENGTH)
    slug = models.SlugField(max_length=100, unique=True)
    nation = CountryField(blank=True)
    online_id = models.CharField(
        "online ID", max_length=64, blank=True, help_text="The driver's PSN name, where known."
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other spellings of the name and former online IDs, one a line: pasted lists and the "
        "site search find the driver by them.",
    )

    objects = DriverQuerySet.as_manager()

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
        return reverse("results:driver", args=[self.slug])

    @property
    def alias_list(self):
        """The aliases, one a line as stored, without blank lines or repeats."""
        return split_aliases(self.aliases)

    def as_person(self):
        """The driver as the name rules see them (results.rules.names.Person), by primary key."""
        return Person(self.pk, self.name, self.alias_list, self.online_id)

    def clean(self):
        """An alias names this driver only: it is no other driver's name, alias or online ID."""
        super().clean()
        others = [driver.as_person() for driver in Driver.objects.exclude(pk=self.pk).for_matching()]
        errors = {}
        if problems := alias_problems(self.aliases, taken_names(others)):
            errors["aliases"] = problems
        if owner := next((p.name for p in others if name_key(self.name) in map(name_key, p.aliases)), None):
            errors["name"] = f'"{excerpt(self.name)}" is already an alias of {owner}.'
        if errors:
            raise ValidationError(errors)
        self.aliases = "\n".join(self.alias_list)

"""What the race and standings pages (and their API twins) show, read in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Prefetch
from django.http import Http404

from .loaders import classification, competition_scores, tyre_checks
from .models import Competition, Driver, GridSlot, Race, Result
from .rules.standings import Standing, standings


@dataclass(frozen=True)
class StandingLine(Standing):
    """A row of the standings with the nation of the driver (or the nation itself)."""

    nation: str = ""
    per_round: tuple = ()  # points in each shown round, None where the competitor did not race


@dataclass
class StandingsData:
    competition: Competition
    after_round: int | None
    rounds: list[int]  # rounds with results, up to after_round
    all_rounds: list[int]  # every round with results, for the selector
    rows: list[StandingLine]


def competition_or_404(year, slug):
    competition = Competition.objects.select_related("season").filter(season__year=year, slug=slug).first()
    if competition is None:
        raise Http404(f"There is no competition “{slug}” in {year}.")
    return competition


def standings_page_data(year, competition_slug, after_round=None):
    competition = competition_or_404(year, competition_slug)
    scores = competition_scores(competition)
    all_rounds = sorted({s.round for s in scores})
    table = standings(scores, tie_break=competition.tie_break, after_round=after_round)
    shown = [n for n in all_rounds if after_round is None or n <= after_round]
    nations = _nations(competition, table)
    rows = [
        StandingLine(
            **{f.name: getattr(row, f.name) for f in fields(row)},
            nation=nations.get(row.competitor, ""),
            per_round=tuple(row.round_points.get(number) for number in shown),
        )
        for row in table
    ]
    return StandingsData(competition, shown[-1] if shown else None, shown, all_rounds, rows)


def _nations(competition, table):
    if competition.scores == Competition.Scores.NATION:
        return {row.competitor: row.competitor for row in table}
    if competition.scores == Competition.Scores.DRIVER:
        ids = [row.competitor for row in table]
        return dict(Driver.objects.filter(pk__in=ids).values_list("pk", "nation"))
    return {}


@dataclass
class ResultLine:
    """One row of a race's results table, with everything shown beside it."""

    result: Result
    row: object  # rules.classification.Classified
    grid: int | None
    car_name: str
    penalties: list = field(default_factory=list)
    pit_stops: list = field(default_factory=list)
    stints: list = field(default_factory=list)
    tyres: object = None  # rules.tyres.TyreCheck, where the race has mandatory compounds

    @property
    def places_gained(self):
        if self.grid is None or self.row.position is None:
            return None
        return self.grid - self.row.position

    @property
    def penalty_seconds(self):
        return sum((p.seconds for p in self.penalties if p.seconds), start=0)


@dataclass
class RaceData:
    race: Race
    lines: list[ResultLine]
    grid: list  # GridSlot rows in grid order


def race_page_data(year, competition_slug, round_slug, race_slug):
    race = (
        Race.objects.select_related("round__season", "competition", "track", "car", "grid_from")
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.select_related("driver", "team", "car")),
            Prefetch("grid_slots", queryset=GridSlot.objects.select_related("driver").order_by("position")),
            "stints",
            "pit_stops",
            "penalties",
        )
        .filter(
            round__season__year=year,
            competition__slug=competition_slug,
            round__slug=round_slug,
            slug=race_slug,
        )
        .first()
    )
    if race is None:
        raise Http404(f"There is no race “{race_slug}” of the {competition_slug} at {round_slug} in {year}.")
    results = list(race.results.all())
    penalties, stops, stints = defaultdict(list), defaultdict(list), defaultdict(list)
    for penalty in race.penalties.all():
        penalties[penalty.driver_id].append(penalty)
    for stop in race.pit_stops.all():
        stops[stop.driver_id].append(stop)
    for stint in race.stints.all():
        stints[stint.driver_id].append(stint)
    grid = {slot.driver_id: slot.position for slot in race.grid_slots.all()}
    checks = tyre_checks(race, results, race.stints.all())
    lines = [
        ResultLine(
            result=result,
            row=row,
            grid=grid.get(result.driver_id),
            car_name=(result.car or race.car).name if (result.car or race.car) else "",
            penalties=penalties[result.driver_id],
            pit_stops=stops[result.driver_id],
            stints=sorted(stints[result.driver_id], key=lambda s: s.first_lap or s.last_lap or 0),
            tyres=checks.get(result.driver_id),
        )
        for result, row in classification(race, results, race.penalties.all())
    ]
    return RaceData(race=race, lines=lines, grid=list(race.grid_slots.all()))

"""What each public page (and its API twin) shows, read in a fixed number of queries.

Views call one function here; it names its rows through QuerySet methods,
hands them to the loaders and the rules, and returns plain objects the
templates only format.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from functools import cached_property

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django_countries import countries

from results.models import (
    Competition,
    Driver,
    GridSlot,
    Penalty,
    PitStop,
    Race,
    RaceReport,
    Result,
    Round,
    Season,
    Team,
    Track,
    TyreStint,
)
from results.read.charts import progression_chart, strategy_chart
from results.read.loaders import (
    classification,
    classify_races,
    points_rule,
    scores_by_competition,
    tyre_checks,
)
from results.read.statements import Statement
from results.rules.order import by_lap, stint_order
from results.rules.standings import Standing, standings

# --- Standings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingLine(Standing):
    """A row of the standings with the nation of the driver (or the nation itself)."""

    nation: str = ""
    per_round: tuple = ()  # points in each shown round, None where the competitor did not race
    slug: str = ""  # the driver's page, for driver standings


@dataclass
class StandingsData:
    competition: Competition
    after_round: int | None
    rounds: list[int]  # rounds with results, up to after_round
    all_rounds: list[int]  # every round with results, for the selector
    rows: list[StandingLine]

    @property
    def chart(self):
        title = f"Points progression, {self.competition.name} {self.competition.season.year}"
        return progression_chart(self.rows, self.rounds, title)


_COMPETITION = Statement(
    lambda year, slug: Competition.objects.select_related("season").filter(season__year=year, slug=slug)
)


def competition_or_404(year, slug):
    competition = _COMPETITION.first(year, slug)
    if competition is None:
        raise Http404(f"There is no competition “{slug}” in {year}.")
    return competition


def standings_lines(competition, scores, after_round=None):
    table = standings(scores, tie_break=competition.tie_break, after_round=after_round)
    shown = sorted({s.round for s in scores if after_round is None or s.round <= after_round})
    details = {score.competitor: (score.nation, score.slug) for score in scores}
    return shown, [
        StandingLine(
            **{f.name: getattr(row, f.name) for f in fields(row)},
            nation=details.get(row.competitor, ("", ""))[0],
            slug=details.get(row.competitor, ("", ""))[1],
            per_round=tuple(row.round_points.get(number) for number in shown),
        )
        for row in table
    ]


def standings_page_data(year, competition_slug, after_round=None):
    competition = competition_or_404(year, competition_slug)
    scores = scores_by_competition([competition])[competition.pk]
    shown, rows = standings_lines(competition, scores, after_round)
    all_rounds = sorted({s.round for s in scores})
    return StandingsData(competition, shown[-1] if shown else None, shown, all_rounds, rows)


# --- A race ----------------------------------------------------------------------------------------


@dataclass
class ResultLine:
    """One row of a race's results table, with everything shown beside it."""

    result: Result  # with .nation_code, the driver's
    row: object  # rules.classification.Classified
    grid: int | None
    car_name: str
    penalties: list = field(default_factory=list)
    pit_stops: list = field(default_factory=list)
    stints: list = field(default_factory=list)
    tyres: object = None  # rules.tyres.TyreCheck, where the race has mandatory compounds

    @property
    def nation(self):
        return self.result.nation_code

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

    @property
    def podium(self):
        return [line for line in self.lines if line.row.position in (1, 2, 3)]

    @property
    def biggest_gainer(self):
        gainers = [line for line in self.lines if (line.places_gained or 0) > 0]
        return max(gainers, key=lambda line: (line.places_gained, -line.row.position), default=None)

    @property
    def breaches(self):
        return [line for line in self.lines if line.tyres is not None and line.tyres.status == "breach"]

    @property
    def penalty_count(self):
        return sum(len(line.penalties) for line in self.lines)

    @cached_property
    def strategy(self):
        if not any(line.stints or line.pit_stops for line in self.lines):
            return None
        return strategy_chart(self.race, self.lines)


RACE_RELATIONS = ("round__season", "competition__season", "track", "car", "grid_from")


def races_data(races):
    """The pages of several races (Race objects selected with RACE_RELATIONS), in order.

    Five queries whatever the number of races: their results, grids, stints, stops
    and penalties, each grouped by race here (cheaper than Django's prefetching,
    which cost a race page ~2.5 ms; docs/performance.md).
    """
    races = list(races)
    ids = [race.pk for race in races]

    def by_race(rows):
        grouped = defaultdict(list)
        for row in rows:
            grouped[row.race_id].append(row)
        return grouped

    results, grids, stints, stops, penalties = (
        by_race(statement(ids)) for statement in (_RESULTS, _GRIDS, _STINTS, _STOPS, _PENALTIES)
    )
    return [
        race_data(race, results[race.pk], grids[race.pk], stints[race.pk], stops[race.pk], penalties[race.pk])
        for race in races
    ]


def race_data(race, results, grid_slots, stints, pit_stops, penalties):
    """The page of one race, from its rows (see :func:`races_data`)."""
    penalties_of, stops_of, stints_of = defaultdict(list), defaultdict(list), defaultdict(list)
    for penalty in sorted(penalties, key=by_lap):
        penalties_of[penalty.driver_id].append(penalty)
    for stop in sorted(pit_stops, key=by_lap):
        stops_of[stop.driver_id].append(stop)
    for stint in sorted(stints, key=stint_order):
        stints_of[stint.driver_id].append(stint)
    grid = {slot.driver_id: slot.position for slot in grid_slots}
    checks = tyre_checks(race, results, stints)
    lines = [
        ResultLine(
            result=result,
            row=row,
            grid=grid.get(result.driver_id),
            car_name=(result.car or race.car).name if (result.car or race.car) else "",
            penalties=penalties_of[result.driver_id],
            pit_stops=stops_of[result.driver_id],
            stints=stints_of[result.driver_id],
            tyres=checks.get(result.driver_id),
        )
        for result, row in classification(points_rule(race), results, penalties)
    ]
    return RaceData(race=race, lines=lines, grid=list(grid_slots))


# The drivers' nation codes as plain text: django-countries' objects are slow to build.
_RESULTS = Statement(
    lambda ids: (
        Result.objects.select_related("driver", "team", "car")
        .annotate(nation_code=F("driver__nation"))
        .filter(race_id__in=ids)
    )
)
_GRIDS = Statement(
    lambda ids: (
        GridSlot.objects.select_related("driver")
        .annotate(nation_code=F("driver__nation"))
        .filter(race_id__in=ids)
        .order_by("position")
    )
)
# Unordered: the models order by driver name, a join; race_data puts them in order.
_STINTS = Statement(lambda ids: TyreStint.objects.filter(race_id__in=ids).order_by())
_STOPS = Statement(lambda ids: PitStop.objects.filter(race_id__in=ids).order_by())
_PENALTIES = Statement(lambda ids: Penalty.objects.filter(race_id__in=ids).order_by())
_RACE = Statement(
    lambda year, competition, round_, race: Race.objects.select_related(*RACE_RELATIONS).filter(
        round__season__year=year, competition__slug=competition, round__slug=round_, slug=race
    )
)
# Links only, not the bodies.
_RACE_REPORTS = Statement(
    lambda race, now: RaceReport.objects.published(now).filter(races=race).only("title", "slug")
)


def race_page_data(year, competition_slug, round_slug, race_slug):
    race = _RACE.first(year, competition_slug, round_slug, race_slug)
    if race is None:
        raise Http404(f"There is no race “{race_slug}” of the {competition_slug} at {round_slug} in {year}.")
    [data] = races_data([race])
    data.reports = _RACE_REPORTS(race.pk, timezone.now())
    return data


# --- Seasons, rounds, the home page ----------------------------------------------------------------


def _winners(scores_by_id):
    """{race_id: winner's name} for races that award points, from the engine's scores."""
    winners = {}
    for scores in scores_by_id.values():
        for score in scores:
            if score.position == 1 and score.counts_places:
                winners.setdefault(score.race, score.name)
    return winners


@dataclass
class SeasonData:
    season: Season
    rounds: list[Round]
    next_round: Round | None
    competitions: list[Competition]


def season_or_404(year):
    season = Season.objects.filter(year=year).first()
    if season is None:
        raise Http404(f"There is no {year} season.")
    return season


def latest_season_year():
    return Season.objects.order_by("-year").values_list("year", flat=True).first()


def season_page_data(year):
    season = season_or_404(year)
    competitions = list(season.competitions.all())
    winners = _winners(scores_by_competition(competitions))
    rounds = list(
        season.rounds.prefetch_related(
            Prefetch(
                "races",
                queryset=Race.objects.select_related("competition", "track").order_by(
                    "competition__name", "number"
                ),
            )
        )
    )
    for round_ in rounds:
        round_.winners = [(race, winners[race.pk]) for race in round_.races.all() if race.pk in winners]
    next_round = next((r for r in rounds if r.status == Round.Status.SCHEDULED), None)
    return SeasonData(season, rounds, next_round, competitions)


@dataclass
class RoundData:
    round: Round
    races: list[Race]  # each with .winner, the name of the winner of a race with points
    reports: list[RaceReport]


def round_page_data(year, round_slug):
    round_ = Round.objects.select_related("season").filter(season__year=year, slug=round_slug).first()
    if round_ is None:
        raise Http404(f"There is no round “{round_slug}” in {year}.")
    races = list(
        round_.races.select_related("competition", "track", "car", "grid_from").order_by(
            "competition__name", "number"
        )
    )
    competitions = list({race.competition_id: race.competition for race in races}.values())
    winners = _winners(scores_by_competition(competitions))
    for race in races:
        race.winner = winners.get(race.pk)
    reports = list(round_.reports.published().only("title", "slug"))
    return RoundData(round_, races, reports)


@dataclass
class HomeData:
    season: Season | None
    report: RaceReport | None
    latest: RaceData | None
    leaders: list  # (competition, [StandingLine, …]) top three of each
    next_round: Round | None


def home_page_data():
    season = Season.objects.filter(Exists(Round.objects.filter(season=OuterRef("pk")))).first()
    report = RaceReport.objects.published().select_related("round__season").first()
    # The last race of the latest round with results: the main race, after its sprint.
    latest_race = (
        Race.objects.select_related(*RACE_RELATIONS)
        .filter(Exists(Result.objects.filter(race=OuterRef("pk"))))
        .order_by("-round__season__year", "-round__number", "-number")
        .first()
    )
    leaders, next_round = [], None
    if season is not None:
        competitions = list(season.competitions.all())
        scores = scores_by_competition(competitions)
        for competition in competitions:
            _, rows = standings_lines(competition, scores[competition.pk])
            if rows:
                leaders.append((competition, rows[:3]))
        next_round = season.rounds.filter(status=Round.Status.SCHEDULED).order_by("number").first()
    latest = races_data([latest_race])[0] if latest_race else None
    return HomeData(season, report, latest, leaders, next_round)


# --- People and places ----------------------------------------------------------------------------


@dataclass
class HistoryLine:
    race: Race
    result: Result
    row: object  # Classified


def _history(result_filter, keep):
    """Results matching ``result_filter`` (a Q) and ``keep`` (the same test in Python), newest first.

    Each race is classified whole by the engine, so positions and points are the ones fans see.
    """
    races = list(
        Race.objects.filter(Exists(Result.objects.filter(result_filter, race=OuterRef("pk"))))
        .select_related("round__season", "competition", "track")
        .order_by("-round__season__year", "-round__number", "-number")
    )
    classified = classify_races(races)
    lines = []
    for race in races:
        for result, row in classified.get(race.pk, []):
            if keep(result):
                lines.append(HistoryLine(race, result, row))
    return lines


@dataclass
class Record:
    starts: int
    wins: int
    podiums: int
    points: int
    best: int | None


def _record(lines):
    scored = [line for line in lines if line.race.points_scale]
    positions = [line.row.position for line in scored if line.row.position]
    return Record(
        starts=len(lines),
        wins=positions.count(1),
        podiums=sum(1 for p in positions if p <= 3),
        points=sum(line.row.points for line in lines),
        best=min(positions, default=None),
    )


@dataclass
class DriverData:
    driver: Driver
    history: list[HistoryLine]
    record: Record
    championships: list  # (competition, StandingLine) in driver-scored competitions


def driver_page_data(slug):
    driver = Driver.objects.filter(slug=slug).first()
    if driver is None:
        raise Http404(f"There is no driver “{slug}”.")
    history = _history(Q(driver=driver), lambda r: r.driver_id == driver.pk)
    competitions = list(
        Competition.objects.filter(scores=Competition.Scores.DRIVER, races__results__driver=driver)
        .select_related("season")
        .distinct()
        .order_by("-season__year", "name")
    )
    scores = scores_by_competition(competitions)
    championships = []
    for competition in competitions:
        _, rows = standings_lines(competition, scores[competition.pk])
        mine = next((row for row in rows if row.competitor == driver.pk), None)
        if mine is not None:
            championships.append((competition, mine))
    return DriverData(driver, history, _record(history), championships)


@dataclass
class NationData:
    code: str
    name: str
    drivers: list[Driver]
    history: list[HistoryLine]
    record: Record


def nation_page_data(code):
    code = code.upper()
    name = countries.name(code)
    if not name:
        raise Http404(f"There is no nation “{code}”.")
    drivers = list(Driver.objects.filter(nation=code))
    if not drivers:
        raise Http404(f"No driver has raced for {name}.")
    history = _history(Q(driver__nation=code), lambda r: r.driver.nation.code == code)
    return NationData(code, name, drivers, history, _record(history))


@dataclass
class TeamData:
    team: Team
    history: list[HistoryLine]
    record: Record


def team_page_data(slug):
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404(f"There is no team “{slug}”.")
    history = _history(Q(team=team), lambda r: r.team_id == team.pk)
    return TeamData(team, history, _record(history))


@dataclass
class TrackData:
    track: Track
    races: list  # (race, the winner's Result or None)


def track_page_data(slug):
    track = Track.objects.filter(slug=slug).first()
    if track is None:
        raise Http404(f"There is no track “{slug}”.")
    races = list(
        track.races.select_related("round__season", "competition", "car").order_by(
            "-round__season__year", "-round__number"
        )
    )
    classified = classify_races(races)
    winners = {
        race_id: next((result for result, row in rows if row.position == 1), None)
        for race_id, rows in classified.items()
    }
    return TrackData(track, [(race, winners.get(race.pk)) for race in races])

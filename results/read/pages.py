"""What each public page (and its API twin) shows, read in a fixed number of queries.

Views call one function here; it names its rows through QuerySet methods,
hands them to the loaders and the rules, and returns plain objects the
templates only format.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django_countries import countries

from results.models import Car, Competition, Driver, Race, RaceReport, Result, Round, Season, Team, Track
from results.read.charts import progression_chart, strategy_chart
from results.read.history import race_corrections, standings_at
from results.read.loaders import (
    classification,
    classify_races,
    entries_of_crews,
    kept_for_seasons,
    points_rule,
    scores_by_competition,
    tyre_checks,
)
from results.read.title import TitleData, title_data
from results.rules.crews import driver_points
from results.rules.order import by_lap, stint_order
from results.rules.standings import Standing, races_in_order, standings
from results.rules.tyres import BREACH

# --- Standings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingLine(Standing):
    """A row of the standings with the nation of the driver (or the nation itself)."""

    nation: str = ""
    per_round: tuple = ()  # points in each shown round, None where the competitor did not race
    slug: str = ""  # the driver's page, for driver standings
    team_slug: str = ""  # the team's page, for team standings
    rounds: tuple = ()  # the numbers of the shown rounds, in the order of per_round
    behind: int = 0  # points behind the leader

    @property
    def by_round(self):
        """(round number, points or None) for each shown round."""
        return tuple(zip(self.rounds, self.per_round, strict=True))


@dataclass(frozen=True)
class RaceChoice:
    """A race with results, as the standings page offers it."""

    id: int
    round: int
    label: str  # "Round 2, Tokyo: Race 1"
    path: str  # "<round slug>/<race slug>"


@dataclass
class StandingsData:
    competition: Competition
    after_round: int | None
    rounds: list[int]  # rounds with results, up to after_round
    all_rounds: list[int]  # every round with results, for the selector
    rows: list[StandingLine]
    all_races: list[RaceChoice] = field(default_factory=list)  # every race with results, in order
    after_race: RaceChoice | None = None  # the race the standings are after, when one was asked for
    unknown_race: str = ""  # what was asked for as after_race and names no race with results
    title: TitleData | None = None  # who can still win, where asked for (results.read.title)

    @property
    def chart(self):
        title = f"Points progression, {self.competition.name} {self.competition.season.year}"
        return progression_chart(self.rows, self.rounds, title)

    @property
    def shows_rounds(self):
        """Whether points per round say more than the total (they do not after a single round)."""
        return len(self.rounds) > 1

    @property
    def has_movement(self):
        """Whether any row has a place to move from (after the first race nobody has)."""
        return any(row.previous_position is not None for row in self.rows)

    @property
    def links_nations(self):
        """Whether the competitors are nations, whose names link to their pages."""
        return self.competition.scores == Competition.Scores.NATION


def competition_or_404(year, slug):
    competition = Competition.objects.for_page(year, slug).first()
    if competition is None:
        raise Http404(f"There is no competition “{slug}” in {year}.")
    return competition


def standings_lines(competition, scores, after_round=None, after_race=None):
    table = standings(scores, tie_break=competition.tie_break, after_round=after_round, after_race=after_race)
    if after_race is not None:
        order = races_in_order(scores)
        kept = {race for _, _, race in order[: [race for _, _, race in order].index(after_race) + 1]}
        scores = [s for s in scores if s.race in kept]
    shown = sorted({s.round for s in scores if after_round is None or s.round <= after_round})
    details = {score.competitor: score for score in scores}
    leader = table[0].points if table else 0
    return shown, [
        StandingLine(
            **{f.name: getattr(row, f.name) for f in fields(row)},
            nation=getattr(details.get(row.competitor), "nation", ""),
            slug=getattr(details.get(row.competitor), "slug", ""),
            team_slug=getattr(details.get(row.competitor), "team_slug", ""),
            per_round=tuple(row.round_points.get(number) for number in shown),
            rounds=tuple(shown),
            behind=leader - row.points,
        )
        for row in table
    ]


def race_choices(scores):
    """Every race with scores, in the order run, as RaceChoices."""
    first = {}
    for score in scores:
        first.setdefault(score.race, score)
    return [
        RaceChoice(race, number, first[race].race_label, first[race].race_path)
        for number, _, race in races_in_order(scores)
    ]


def find_race(choices, asked):
    """The RaceChoice that ``asked`` names (a race id, or "<round slug>/<race slug>"), or None."""
    asked = asked.strip().strip("/").lower()
    if asked.isascii() and asked.isdigit():
        return next((c for c in choices if str(c.id) == str(int(asked))), None)
    return next((c for c in choices if c.path == asked), None)


def standings_page_data(
    year, competition_slug, after_round=None, after_race=None, as_of=None, with_title=False
):
    """The standings after a round, or (``after_race``: a race id or "<round slug>/<race slug>")
    after a race with results; a race that names none is noted in ``unknown_race`` and the
    standings are the latest. With ``as_of``, as they stood at that moment (from the history
    tables, :mod:`results.read.history`). ``with_title``: with the title race from there (two
    more queries)."""
    competition = competition_or_404(year, competition_slug)
    if as_of is None:
        scores = scores_by_competition([competition])[competition.pk]
    else:
        scores = standings_at(competition, as_of)
    choices = race_choices(scores)
    chosen = find_race(choices, after_race) if after_race else None
    if chosen is not None:
        after_round = None
    shown, rows = standings_lines(competition, scores, after_round, chosen.id if chosen else None)
    all_rounds = sorted({s.round for s in scores})
    title = None
    if with_title:
        after = {
            "after_round": shown[-1] if shown and chosen is None and after_round is not None else None,
            "after_race": chosen.id if chosen else None,
        }
        if as_of is None:  # the standings page, the title page and their API answers share it
            name = (
                f"title:{competition.pk}:{competition.tie_break}:{after['after_round']}:{after['after_race']}"
            )

            def work_out(names):
                # The scores again, at the versions the title race is kept under (or later): a change
                # published since ``scores`` were read is in what is kept under its versions.
                now = scores_by_competition([competition])[competition.pk]
                return {name: title_data(competition, now, **after)}

            title = kept_for_seasons({name: competition.season.year}, work_out)[name]
        else:
            title = title_data(competition, scores, **after)
    return StandingsData(
        competition,
        shown[-1] if shown else None,
        shown,
        all_rounds,
        rows,
        all_races=choices,
        after_race=chosen,
        unknown_race=after_race if after_race and chosen is None else "",
        title=title,
    )


# --- A race ----------------------------------------------------------------------------------------


class EntryDrivers:
    """What a line about an entry (its ``result`` and the ``crew`` sharing its car) names."""

    @property
    def drivers(self):
        """Every driver of the entry, the result's driver first, then the crew in order."""
        return [self.result.driver, *(member.driver for member in self.crew)]


@dataclass
class ResultLine(EntryDrivers):
    """One row of a race's results table, with everything shown beside it."""

    result: Result
    row: object  # rules.classification.Classified
    grid: int | None
    car: Car | None  # the entry's car: its own, else the race's one car
    penalties: list = field(default_factory=list)
    pit_stops: list = field(default_factory=list)
    stints: list = field(default_factory=list)
    tyres: object = None  # rules.tyres.TyreCheck, where the race has mandatory compounds
    crew: list = field(default_factory=list)  # CrewMember rows: the entry's other drivers, in order
    distance: int | None = None  # the race's laps, where set

    @property
    def off_distance_laps(self):
        """The laps the entry ran where they differ from the race's distance (lapped, retired), else
        None: beside "35 laps" a "35" would say nothing."""
        laps = self.result.laps
        if self.distance is None or laps is None or laps == self.distance:
            return None
        if self.row.is_leader and not self.row.time:
            return None  # the winner's gap cell already gives their laps
        return laps

    @property
    def car_name(self):
        return self.car.name if self.car else ""

    @property
    def places_gained(self):
        if self.grid is None or self.row.position is None:
            return None
        return self.grid - self.row.position

    @property
    def penalty_seconds(self):
        return sum((p.seconds for p in self.penalties if p.seconds), start=0)

    @property
    def missed_compounds(self):
        """The mandatory compounds the driver is known not to have used (a breach), else ()."""
        if self.tyres is not None and self.tyres.status == BREACH:
            return self.tyres.missing
        return ()


@dataclass(frozen=True)
class TimelineEvent:
    """A penalty, pit stop or incident of a race, as its lap-by-lap timeline lists it."""

    lap: int | None
    kind: str  # "penalty", "pit stop", "incident"
    driver: Driver
    text: str
    is_without_result: bool = False  # the driver has no row in the results table


@dataclass(frozen=True)
class ResultColumns:
    """Which columns of a race's results table carry something for the race: the others are not
    drawn (a points column of zeros, an empty tyre column, the same car on every row)."""

    car: bool  # the entries' cars differ (one car for everyone is named once, above the table)
    team: bool  # an entry has a team
    laps: bool  # laps per entry: the race has no set distance (timed, or not yet known)
    grid: bool
    tyres: bool
    pit_stops: bool
    penalties: bool
    points: bool  # the race awards points (or the stewards set some)

    @property
    def car_heading(self):
        return "Car / team" if self.car and self.team else ("Car" if self.car else "Team")

    @property
    def has_more(self):
        """Whether a row has more than place, driver, gap and points (a phone shows it on a second line)."""
        return any((self.car, self.team, self.laps, self.grid, self.tyres, self.pit_stops, self.penalties))

    @property
    def parts(self):
        """The parts of a row drawn in a column of their own and on a phone's second line
        (``includes/_result_cell.html``)."""
        drawn = {
            "car": self.car or self.team,
            "grid": self.grid,
            "tyres": self.tyres,
            "pit_stops": self.pit_stops,
            "penalties": self.penalties,
        }
        return [part for part, shown in drawn.items() if shown]


@dataclass
class RaceData:
    race: Race
    lines: list[ResultLine]
    grid: list  # GridSlot rows in grid order
    reports: list = field(default_factory=list)  # published reports on the race, for links
    timeline: list = field(default_factory=list)  # TimelineEvent, lap by lap (no lap last)
    penalties: list = field(default_factory=list)  # every penalty of the race, lap by lap

    @cached_property
    def corrections(self):
        """The race's corrections (read.history.CorrectionEntry), newest first: read from the history
        tables when a page shows them, so pages that do not (the CSV, the home page) never ask."""
        return race_corrections(self.race)

    @property
    def sources(self):
        return list(self.race.sources.all())

    @property
    def classification_sources(self):
        """The publishers of the sources of the classification, as the page names them (each once)."""
        return list(
            dict.fromkeys(source.publisher for source in self.sources if source.covers_classification)
        )

    @property
    def conflicts(self):
        return list(self.race.conflicts.all())

    @property
    def inferred(self):
        """What on the page was worked out rather than stated: "places", "grid places", …"""
        kinds = [
            ("places", [line.result for line in self.lines]),
            ("grid places", self.grid),
            ("tyre stints", [s for line in self.lines for s in line.stints]),
            ("penalties", [p for line in self.lines for p in line.penalties]),
        ]
        return [name for name, rows in kinds if any(row.is_inferred for row in rows)]

    @property
    def podium(self):
        return [line for line in self.lines if line.row.position in (1, 2, 3)]

    @cached_property
    def common_car(self):
        """The car every entry drove, where they all drove one (or the race names one and no entry
        another); else None."""
        cars = {line.car for line in self.lines}
        if self.race.car is not None and cars <= {self.race.car}:
            return self.race.car
        return next(iter(cars)) if len(cars) == 1 else None

    @cached_property
    def columns(self):
        lines = self.lines
        return ResultColumns(
            car=self.common_car is None and any(line.car for line in lines),
            team=any(line.result.team_id for line in lines),
            laps=self.race.laps is None and any(line.result.laps is not None for line in lines),
            grid=any(line.grid is not None for line in lines),
            tyres=any(line.stints or line.missed_compounds for line in lines),
            pit_stops=any(line.pit_stops for line in lines),
            penalties=any(line.penalties for line in lines),
            points=bool(self.race.points_scale)
            or any(line.row.points or line.row.is_points_set for line in lines),
        )

    @property
    def is_grid_complete(self):
        """Whether the grid has every finisher (places gained are then known for all of them)."""
        finishers = [line for line in self.lines if line.row.position is not None]
        return bool(finishers) and all(line.grid is not None for line in finishers)

    @property
    def biggest_gainer(self):
        """The finisher who gained most places from the grid; None unless the grid is complete."""
        if not self.is_grid_complete:
            return None
        gainers = [line for line in self.lines if (line.places_gained or 0) > 0]
        return max(gainers, key=lambda line: (line.places_gained, -line.row.position), default=None)

    @property
    def has_unpublished_places(self):
        """Whether a classified driver's place was not published (the table shows their band)."""
        return any(line.row.place_unknown for line in self.lines)

    @property
    def penalty_count(self):
        return len(self.penalties)

    @cached_property
    def strategy(self):
        if not any(line.stints or line.pit_stops for line in self.lines):
            return None
        return strategy_chart(self.race, self.lines)


def _by_driver(rows, entry_of):
    """{driver_id: rows} by the entry's first driver (``entry_of`` maps a crew's other drivers)."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[entry_of.get(row.driver_id, row.driver_id)].append(row)
    return grouped


def _crews(race):
    """{result_id: [CrewMember, …]} of a race fetched ``with_classification()``."""
    crews = defaultdict(list)
    for member in race.crew_members.all():
        crews[member.result_id].append(member)
    return crews


def _timeline(race, penalties, stops, in_results):
    """The race's penalties, pit stops and incidents lap by lap (rows without a lap last)."""
    events = []
    for penalty in penalties:
        seconds = f"{penalty.seconds.normalize():f} s, " if penalty.seconds else ""
        after = " (added after the finish)" if penalty.is_added_after_finish else ""
        events.append((penalty, "penalty", f"{seconds}{penalty.reason}{after}"))
    for stop in stops:
        duration = f"{stop.duration_seconds.normalize():f} s in the pit lane" if stop.duration_seconds else ""
        events.append((stop, "pit stop", duration))
    for incident in sorted(race.incidents.all(), key=by_lap):
        events.append((incident, "incident", incident.description))
    order = {"incident": 0, "penalty": 1, "pit stop": 2}
    events.sort(key=lambda event: (*by_lap(event[0])[:2], order[event[1]], event[0].pk))
    return [
        TimelineEvent(row.lap, kind, row.driver, text, is_without_result=row.driver_id not in in_results)
        for row, kind, text in events
    ]


def race_data(race):
    """The page of one race, from a Race fetched with ``Race.objects….with_details()``."""
    results, stints = list(race.results.all()), list(race.stints.all())
    crews = _crews(race)
    entry_of = entries_of_crews(results, crews)  # a crew's penalties, stops and stints are its entry's
    all_penalties = sorted(race.penalties.all(), key=by_lap)
    all_stops = sorted(race.pit_stops.all(), key=by_lap)
    penalties = _by_driver(all_penalties, entry_of)
    stops = _by_driver(all_stops, entry_of)
    in_results = {result.driver_id for result in results} | set(entry_of)
    stints_of = _by_driver(sorted(stints, key=stint_order), entry_of)
    grid_slots = list(race.grid_slots.all())
    grid = {slot.driver_id: slot.position for slot in grid_slots}
    checks = tyre_checks(race, results, stints, entry_of)
    lines = [
        ResultLine(
            result=result,
            row=row,
            grid=grid.get(result.driver_id),
            car=result.car or race.car,
            penalties=penalties[result.driver_id],
            pit_stops=stops[result.driver_id],
            stints=stints_of[result.driver_id],
            tyres=checks.get(result.driver_id),
            crew=crews[result.pk],
            distance=race.laps,
        )
        for result, row in classification(
            points_rule(race), results, race.penalties.all(), race.is_complete, entry_of
        )
    ]
    timeline = _timeline(race, all_penalties, all_stops, in_results)
    return RaceData(race=race, lines=lines, grid=grid_slots, timeline=timeline, penalties=all_penalties)


def race_page_data(year, competition_slug, round_slug, race_slug):
    race = Race.objects.for_page(year, competition_slug, round_slug, race_slug).first()
    if race is None:
        raise Http404(f"There is no race “{race_slug}” of the {competition_slug} at {round_slug} in {year}.")
    data = race_data(race)
    data.reports = list(race.reports.headlines())
    return data


@dataclass
class ReportData:
    """A report and the races it covers. The page keeps each race's section in a fragment of its
    own (a result saved in one race draws only that race's table again), so a race's sheet is read
    only when a section is drawn: all the races' sheets at once, in a fixed number of queries."""

    report: RaceReport
    sheets_read: bool = field(default=False, init=False)

    @cached_property
    def races(self):
        """The races the report covers, in the order they were run, each with its sheet on demand."""
        return [ReportRace(race, self) for race in Race.objects.of_report(self.report)]

    def read_sheets(self):
        """Read the sheets of the races wanted (all, unless told otherwise), in one go."""
        if not self.sheets_read:
            Race.objects.load_sheets([entry.race for entry in self.races if entry.sheet_wanted])
            self.sheets_read = True


@dataclass
class ReportRace:
    race: Race
    report: ReportData
    sheet_wanted: bool = True  # False where the page holds the race's section already drawn
    table_key: list | None = None  # the vary-on of its section's fragments (results.templatetags.fragments)

    @cached_property
    def data(self):
        """The race's page data (its sheet read with every other race's of the report, once)."""
        self.report.read_sheets()
        return race_data(self.race)

    @property
    def sheet(self):
        """:attr:`data`, read only when a part of the section that is not cached asks for it (the
        race page may have drawn the race's table and chart already)."""
        return SimpleLazyObject(lambda: self.data)


def report_page_data(slug):
    report = get_object_or_404(RaceReport.objects.published().with_round(), slug=slug)
    return ReportData(report)


# --- Seasons, rounds, the home page ----------------------------------------------------------------


@dataclass(frozen=True)
class Winner:
    """The winner of a race as the calendar and the round page name it."""

    name: str  # the competitor scored: the driver, team or nation
    drivers: tuple  # every driver of the winning entry (CrewSeat), in crew order
    is_by_driver: bool  # whether the competition scores drivers (then the drivers are the winner)

    @property
    def driver_names(self):
        return [seat.name for seat in self.drivers]

    @property
    def is_crew(self):
        return len(self.drivers) > 1


def _winners(competitions, scores_by_id, with_pointless=False):
    """{race_id: Winner} for races that award points (with ``with_pointless``, for every race with a
    winner: a sprint that only sets a grid), from the engine's scores."""
    winners = {}
    for competition in competitions:
        is_by_driver = competition.scores == Competition.Scores.DRIVER
        for score in scores_by_id[competition.pk]:
            counts = score.counts_places or with_pointless
            if score.position == 1 and counts and score.race not in winners:
                winners[score.race] = Winner(score.name, score.entry, is_by_driver)
    return winners


@dataclass
class SeasonData:
    season: Season
    rounds: list[Round]
    next_round: Round | None
    competitions: list[Competition]


def season_or_404(year):
    try:
        return Season.objects.get(year=year)
    except Season.DoesNotExist:
        raise Http404(f"There is no {year} season.") from None


def season_page_data(year):
    season = season_or_404(year)
    competitions = list(season.competitions.all())
    winners = _winners(competitions, scores_by_competition(competitions))
    rounds = list(season.rounds.with_races())
    for round_ in rounds:
        round_.winners = [(race, winners[race.pk]) for race in round_.races.all() if race.pk in winners]
    next_round = next((r for r in rounds if r.status == Round.Status.SCHEDULED), None)
    return SeasonData(season, rounds, next_round, competitions)


@dataclass
class RoundData:
    round: Round
    races: list[Race]  # each with .winner, the Winner of a race with points (else None)
    reports: list[RaceReport]


def round_page_data(year, round_slug):
    round_ = Round.objects.for_page(year, round_slug).first()
    if round_ is None:
        raise Http404(f"There is no round “{round_slug}” in {year}.")
    races = list(round_.races.in_programme_order())
    competitions = list({race.competition_id: race.competition for race in races}.values())
    winners = _winners(competitions, scores_by_competition(competitions), with_pointless=True)
    for race in races:
        race.winner = winners.get(race.pk)
    reports = list(round_.reports.headlines())
    return RoundData(round_, races, reports)


@dataclass
class PodiumLine(EntryDrivers):
    """A place on a podium: the entry's result, its classification and its crew."""

    result: Result
    row: object  # rules.classification.Classified
    crew: list = field(default_factory=list)


@dataclass
class RaceGlance:
    """A competition's races in a round, as the home page shows them: the podium of its main race
    and the winner of each sprint."""

    competition: Competition
    main: Race
    podium: list  # PodiumLine, places 1 to 3
    sprints: list  # (Race, PodiumLine of its winner)


def _podium(race):
    """The podium (places 1–3, as PodiumLines) of a race fetched ``with_classification()``."""
    results = list(race.results.all())
    crews = _crews(race)
    rows = classification(
        points_rule(race), results, race.penalties.all(), race.is_complete, entries_of_crews(results, crews)
    )
    return [PodiumLine(result, row, crews[result.pk]) for result, row in rows if row.position in (1, 2, 3)]


def round_at_a_glance(races):
    """[RaceGlance] of a round's races (fetched ``with_classification()``), per competition: the main
    race is the last main race with results (else the last race with results), sprints are the
    sprint races with a winner."""
    by_competition = defaultdict(list)
    for race in races:
        if race.results.all():
            by_competition[race.competition].append(race)
    glances = []
    for competition, run in by_competition.items():
        mains = [race for race in run if race.kind == Race.Kind.MAIN] or run[-1:]
        main = mains[-1]
        sprints = []
        for race in run:
            podium = _podium(race) if race.kind == Race.Kind.SPRINT and race is not main else []
            if podium and podium[0].row.position == 1:
                sprints.append((race, podium[0]))
        glances.append(RaceGlance(competition, main, _podium(main), sprints))
    return glances


@dataclass
class HomeData:
    season: Season | None
    reports: list  # the latest published reports, newest first
    latest_round: Round | None
    glances: list  # RaceGlance of the latest round with results, per competition
    leaders: list  # (competition, [StandingLine, …]) top three of each, with those sharing a place
    next_round: Round | None
    next_races: list  # the next round's races, in the order they start

    @property
    def report(self):
        return self.reports[0] if self.reports else None

    @property
    def next_race(self):
        """The next round's first race with a start time, or None while no time is known."""
        timed = [race for race in self.next_races if race.starts_at]
        return min(timed, key=lambda race: race.starts_at, default=None)


HOME_REPORTS = 3


def home_page_data():
    season = Season.objects.having_rounds().with_round_count().first()
    reports = list(RaceReport.objects.published().with_round()[:HOME_REPORTS])
    races = list(Race.objects.of_latest_round_with_results())
    latest_round = races[0].round if races else None
    leaders, next_round, next_races = [], None, []
    if season is not None:
        competitions = list(season.competitions.all())
        scores = scores_by_competition(competitions)
        for competition in competitions:
            _, rows = standings_lines(competition, scores[competition.pk])
            if rows:  # the top three places, with everyone who shares one
                leaders.append((competition, [row for row in rows if row.position <= 3]))
        next_round = season.rounds.scheduled().first()
        next_races = list(Race.objects.of_next_round(season))
    glances = round_at_a_glance(races)
    return HomeData(season, reports, latest_round, glances, leaders, next_round, next_races)


@dataclass
class CalendarData:
    season: Season
    competition: Competition | None
    races: list[Race]  # those with a day, in calendar order

    @property
    def name(self):
        season = self.season.name or f"GTWS {self.season.year}"
        return f"{season}: {self.competition.name}" if self.competition else season


def calendar_data(year, competition_slug=None):
    """The races of a season, or of one competition, for its iCalendar feed (two queries)."""
    if competition_slug is None:
        season, competition = season_or_404(year), None
    else:
        competition = competition_or_404(year, competition_slug)
        season = competition.season
    races = list(Race.objects.for_calendar(year, competition_slug))
    return CalendarData(season, competition, races)


# --- People and places ----------------------------------------------------------------------------


@dataclass
class HistoryLine(EntryDrivers):
    """An entry's result in a race, as the lists of a driver's, nation's, team's or track's races show it."""

    race: Race
    result: Result
    row: object  # Classified
    crew: list = field(default_factory=list)  # the entry's other drivers (CrewMember), in order
    points: int | None = None  # what the page's driver scored, where it differs from the entry's (crews)

    @property
    def scored(self):
        return self.row.points if self.points is None else self.points

    @property
    def car(self):
        """The car the entry drove: its own, else the race's one car."""
        return self.result.car or self.race.car

    def raced_for(self, team):
        """Whether the entry raced for ``team``: entered by it, or in a car it makes."""
        car = self.car
        return self.result.team_id == team.pk or (car is not None and car.manufacturer_id == team.pk)


def _history(races, keep, driver=None):
    """The lines (HistoryLine) of ``races`` that ``keep`` keeps, newest first; with ``driver``, points
    are the driver's own (a crew's drivers score as their competition says).

    Each race is classified whole by the engine, so positions and points are the ones fans see.
    """
    races = list(races)
    classified = classify_races(races)
    lines = []
    for race in races:
        crews = _crews(race)
        for result, row in classified.get(race.pk, []):
            line = HistoryLine(race, result, row, crews[result.pk])
            if not keep(line):
                continue
            if driver is not None and line.crew:
                line.points = driver_points(row.points, 1 + len(line.crew), race.competition.crew_points)
            lines.append(line)
    return lines


class HistoryColumns:
    """Which columns of a page's history table carry something (a page with ``history`` lines)."""

    @property
    def history_has_teams(self):
        return any(line.result.team_id for line in self.history)

    @property
    def history_has_points(self):
        return any(line.race.points_scale or line.scored for line in self.history)


@dataclass
class Record:
    starts: int
    wins: int
    podiums: int
    points: int
    best: int | None
    competition: Competition | None = None
    year: int | None = None  # the competition's season
    standing: object = None  # the StandingLine of a driver in a driver-scored competition


def _record(lines, competition=None, starts_per_race=False):
    """A record of history lines; ``starts_per_race`` counts a race once however many of the
    lines (a team's or a car's several entries) were in it."""
    scored = [line for line in lines if line.race.points_scale]
    positions = [line.row.position for line in scored if line.row.position]
    return Record(
        starts=len({line.race.pk for line in lines}) if starts_per_race else len(lines),
        wins=positions.count(1),
        podiums=sum(1 for p in positions if p <= 3),
        points=sum(line.scored for line in lines),
        best=min(positions, default=None),
        competition=competition,
        year=lines[0].race.round.season.year if competition and lines else None,
    )


def records_by_competition(lines):
    """A Record per competition (each season's Nations Cup apart), the newest season first."""
    grouped = {}
    for line in lines:
        grouped.setdefault(line.race.competition_id, (line.race.competition, []))[1].append(line)
    return [_record(rows, competition) for competition, rows in grouped.values()]


@dataclass
class DriverData(HistoryColumns):
    driver: Driver
    history: list[HistoryLine]
    record: Record
    championships: list  # (competition, StandingLine) in driver-scored competitions
    by_competition: list = field(default_factory=list)  # Record per competition


def driver_page_data(slug):
    try:
        driver = Driver.objects.get(slug=slug)
    except Driver.DoesNotExist:
        raise Http404(f"There is no driver “{slug}”.") from None
    history = _history(
        Race.objects.driven_by(pk=driver.pk), lambda line: driver in line.drivers, driver=driver
    )
    competitions = list(Competition.objects.championships_of(driver))
    scores = scores_by_competition(competitions)
    championships = []
    for competition in competitions:
        _, rows = standings_lines(competition, scores[competition.pk])
        mine = next((row for row in rows if row.competitor == driver.pk), None)
        if mine is not None:
            championships.append((competition, mine))
    by_competition = records_by_competition(history)
    standing_in = {competition.pk: row for competition, row in championships}
    for record in by_competition:
        record.standing = standing_in.get(record.competition.pk)
    return DriverData(driver, history, _record(history), championships, by_competition)


@dataclass
class NationData(HistoryColumns):
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
    drivers = list(Driver.objects.of_nation(code))
    if not drivers:
        raise Http404(f"No driver has raced for {name}.")
    history = _history(
        Race.objects.driven_by(nation=code),
        lambda line: any(person.nation.code == code for person in line.drivers),
    )
    return NationData(code, name, drivers, history, _record(history))


@dataclass
class TeamData(HistoryColumns):
    team: Team
    history: list[HistoryLine]
    record: Record
    cars: list = field(default_factory=list)  # the cars it makes


def team_page_data(slug):
    try:
        team = Team.objects.get(slug=slug)
    except Team.DoesNotExist:
        raise Http404(f"There is no team “{slug}”.") from None
    history = _history(Race.objects.raced_for(team), lambda line: line.raced_for(team))
    return TeamData(team, history, _record(history, starts_per_race=True), list(team.cars.all()))


@dataclass
class CarData:
    car: Car
    history: list[HistoryLine]
    record: Record

    @property
    def teams(self):
        """The teams that entered the car, by name (each once)."""
        teams = {line.result.team.pk: line.result.team for line in self.history if line.result.team}
        return sorted(teams.values(), key=lambda team: team.name)

    @property
    def drivers(self):
        """Everyone who drove it, crews included, by name (each once)."""
        drivers = {driver.pk: driver for line in self.history for driver in line.drivers}
        return sorted(drivers.values(), key=lambda driver: driver.name)


def car_page_data(slug):
    car = Car.objects.for_links().filter(slug=slug).first()
    if car is None:
        raise Http404(f"There is no car “{slug}”.")
    history = _history(
        Race.objects.driven_in(car), lambda line: line.car is not None and line.car.pk == car.pk
    )
    return CarData(car, history, _record(history, starts_per_race=True))


@dataclass
class TrackData:
    track: Track
    races: list  # (race, the winning entry's HistoryLine or None)


def track_page_data(slug):
    try:
        track = Track.objects.get(slug=slug)
    except Track.DoesNotExist:
        raise Http404(f"There is no track “{slug}”.") from None
    races = list(Race.objects.at_track(track))
    winners = {}
    for line in _history(races, lambda line: line.row.position == 1):
        winners.setdefault(line.race.pk, line)
    return TrackData(track, [(race, winners.get(race.pk)) for race in races])


# --- Indexes and a competition's season ------------------------------------------------------------

PER_PAGE = 50  # rows of an index page


@dataclass
class IndexData:
    page: Page  # Django's Paginator page of the rows
    asked: str | None  # the page number asked for (canonical), None for the first

    @property
    def is_canonical(self):
        """Whether the page shown is the one asked for (a number past the last shows the last)."""
        return self.asked is None or self.asked == str(self.page.number)


def index_page(rows, asked=None):
    """One page of ``rows`` (a QuerySet: a count and a slice, two queries; or a list)."""
    return IndexData(Paginator(rows, PER_PAGE).get_page(asked or 1), asked)


def drivers_index(asked=None):
    return index_page(Driver.objects.all(), asked)


def nations_index(asked=None):
    rows = [
        {"code": row["nation"], "name": countries.name(row["nation"]), "drivers": row["drivers"]}
        for row in Driver.objects.nations()
    ]
    return index_page(sorted(rows, key=lambda row: row["name"]), asked)


def teams_index(asked=None):
    return index_page(Team.objects.all(), asked)


def cars_index(asked=None):
    return index_page(Car.objects.for_links(), asked)


def tracks_index(asked=None):
    return index_page(Track.objects.all(), asked)


def reports_index(asked=None):
    return index_page(RaceReport.objects.published().with_round(), asked)


@dataclass
class CompetitionSeasonData:
    competition: Competition
    rounds: list  # (Round, [(Race, Winner or None)]) the competition's races of each round
    leaders: list  # StandingLine: the top five places, with everyone who shares one


def competition_season_data(year, slug):
    """A competition's season at a glance: its rounds and winners and the top of its standings."""
    competition = competition_or_404(year, slug)
    scores = scores_by_competition([competition])
    winners = _winners([competition], scores)
    _, rows = standings_lines(competition, scores[competition.pk])
    rounds = []
    for round_ in competition.season.rounds.with_races():
        races = [race for race in round_.races.all() if race.competition_id == competition.pk]
        rounds.append((round_, [(race, winners.get(race.pk)) for race in races]))
    leaders = [row for row in rows if row.position <= 5]
    return CompetitionSeasonData(competition, rounds, leaders)

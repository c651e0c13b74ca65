"""Rows from the database into the rules' plain data, and the rules' answers back."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from django_countries import countries

from results.models import Competition, CrewMember, Penalty, Result
from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow
from results.rules.classification import Entry, PointsRule, classify
from results.rules.crews import CrewSeat, crew_scores
from results.rules.standings import Score, standings
from results.rules.tyres import Stint, check_tyres


def race_sheet(race):
    """The stored grid, results, stints, pit stops and penalties of a race, as a RaceSheet."""

    def rows(manager, make):
        return [make(index, row) for index, row in enumerate(manager.with_driver(), start=1)]

    return RaceSheet(
        laps=race.laps,
        is_complete=race.is_complete,
        points_scale=tuple(race.points_scale or ()),
        results=rows(
            race.results,
            lambda i, r: ResultRow(
                i, r.driver_id, r.driver.name, r.position, r.laps, r.status, *place_of(r), r.points
            ),
        ),
        grid=rows(
            race.grid_slots, lambda i, g: GridRow(i, g.driver_id, g.driver.name, g.position, g.compound)
        ),
        stints=rows(
            race.stints,
            lambda i, s: StintRow(i, s.driver_id, s.driver.name, s.compound, s.first_lap, s.last_lap),
        ),
        pit_stops=rows(race.pit_stops, lambda i, p: LapRow(i, p.driver_id, p.driver.name, p.lap)),
        penalties=rows(race.penalties, lambda i, p: LapRow(i, p.driver_id, p.driver.name, p.lap)),
    )


def place_of(result):
    """(place_unknown, place_from, place_to) of a result, for a ResultRow."""
    return result.place_unknown, result.place_from, result.place_to


def points_rule(race):
    return PointsRule(tuple(race.points_scale or ()), race.points_multiplier)


def _entry(result, added_seconds):
    return Entry(
        driver=result.driver_id,
        position=result.position,
        status=result.status,
        laps=result.laps,
        gap=result.gap,
        time=result.time,
        added_seconds=added_seconds or Decimal(0),
        points_set=result.points,
        place_unknown=result.place_unknown,
        place_from=result.place_from,
        place_to=result.place_to,
    )


def _added_seconds(penalties, entry_of):
    """Seconds added after the finish, per entry (its first driver), from a race's penalties."""
    added = defaultdict(Decimal)
    for penalty in penalties:
        if penalty.is_added_after_finish and penalty.seconds:
            added[entry_of.get(penalty.driver_id, penalty.driver_id)] += penalty.seconds
    return added


def entries_of_crews(results, crews):
    """{driver_id: the entry's first driver_id} for the other drivers of crewed entries.

    ``crews`` maps a result's id to its other drivers (CrewMember rows or CrewSeats): a penalty,
    stop or stint of any driver of a crew belongs to the entry.
    """
    return {
        seat.driver_id if isinstance(seat, CrewMember) else seat.driver: result.driver_id
        for result in results
        for seat in crews.get(result.id, ())
    }


def classification(rule, results, penalties, is_complete=False, entry_of=None):
    """A race's classification under its points ``rule``, from its results and penalties (already fetched).

    ``results`` are Result objects or rows with the same attribute names; ``entry_of`` maps the
    other drivers of crews to their entry's first driver (:func:`entries_of_crews`); ``is_complete``:
    the race's classification lists every classified driver. Returns a list of (result, Classified)
    pairs in classification order.
    """
    added = _added_seconds(penalties, entry_of or {})
    by_driver = {r.driver_id: r for r in results}
    rows = classify([_entry(r, added.get(r.driver_id)) for r in results], rule, is_complete=is_complete)
    return [(by_driver[row.driver], row) for row in rows]


def tyre_checks(race, results, stints, entry_of=None):
    """Mandatory-compound checks of each classified entry: {driver_id: TyreCheck} (a crew's stints
    count for its entry, through ``entry_of``)."""
    if not race.required_compounds:
        return {}
    entry_of = entry_of or {}
    by_driver = defaultdict(list)
    for stint in stints:
        driver = entry_of.get(stint.driver_id, stint.driver_id)
        by_driver[driver].append(Stint(stint.compound, stint.first_lap, stint.last_lap))
    return {
        r.driver_id: check_tyres(
            by_driver[r.driver_id], r.laps, race.required_compounds, race.required_compounds_min
        )
        for r in results
        if r.position is not None or r.place_unknown
    }


def classify_races(races):
    """{race_id: [(Result, Classified), …]} for races with results.

    ``races`` come from a QuerySet made with ``Race.objects….with_classification()``.
    """
    classified = {}
    for race in races:
        results = race.results.all()
        if results:
            crews = defaultdict(list)
            for member in race.crew_members.all():
                crews[member.result_id].append(member)
            entry_of = entries_of_crews(results, crews)
            classified[race.pk] = classification(
                points_rule(race), results, race.penalties.all(), race.is_complete, entry_of
            )
    return classified


@dataclass(frozen=True)
class CompetitorScore(Score):
    """A Score with what pages show beside the competitor's name."""

    nation: str = ""  # the driver's nation, or the nation itself
    slug: str = ""  # the driver's page, where drivers score
    team_slug: str = ""  # the team's page, where teams score
    race_label: str = ""  # "Round 2, Tokyo: Race 1", for the choice of a race
    race_path: str = ""  # "<round slug>/<race slug>", which names the race in a URL
    entry: tuple = ()  # every driver of the entry (CrewSeat), its first driver first, in crew order


def crew_seats(rows):
    """{result_id: [CrewSeat, …]}: the other drivers of each entry, in crew order, from
    ``CrewMember.objects.of_competitions()`` rows."""
    seats = defaultdict(list)
    for row in rows:
        seats[row.result_id].append(
            CrewSeat(row.driver_id, row.driver__name, row.driver__nation, row.driver__slug)
        )
    return seats


# Keeps data worked out for one season's pages between renders: None (worked out each time) until the
# app wires in the page cache's keeper (results.apps; results.cache.kept).
_keeper = None


def keep_season_data_with(keeper):
    """Have ``keeper(named, work_out)`` keep what :func:`kept_for_seasons` is asked for (None: nothing)."""
    global _keeper
    _keeper = keeper


def kept_for_seasons(named, work_out):
    """{name: value} for ``named`` ({name: the year of the one season its value shows}), from the
    keeper where it holds them, else from ``work_out(names)`` ({name: value} for those names).

    For data every page of a season may show, read from the season's rows as stored now: the keeper
    keeps it until the season's racing data changes, as the season's cached pages are kept."""
    if _keeper is None:
        return work_out(list(named))
    return _keeper(named, work_out)


def scores_by_competition(competitions):
    """{competition_id: [Score, …]} for several competitions, in three queries whatever their number
    (none for those the keeper holds: read once per change of their season, for all its pages).

    An entry scores once for its team or nation; in driver standings each driver of a crew
    scores as the competition's ``crew_points`` says (results.rules.crews).
    """
    # The name carries what the scores take from the competition row the caller read: one read
    # before a change of it is never kept under the versions after it for those who read it after.
    by_name = {f"scores:{c.pk}:{c.scores}:{c.crew_points}": c for c in competitions}

    def work_out(names):
        read = read_scores([by_name[name] for name in names])
        return {name: read[by_name[name].pk] for name in names}

    kept = kept_for_seasons({name: c.season.year for name, c in by_name.items()}, work_out)
    return {c.pk: kept[name] for name, c in by_name.items()}


def read_scores(competitions):
    """{competition_id: [Score, …]}, read now (three queries)."""
    ids = [c.pk for c in competitions]
    return scores_from(
        competitions,
        Result.objects.scored(ids),
        Penalty.objects.added_after_finish().of_competitions(ids),
        crew_seats(CrewMember.objects.of_competitions(ids)),
    )


def scored_order(row):
    """The order of :meth:`results.models.sheet.ResultQuerySet.scored` rows: race by race, by place."""
    return (row.round_number, row.race_number, row.race_id, row.position is None, row.position or 0, row.id)


def scores_from(competitions, result_rows, penalty_rows, crews=None, races=None):
    """{competition_id: [Score, …]} from scored result rows (in :func:`scored_order`), penalties and
    crews ({result id: other drivers}), as stored now or as they stood at a moment (results.read.history;
    crews keep no history, so they count as stored now).

    ``races`` ({race id: a row with ``points_scale``, ``points_multiplier`` and ``is_complete``}) gives
    races' scoring as it stood at that moment; a race it does not name scores as stored (the race's
    columns on its result rows).
    """
    crews = crews or {}
    races = races or {}
    competitions = {c.pk: c for c in competitions}
    scores = {pk: [] for pk in competitions}
    penalties = defaultdict(list)
    for penalty in penalty_rows:
        penalties[penalty.race_id].append(penalty)
    for race_id, results in groupby(result_rows, key=attrgetter("race_id")):
        results = list(results)
        race = results[0]  # the race's own columns (points scale, round) are on each of its rows
        competition = competitions[race.competition_id]
        scoring = races.get(race_id)
        rule = points_rule(scoring or race)
        is_complete = scoring.is_complete if scoring else race.race_is_complete
        entry_of = entries_of_crews(results, crews) if crews else {}
        for result, classified in classification(rule, results, penalties[race_id], is_complete, entry_of):
            competitor, name, nation, slug = _competitor(competition.scores, result)
            if competitor is None:
                continue
            score = CompetitorScore(
                round=race.round_number,
                race=race_id,
                competitor=competitor,
                name=name,
                position=classified.position,
                points=classified.points,
                counts_places=rule.awards_points,
                race_number=race.race_number,
                nation=nation,
                slug=slug,
                team_slug=result.team_slug if competition.scores == Competition.Scores.TEAM else "",
                race_label=f"Round {race.round_number}, {race.round_name}: {race.race_name}",
                race_path=f"{race.round_slug}/{race.race_slug}",
                entry=(
                    CrewSeat(result.driver_id, result.driver_name, result.nation, result.driver_slug),
                    *crews.get(result.id, ()),
                ),
            )
            if crews and competition.scores == Competition.Scores.DRIVER and result.id in crews:
                scores[competition.pk].extend(crew_scores(score, crews[result.id], competition.crew_points))
            else:
                scores[competition.pk].append(score)
    return scores


def competition_scores(competition):
    """Every competitor's take from every race of a competition, as plain Scores (two queries)."""
    return scores_by_competition([competition])[competition.pk]


def _competitor(scores, result):
    """(competitor, name, nation code, driver slug) a result row scores for; competitor None for nobody."""
    if scores == Competition.Scores.TEAM:
        return (result.team_id, result.team_name, "", "") if result.team_id else (None, "", "", "")
    if scores == Competition.Scores.NATION:
        nation = result.nation
        return (nation, countries.name(nation), nation, "") if nation else (None, "", "", "")
    return result.driver_id, result.driver_name, result.nation, result.driver_slug


def competition_standings(competition, after_round=None, scores=None, after_race=None):
    """The standings of a competition after a round (default: the last with results) or a race (its id)."""
    scores = competition_scores(competition) if scores is None else scores
    return standings(scores, tie_break=competition.tie_break, after_round=after_round, after_race=after_race)

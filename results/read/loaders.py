"""Rows from the database into the rules' plain data, and the rules' answers back."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from django_countries import countries

from results.models import Competition, Penalty, Result
from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow
from results.rules.classification import Entry, PointsRule, classify
from results.rules.standings import Score, standings
from results.rules.tyres import Stint, check_tyres


def race_sheet(race):
    """The stored grid, results, stints, pit stops and penalties of a race, as a RaceSheet."""

    def rows(manager, make):
        return [make(index, row) for index, row in enumerate(manager.with_driver(), start=1)]

    return RaceSheet(
        laps=race.laps,
        is_complete=race.is_complete,
        results=rows(
            race.results,
            lambda i, r: ResultRow(i, r.driver_id, r.driver.name, r.position, r.laps, r.status),
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
    )


def _added_seconds(penalties):
    """Seconds added after the finish, per driver, from a race's penalties."""
    added = defaultdict(Decimal)
    for penalty in penalties:
        if penalty.is_added_after_finish and penalty.seconds:
            added[penalty.driver_id] += penalty.seconds
    return added


def classification(rule, results, penalties):
    """A race's classification under its points ``rule``, from its results and penalties (already fetched).

    ``results`` are Result objects or rows with the same attribute names. Returns a list of
    (result, Classified) pairs in classification order.
    """
    added = _added_seconds(penalties)
    by_driver = {r.driver_id: r for r in results}
    rows = classify([_entry(r, added.get(r.driver_id)) for r in results], rule)
    return [(by_driver[row.driver], row) for row in rows]


def tyre_checks(race, results, stints):
    """Mandatory-compound checks of each classified entry: {driver_id: TyreCheck}."""
    if not race.required_compounds:
        return {}
    by_driver = defaultdict(list)
    for stint in stints:
        by_driver[stint.driver_id].append(Stint(stint.compound, stint.first_lap, stint.last_lap))
    return {
        r.driver_id: check_tyres(by_driver[r.driver_id], r.laps, race.required_compounds)
        for r in results
        if r.position is not None
    }


def classify_races(races):
    """{race_id: [(Result, Classified), …]} for races with results.

    ``races`` come from a QuerySet made with ``Race.objects….with_classification()``.
    """
    return {
        race.pk: classification(points_rule(race), race.results.all(), race.penalties.all())
        for race in races
        if race.results.all()
    }


@dataclass(frozen=True)
class CompetitorScore(Score):
    """A Score with what pages show beside the competitor's name."""

    nation: str = ""  # the driver's nation, or the nation itself
    slug: str = ""  # the driver's page, where drivers score


def scores_by_competition(competitions):
    """{competition_id: [Score, …]} for several competitions, in two queries whatever their number."""
    ids = [c.pk for c in competitions]
    return scores_from(
        competitions, Result.objects.scored(ids), Penalty.objects.added_after_finish().of_competitions(ids)
    )


def scored_order(row):
    """The order of :meth:`results.models.sheet.ResultQuerySet.scored` rows: race by race, by place."""
    return (row.round_number, row.race_number, row.race_id, row.position is None, row.position or 0, row.id)


def scores_from(competitions, result_rows, penalty_rows):
    """{competition_id: [Score, …]} from scored result rows (in :func:`scored_order`) and penalties,
    as stored now or as they stood at a moment (results.read.history)."""
    competitions = {c.pk: c for c in competitions}
    scores = {pk: [] for pk in competitions}
    penalties = defaultdict(list)
    for penalty in penalty_rows:
        penalties[penalty.race_id].append(penalty)
    for race_id, results in groupby(result_rows, key=attrgetter("race_id")):
        results = list(results)
        race = results[0]  # the race's own columns (points scale, round) are on each of its rows
        competition = competitions[race.competition_id]
        rule = points_rule(race)
        for result, classified in classification(rule, results, penalties[race_id]):
            competitor, name, nation, slug = _competitor(competition.scores, result)
            if competitor is None:
                continue
            scores[competition.pk].append(
                CompetitorScore(
                    round=race.round_number,
                    race=race_id,
                    competitor=competitor,
                    name=name,
                    position=classified.position,
                    points=classified.points,
                    counts_places=rule.awards_points,
                    nation=nation,
                    slug=slug,
                )
            )
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


def competition_standings(competition, after_round=None, scores=None):
    """The standings of a competition after a round (default: the last with results)."""
    scores = competition_scores(competition) if scores is None else scores
    return standings(scores, tie_break=competition.tie_break, after_round=after_round)

"""Rows from the database into the rules' plain data: the one place that queries for them."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from django.db.models import F, Q
from django_countries import countries

from results.models import Competition, Penalty, Result
from results.read.statements import Statement
from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow
from results.rules.classification import Entry, PointsRule, classify
from results.rules.standings import Score, standings
from results.rules.tyres import Stint, check_tyres


def race_sheet(race):
    """The stored grid, results, stints, pit stops and penalties of a race, as a RaceSheet."""

    def rows(manager, make):
        return [make(index, row) for index, row in enumerate(manager.select_related("driver"), start=1)]

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


# The penalties that change a classification: seconds added after the finish.
_ADDED_AFTER_FINISH = Q(is_added_after_finish=True, seconds__isnull=False)


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
    """{race_id: [(Result, Classified), …]} for the given races, in two queries whatever their number.

    ``races`` are Race objects (their points scale is read from them).
    """
    races = {race.pk: race for race in races}
    results = defaultdict(list)
    for result in (
        Result.objects.filter(race_id__in=races)
        .select_related("driver", "team", "car")
        .order_by("race_id", "position", "pk")
    ):
        results[result.race_id].append(result)
    penalties = defaultdict(list)
    for penalty in Penalty.objects.filter(_ADDED_AFTER_FINISH, race_id__in=races):
        penalties[penalty.race_id].append(penalty)
    return {
        race_id: classification(points_rule(race), results[race_id], penalties[race_id])
        for race_id, race in races.items()
        if results[race_id]
    }


@dataclass(frozen=True)
class CompetitorScore(Score):
    """A Score with what pages show beside the competitor's name."""

    nation: str = ""  # the driver's nation, or the nation itself
    slug: str = ""  # the driver's page, where drivers score


def scores_by_competition(competitions):
    """{competition_id: [Score, …]} for several competitions, in two queries whatever their number.

    Standings read every result of a season, so the rows come as named tuples, not model
    instances: the engine needs a handful of fields from each.
    """
    competitions = {c.pk: c for c in competitions}
    scores = {pk: [] for pk in competitions}
    penalties = defaultdict(list)
    ids = list(competitions)
    for penalty in _ADDED_PENALTIES(ids):
        penalties[penalty.race_id].append(penalty)
    for race_id, results in groupby(_SCORED_RESULTS(ids), key=attrgetter("race_id")):
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


_RESULT_FIELDS = ("race_id", "driver_id", "team_id", "position", "status", "laps", "gap", "time", "points")
_SCORE_COLUMNS = {
    "competition_id": F("race__competition_id"),
    "round_number": F("race__round__number"),
    "points_scale": F("race__points_scale"),
    "points_multiplier": F("race__points_multiplier"),
    "driver_name": F("driver__name"),
    "driver_slug": F("driver__slug"),
    "nation": F("driver__nation"),
    "team_name": F("team__name"),
}


_ADDED_PENALTIES = Statement(
    lambda competitions: (
        Penalty.objects.filter(_ADDED_AFTER_FINISH, race__competition_id__in=competitions)
        .order_by()
        .values_list("race_id", "driver_id", "seconds", "is_added_after_finish", named=True)
    )
)
_SCORED_RESULTS = Statement(
    lambda competitions: (
        Result.objects.filter(race__competition_id__in=competitions)
        .annotate(**_SCORE_COLUMNS)
        .order_by("round_number", "race__number", "race_id", "position", "pk")
        .values_list(*_RESULT_FIELDS, *_SCORE_COLUMNS, named=True)
    )
)


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

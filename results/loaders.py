"""Rows from the database into the rules' plain data: the one place that queries for them."""

from collections import defaultdict
from decimal import Decimal

from django_countries import countries

from .models import Competition, Penalty, Race, Result
from .rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow
from .rules.classification import Entry, PointsRule, classify
from .rules.standings import Score, standings
from .rules.tyres import Stint, check_tyres


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


def _added_seconds(penalties):
    """Seconds added after the finish, per driver, from a race's penalties."""
    added = defaultdict(Decimal)
    for penalty in penalties:
        if penalty.is_added_after_finish and penalty.seconds:
            added[penalty.driver_id] += penalty.seconds
    return added


def classification(race, results, penalties):
    """The classification of ``race`` from its results and penalties (already fetched).

    Returns a list of (Result, Classified) pairs in classification order.
    """
    added = _added_seconds(penalties)
    by_driver = {r.driver_id: r for r in results}
    rows = classify([_entry(r, added.get(r.driver_id)) for r in results], points_rule(race))
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
    for penalty in Penalty.objects.filter(
        race_id__in=races, is_added_after_finish=True, seconds__isnull=False
    ):
        penalties[penalty.race_id].append(penalty)
    return {
        race_id: classification(race, results[race_id], penalties[race_id])
        for race_id, race in races.items()
        if results[race_id]
    }


def scores_by_competition(competitions):
    """{competition_id: [Score, …]} for several competitions, in three queries whatever their number."""
    competitions = {c.pk: c for c in competitions}
    races = (
        Race.objects.filter(competition_id__in=competitions)
        .select_related("round")
        .only("pk", "competition_id", "points_scale", "points_multiplier", "round__number")
    )
    classified = classify_races(races)
    scores = {pk: [] for pk in competitions}
    for race in races:
        rule = points_rule(race)
        competition = competitions[race.competition_id]
        for result, row in classified.get(race.pk, []):
            competitor, name = _competitor(competition.scores, result)
            if competitor is None:
                continue
            scores[competition.pk].append(
                Score(
                    round=race.round.number,
                    race=race.pk,
                    competitor=competitor,
                    name=name,
                    position=row.position,
                    points=row.points,
                    counts_places=rule.awards_points,
                )
            )
    return scores


def competition_scores(competition):
    """Every competitor's take from every race of a competition, as plain Scores (three queries)."""
    return scores_by_competition([competition])[competition.pk]


def _competitor(scores, result):
    if scores == Competition.Scores.TEAM:
        return (result.team_id, result.team.name) if result.team_id else (None, "")
    if scores == Competition.Scores.NATION:
        code = result.driver.nation.code
        return (code, countries.name(code)) if code else (None, "")
    return result.driver_id, result.driver.name


def competition_standings(competition, after_round=None, scores=None):
    """The standings of a competition after a round (default: the last with results)."""
    scores = competition_scores(competition) if scores is None else scores
    return standings(scores, tie_break=competition.tie_break, after_round=after_round)

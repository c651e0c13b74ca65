"""A season from the database as a ``gtws-results/1`` document."""

from collections import defaultdict

from django.db.models import Prefetch

from results.exchange.validate import FORMAT
from results.models import Competition, Penalty, Race, Result, Season, TyreStint
from results.rules.order import by_lap, stint_order


def _number(value):
    """Decimal seconds as a JSON number: 0.5, not "0.500"."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral() else float(value)


def export_season(year):
    """The document for the season of ``year`` (a dict ready for ``json.dumps``)."""
    season = Season.objects.get(year=year)
    rounds = list(season.rounds.order_by("number"))
    races = (
        Race.objects.filter(round__season=season)
        .select_related("track", "car", "grid_from")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=Result.objects.select_related("driver", "team", "car").order_by("position", "pk"),
            ),
            "grid_slots",
            Prefetch("stints", queryset=TyreStint.objects.order_by("driver_id", "first_lap", "last_lap")),
            Prefetch("penalties", queryset=Penalty.objects.order_by("driver_id", "lap", "pk")),
        )
        .order_by("number")
    )
    by_round_and_competition = defaultdict(list)
    for race in races:
        by_round_and_competition[(race.round_id, race.competition_id)].append(race)
    rounds_with_races = {round_id for round_id, _ in by_round_and_competition}
    competitions = []
    for competition in Competition.objects.filter(season=season).order_by("name"):
        competitions.append(
            {
                "name": competition.name,
                "slug": competition.slug,
                "scores": competition.scores,
                "tie_break": competition.tie_break,
                "rounds": [
                    _round(round_, by_round_and_competition[(round_.pk, competition.pk)])
                    for round_ in rounds
                    # A round shows under the competitions racing there; a round with no races, under all.
                    if (round_.pk, competition.pk) in by_round_and_competition
                    or round_.pk not in rounds_with_races
                ],
            }
        )
    return {
        "format": FORMAT,
        "season": {"year": season.year, "name": season.name or None},
        "competitions": competitions,
    }


def round_fields(round_):
    """A round's own fields as the season file (and the API's calendar) writes them."""
    return {
        "number": round_.number,
        "name": round_.name,
        "city": round_.city,
        "country": round_.country.code,
        "venue": round_.venue or None,
        "date": round_.date.isoformat() if round_.date else None,
    }


def _round(round_, races):
    return {**round_fields(round_), "races": [_race(race) for race in races]}


def _race(race):
    grid = {slot.driver_id: slot.position for slot in race.grid_slots.all()}
    stints, penalties = defaultdict(list), defaultdict(list)
    for stint in race.stints.all():
        stints[stint.driver_id].append(stint)
    for penalty in race.penalties.all():
        penalties[penalty.driver_id].append(penalty)
    return {
        "number": race.number,
        "name": race.name,
        "kind": race.kind,
        "track": {
            "name": race.track.name,
            "layout": race.track.layout or None,
            "country": race.track.country.code or None,
        },
        "laps": race.laps,
        "car": race.car.name if race.car else None,
        "grid_from": race.grid_from.number if race.grid_from else None,
        "points": list(race.points_scale),
        "points_multiplier": race.points_multiplier,
        "required_compounds": list(race.required_compounds),
        "complete": race.is_complete,
        "results": [
            _entry(
                result, grid, sorted(stints[result.driver_id], key=stint_order), penalties[result.driver_id]
            )
            for result in race.results.all()
        ],
    }


def _entry(result, grid, stints, penalties):
    return {
        "position": result.position,
        "driver": result.driver.name,
        "nation": result.driver.nation.code or None,
        "team": result.team.name if result.team else None,
        "car": result.car.name if result.car else None,
        "grid": grid.get(result.driver_id),
        "laps": result.laps,
        "time": result.time or None,
        "gap": result.gap or None,
        "status": result.status,
        "reason": result.reason or None,
        "points": result.points,
        "penalties": [
            {"lap": p.lap, "seconds": _number(p.seconds), "reason": p.reason}
            for p in sorted(penalties, key=by_lap)
        ],
        "stints": [{"compound": s.compound, "from_lap": s.first_lap, "to_lap": s.last_lap} for s in stints],
    }

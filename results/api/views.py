"""The open-data API: read-only JSON and CSV, no login, cached per season (results.cache)."""

from datetime import date, datetime, time
from functools import wraps

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from results.api.spreadsheets import csv_response
from results.cache import scopes
from results.cache.pages import cached_page, dont_store, iso_date, positive_number
from results.exchange.exporter import round_fields
from results.read.pages import race_page_data, season_or_404, standings_page_data


def _error(status, message):
    return JsonResponse({"error": message}, status=status)


def json_errors(view):
    """Unknown seasons, competitions, rounds and races answer 404 with a JSON error, not a web page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as error:
            return _error(404, str(error) or "Not found.")
        except ValueError as error:
            return _error(400, str(error))

    return wrapper


@require_safe
@cached_page(scopes.of_season)
@json_errors
def calendar(request, year):
    """Every round of a season with its races."""
    season = season_or_404(year)
    rounds = season.rounds.with_races()
    return JsonResponse(
        {
            "season": season.year,
            "rounds": [
                {
                    **round_fields(r),
                    "status": r.status,
                    "races": [
                        {
                            "competition": race.competition.slug,
                            "number": race.number,
                            "name": race.name,
                            "kind": race.kind,
                            "results": reverse(
                                "api:race-results", args=[year, race.competition.slug, r.slug, race.slug]
                            ),
                        }
                        for race in r.races.all()
                    ],
                }
                for r in rounds
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _certainty(row):
    """How a row is known: stated, inferred (with the reasoning) or official."""
    return {"certainty": row.certainty, "reasoning": row.reasoning or None}


def _after_round(request):
    value = request.GET.get("after_round")
    if value in (None, ""):
        return None
    if positive_number(value) is None:
        raise ValueError(f"after_round must be a round number (1, 2, …), not “{value}”.")
    return int(value)


def _as_of(request):
    """The end of the day ``as_of`` names (YYYY-MM-DD, the site's time zone), or None."""
    value = request.GET.get("as_of")
    if value in (None, ""):
        return None
    if iso_date(value) is None:
        raise ValueError(f"as_of must be a date, YYYY-MM-DD, not “{value[:20]}”.")
    day = date.fromisoformat(value.strip())
    return timezone.make_aware(datetime.combine(day, time.max))


def _standings_data(request, year, competition):
    after_round = _after_round(request)
    data = standings_page_data(year, competition, after_round, as_of=_as_of(request))
    if after_round is not None and after_round not in data.all_rounds:
        dont_store(request)  # answered as after the last round before it; only real rounds are kept
    return data


@require_safe
@cached_page(scopes.of_season, {"after_round": positive_number, "as_of": iso_date})
@json_errors
def standings(request, year, competition):
    """The standings of a competition, by default after the last round with results."""
    data = _standings_data(request, year, competition)
    return JsonResponse(
        {
            "season": year,
            "competition": competition,
            "scores": data.competition.scores,
            "tie_break": data.competition.tie_break,
            "after_round": data.after_round,
            "as_of": request.GET.get("as_of", "").strip() or None,
            "standings": [
                {
                    "position": row.position,
                    "name": row.name,
                    "nation": row.nation or None,
                    "points": row.points,
                    "wins": row.wins,
                    "podiums": row.podiums,
                    "round_points": {str(k): v for k, v in row.round_points.items()},
                    "previous_position": row.previous_position,
                    "movement": row.movement,
                    "shared": row.is_shared,
                    "tie_break": row.tie_note or None,
                }
                for row in data.rows
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cached_page(scopes.of_season)
@json_errors
def race_results(request, year, competition, round_slug, race_slug):
    """The classification of one race with grid, stints, stops, penalties and points."""
    data = race_page_data(year, competition, round_slug, race_slug)
    race = data.race
    return JsonResponse(
        {
            "season": year,
            "competition": competition,
            "round": {"number": race.round.number, "name": race.round.name, "slug": race.round.slug},
            "race": {
                "number": race.number,
                "name": race.name,
                "slug": race.slug,
                "kind": race.kind,
                "track": str(race.track),
                "laps": race.laps,
                "car": race.car.name if race.car else None,
                "grid_from": race.grid_from.slug if race.grid_from else None,
                "points": race.points_scale,
                "points_multiplier": race.points_multiplier,
                "required_compounds": race.required_compounds,
                "complete": race.is_complete,
                "status": race.status,
            },
            "sources": [
                {
                    "publisher": source.publisher,
                    "url": source.url or None,
                    "date": source.published_on.isoformat() if source.published_on else None,
                    "covers": source.covers,
                }
                for source in data.sources
            ],
            "conflicts": [
                {
                    "what": conflict.what,
                    "shown": conflict.chosen,
                    "other": conflict.value,
                    "source": conflict.source.publisher if conflict.source else None,
                    "note": conflict.note or None,
                }
                for conflict in data.conflicts
            ],
            "grid": [
                {"position": slot.position, "driver": slot.driver.name, **_certainty(slot)}
                for slot in data.grid
            ],
            "corrections": [
                {
                    "at": entry.at.isoformat(),
                    "reason": entry.reason,
                    "source": entry.source or None,
                    "changes": entry.changes,
                    "effects": entry.effects,
                }
                for entry in data.corrections
            ],
            "results": [
                {
                    "position": line.row.position,
                    "driver": line.result.driver.name,
                    "nation": line.result.driver.nation.code or None,
                    "team": line.result.team.name if line.result.team else None,
                    "car": line.car_name or None,
                    "grid": line.grid,
                    "places_gained": line.places_gained,
                    "laps": line.result.laps,
                    "time": line.result.time or None,
                    "gap": line.row.gap_text or None,
                    "published_gap": line.result.gap or None,
                    "status": line.result.status,
                    "reason": line.result.reason or None,
                    "points": line.row.points,
                    **_certainty(line.result),
                    "penalties": [
                        {
                            "lap": p.lap,
                            "seconds": str(p.seconds.normalize()) if p.seconds else None,
                            "reason": p.reason,
                            **_certainty(p),
                        }
                        for p in line.penalties
                    ],
                    "pit_stops": [p.lap for p in line.pit_stops],
                    "stints": [
                        {
                            "compound": s.compound,
                            "from_lap": s.first_lap,
                            "to_lap": s.last_lap,
                            **_certainty(s),
                        }
                        for s in line.stints
                    ],
                    "mandatory_tyres": line.tyres.status if line.tyres else None,
                    "missing_compounds": list(line.tyres.missing) if line.tyres else [],
                }
                for line in data.lines
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cached_page(scopes.of_season, {"after_round": positive_number, "as_of": iso_date})
@json_errors
def standings_csv(request, year, competition):
    data = _standings_data(request, year, competition)
    rounds = data.rounds
    return csv_response(
        f"gtws-{year}-{competition}-standings-after-round-{data.after_round}.csv",
        ["position", "name", "nation", "points", "wins", "podiums", *[f"round {n}" for n in rounds]],
        (
            [row.position, row.name, row.nation, row.points, row.wins, row.podiums]
            + [row.round_points.get(n, "") for n in rounds]
            for row in data.rows
        ),
    )


@require_safe
@cached_page(scopes.of_season)
@json_errors
def race_results_csv(request, year, competition, round_slug, race_slug):
    data = race_page_data(year, competition, round_slug, race_slug)
    return csv_response(
        f"gtws-{year}-{round_slug}-{competition}-{race_slug}.csv",
        [
            "position",
            "driver",
            "nation",
            "team",
            "car",
            "grid",
            "laps",
            "time_or_gap",
            "status",
            "reason",
            "points",
        ],
        (
            [
                line.row.position or "",
                line.result.driver.name,
                line.result.driver.nation.code,
                line.result.team.name if line.result.team else "",
                line.car_name,
                line.grid or "",
                line.result.laps if line.result.laps is not None else "",
                line.row.gap_text,
                line.result.status,
                line.result.reason,
                line.row.points,
            ]
            for line in data.lines
        ),
    )

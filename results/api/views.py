"""The open-data API: read-only JSON and CSV, no login, cached per season (results.cache)."""

from datetime import UTC, date, datetime, time
from functools import wraps

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from results.api.spreadsheets import csv_response
from results.cache import scopes
from results.cache.pages import cached_page, dont_store, iso_date, positive_number, race_reference
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


def _day(day):
    return day.isoformat() if day else None


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
                    "time_zone": r.time_zone or None,
                    "first_day": _day(r.days(r.races.all())[0]),
                    "last_day": _day(r.days(r.races.all())[1]),
                    "status": r.status,
                    "races": [
                        {
                            "competition": race.competition.slug,
                            "number": race.number,
                            "name": race.name,
                            "kind": race.kind,
                            "date": _day(race.date),
                            "starts_at": race.starts_at.astimezone(UTC).isoformat()
                            if race.starts_at
                            else None,
                            "local_start": race.local_start.isoformat() if race.local_start else None,
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


def _after_race(request):
    value = request.GET.get("after_race")
    if value in (None, ""):
        return None
    if race_reference(value) is None:
        raise ValueError(
            "after_race must be a race's id (12) or its round's and its own slug (tokyo/race-1), "
            f"not “{value}”."
        )
    return value


def _standings_data(request, year, competition, *, with_title=False):
    after_round, after_race = _after_round(request), _after_race(request)
    if after_round is not None and after_race is not None:
        raise ValueError("Give after_round or after_race, not both.")
    as_of = None if with_title else _as_of(request)  # the title race is worked out from results as they are
    data = standings_page_data(year, competition, after_round, after_race, as_of=as_of, with_title=with_title)
    if data.unknown_race:
        raise ValueError(
            f"after_race “{after_race}” is no race with results of the {data.competition.name} {year}."
        )
    if after_race is not None and race_reference(after_race) != str(data.after_race.id):
        dont_store(request)  # the race's id is its canonical name; other spellings are answered, not kept
    if after_round is not None and after_round not in data.all_rounds:
        dont_store(request)  # answered as after the last round before it; only real rounds are kept
    return data


AFTER = {"after_round": positive_number, "after_race": race_reference, "as_of": iso_date}


@require_safe
@cached_page(scopes.of_season, AFTER)
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
            "after_race": {
                "id": data.after_race.id,
                "round": data.after_race.round,
                "name": data.after_race.label,
                "path": data.after_race.path,
            }
            if data.after_race
            else None,
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


def _after_race_fields(data):
    if data.after_race is None:
        return None
    race = data.after_race
    return {"id": race.id, "round": race.round, "name": race.label, "path": race.path}


def _need_fields(need):
    return {
        "places": list(need.places),
        "rivals": [{"name": rival.name, "not_places": list(rival.excluded)} for rival in need.rivals],
    }


@require_safe
@cached_page(scopes.of_season, {"after_round": positive_number, "after_race": race_reference})
@json_errors
def title(request, year, competition):
    """Who can still win the title, and what each needs in the next race (results.rules.title)."""
    data = _standings_data(request, year, competition, with_title=True)
    title = data.title
    return JsonResponse(
        {
            "season": year,
            "competition": competition,
            "scores": data.competition.scores,
            "tie_break": data.competition.tie_break,
            "after_round": data.after_round if data.after_race is None else None,
            "after_race": _after_race_fields(data),
            "decided": title.is_decided,
            "reason": title.title.reason or None,
            "rounds_without_races": [{"number": number, "name": name} for number, name in title.awaiting],
            "races_left": [
                {
                    "name": race.name,
                    "points_scale": list(race.rule.scale),
                    "multiplier": race.rule.multiplier,
                    "field": field.entrants,
                    "field_from": field.source,
                    "field_as_in": field.last_race or None,
                }
                for race, field in zip(title.title.races, title.fields, strict=True)
            ],
            "points_left": title.title.points_left,
            "needs_decided": title.title.needs_decided,
            "needs_reason": title.title.needs_reason or None,
            "contenders": [
                {
                    "position": line.outlook.position,
                    "name": line.outlook.name,
                    "points": line.outlook.points,
                    "most_points": line.outlook.most_points,
                    "status": line.outlook.status,
                    "needs": list(line.needs),
                    "clinches": [_need_fields(need) for need in line.outlook.clinches],
                    "survives": [_need_fields(need) for need in line.outlook.survives],
                }
                for line in title.lines
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _place_published(row):
    """True for a published place, False for a classified driver whose place was not, None otherwise."""
    if row.position is not None:
        return True
    return False if row.place_unknown else None


def _place_band(row):
    """[from, to] of a place not published (either may be null), else null."""
    return [row.place_from, row.place_to] if row.place_unknown else None


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
                "track": str(race.track) if race.track else None,
                "laps": race.laps,
                "timed": race.is_timed,
                "car": race.car.name if race.car else None,
                "grid_from": race.grid_from.slug if race.grid_from else None,
                "points": race.points_scale,
                "points_multiplier": race.points_multiplier,
                "required_compounds": race.required_compounds,
                "required_compounds_min": race.required_compounds_min,
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
                    "place": line.row.place_text or None,
                    "place_published": _place_published(line.row),
                    "place_band": _place_band(line.row),
                    "driver": line.result.driver.name,
                    "nation": line.result.driver.nation.code or None,
                    "crew": [
                        {"driver": driver.name, "slug": driver.slug, "nation": driver.nation.code or None}
                        for driver in line.drivers
                    ],
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
            "timeline": [
                {"lap": event.lap, "kind": event.kind, "driver": event.driver.name, "text": event.text}
                for event in data.timeline
            ],
            "penalties": [
                {
                    "driver": p.driver.name,
                    "lap": p.lap,
                    "seconds": str(p.seconds.normalize()) if p.seconds else None,
                    "reason": p.reason,
                    "added_after_finish": p.is_added_after_finish,
                }
                for p in data.penalties
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cached_page(scopes.of_season, AFTER)
@json_errors
def standings_csv(request, year, competition):
    data = _standings_data(request, year, competition)
    rounds = data.rounds
    after = f"race-{data.after_race.id}" if data.after_race else f"round-{data.after_round}"
    return csv_response(
        f"gtws-{year}-{competition}-standings-after-{after}.csv",
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
            "place",
            "crew",
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
                line.row.place_text,
                "; ".join(member.driver.name for member in line.crew),
            ]
            for line in data.lines
        ),
    )

"""A season from the database as a ``gtws-results/2`` document: every racing row editors fill.

The season's competitions (with what their crews score), rounds (with their time zones) and races
with every row of each race (results, places not published, crews, grid places, stints, pit stops,
penalties, incidents, also of drivers with no result row; each row's certainty; the race's sources and
conflicting values), the drivers, teams, cars and tracks the season uses, and its race reports. The
record of corrections is not carried (docs/results-format.md, "What the file does not carry").
"""

from collections import defaultdict
from datetime import UTC

from django.db.models import F, Prefetch

from results.exchange.validate import FORMAT
from results.models import (
    Car,
    Competition,
    ConflictingValue,
    CrewMember,
    Driver,
    GridSlot,
    Incident,
    Penalty,
    PitStop,
    Race,
    RaceReport,
    Result,
    Season,
    Source,
    Team,
    Track,
    TyreStint,
)
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
                queryset=Result.objects.select_related("driver", "team", "car")
                .prefetch_related(
                    Prefetch("crew", queryset=CrewMember.objects.select_related("driver").order_by("order"))
                )
                .order_by(F("position").asc(nulls_last=True), "pk"),
            ),
            Prefetch("sources", queryset=Source.objects.order_by("pk")),
            Prefetch("conflicts", queryset=ConflictingValue.objects.order_by("pk")),
            Prefetch("grid_slots", queryset=GridSlot.objects.select_related("driver").order_by("position")),
            Prefetch("stints", queryset=TyreStint.objects.order_by("driver_id", "first_lap", "last_lap")),
            Prefetch(
                "penalties",
                queryset=Penalty.objects.select_related("driver").order_by("driver_id", "lap", "pk"),
            ),
            Prefetch(
                "pit_stops", queryset=PitStop.objects.select_related("driver").order_by("driver_id", "lap")
            ),
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related("driver").order_by("driver_id", "lap", "pk"),
            ),
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
                "crew_points": competition.crew_points,
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
        **_shared(season),
        "competitions": competitions,
        "reports": _reports(season),
    }


def _shared(season):
    """The drivers, teams, cars and tracks the season's rows name (they are shared by every season)."""
    of_season = {"race__round__season": season}
    driver_ids = set()
    for model in (Result, CrewMember, GridSlot, TyreStint, PitStop, Penalty, Incident):
        driver_ids.update(model.objects.filter(**of_season).values_list("driver_id", flat=True))
    races = Race.objects.filter(round__season=season)
    car_ids = {
        *races.values_list("car_id", flat=True),
        *Result.objects.filter(**of_season).values_list("car_id", flat=True),
    }
    cars = Car.objects.filter(pk__in=car_ids - {None}).select_related("manufacturer").order_by("name")
    team_ids = {*Result.objects.filter(**of_season).values_list("team_id", flat=True)}
    team_ids |= {car.manufacturer_id for car in cars}
    return {
        "drivers": [
            {
                "name": d.name,
                "slug": d.slug,
                "nation": d.nation.code or None,
                "online_id": d.online_id or None,
                "aliases": list(d.alias_list),
            }
            for d in Driver.objects.filter(pk__in=driver_ids).order_by("name", "slug")
        ],
        "teams": [
            {"name": t.name, "slug": t.slug, "kind": t.kind, "country": t.country.code or None}
            for t in Team.objects.filter(pk__in=team_ids - {None}).order_by("name")
        ],
        "cars": [
            {
                "name": c.name,
                "slug": c.slug,
                "manufacturer": c.manufacturer.name if c.manufacturer else None,
                "category": c.category or None,
            }
            for c in cars
        ],
        "tracks": [
            {
                "name": t.name,
                "layout": t.layout or None,
                "slug": t.slug,
                "country": t.country.code or None,
                "length_km": _number(t.length_km),
            }
            for t in Track.objects.filter(pk__in=races.values("track_id")).order_by("name", "layout")
        ],
    }


def _reports(season):
    reports = (
        RaceReport.objects.filter(round__season=season)
        .select_related("round")
        .prefetch_related(Prefetch("races", queryset=Race.objects.select_related("competition")))
        .order_by("round__number", "slug")
    )
    return [
        {
            "round": report.round.number,
            "title": report.title,
            "slug": report.slug,
            "author": report.author or None,
            "standfirst": report.standfirst or None,
            "body": report.body,
            "published": report.is_published,
            "published_at": report.published_at.isoformat() if report.published_at else None,
            "races": [
                {"competition": race.competition.slug, "number": race.number}
                for race in sorted(report.races.all(), key=lambda r: (r.competition.slug, r.number))
            ],
        }
        for report in reports
    ]


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
    return {
        **round_fields(round_),
        "slug": round_.slug,
        "status": round_.status,
        "time_zone": round_.time_zone or None,
        "races": [_race(race) for race in races],
    }


def _race(race):
    grid = {slot.driver_id: slot for slot in race.grid_slots.all()}
    rows = {"stints": defaultdict(list), "penalties": defaultdict(list)}
    rows["pit_stops"], rows["incidents"] = defaultdict(list), defaultdict(list)
    drivers = {slot.driver_id: slot.driver for slot in grid.values()}
    for name in rows:
        for row in getattr(race, name).all():
            rows[name][row.driver_id].append(row)
            if name != "stints":
                drivers[row.driver_id] = row.driver
    with_result = {result.driver_id for result in race.results.all()}
    stint_drivers = {driver_id for driver_id in rows["stints"] if driver_id not in drivers}
    if stint_drivers - with_result:
        drivers.update(Driver.objects.in_bulk(stint_drivers - with_result))
    without = sorted((d for pk, d in drivers.items() if pk not in with_result), key=lambda d: (d.name, d.pk))
    sources = list(race.sources.all())
    number = {source.pk: i for i, source in enumerate(sources)}
    return {
        "number": race.number,
        "name": race.name,
        "slug": race.slug,
        "kind": race.kind,
        "track": None  # to be announced
        if race.track is None
        else {
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
        "timed": race.is_timed,
        "required_compounds_min": race.required_compounds_min,
        "status": race.status,
        "date": race.date.isoformat() if race.date else None,
        "starts_at": race.starts_at.astimezone(UTC).isoformat() if race.starts_at else None,
        "sources": [
            {
                "publisher": source.publisher,
                "url": source.url or None,
                "date": source.published_on.isoformat() if source.published_on else None,
                "covers": source.covers,
            }
            for source in sources
        ],
        "conflicts": [
            {
                "what": conflict.what,
                "chosen": conflict.chosen,
                "value": conflict.value,
                "source": number.get(conflict.source_id),
                "note": conflict.note or None,
            }
            for conflict in race.conflicts.all()
        ],
        "results": [_result(result, grid, rows) for result in race.results.all()],
        "without_result": [_driver_rows(driver, grid, rows) for driver in without],
    }


def _result(result, grid, rows):
    """An entry with a result: its place (a place not published with its band), its crew, its rows."""
    place = {"position": result.position}
    if result.place_unknown:
        place["place_unknown"] = True
        place.update(
            {name: getattr(result, name) for name in ("place_from", "place_to") if getattr(result, name)}
        )
    return {
        **place,
        **_driver_rows(result.driver, grid, rows),
        "team": result.team.name if result.team else None,
        "car": result.car.name if result.car else None,
        "crew": [member.driver.name for member in result.crew.all()],
        "laps": result.laps,
        "time": result.time or None,
        "gap": result.gap or None,
        "status": result.status,
        "reason": result.reason or None,
        "points": result.points,
        **_certainty(result),
    }


def _certainty(row, prefix=""):
    """A row's certainty, always (absent, an import keeps the stored one), and its reasoning if any."""
    given = {f"{prefix}certainty": row.certainty}
    if row.reasoning:
        given[f"{prefix}reasoning"] = row.reasoning
    return given


def _driver_rows(driver, grid, rows):
    """A driver's rows of a race: grid place, penalties, stints, pit stops and incidents."""
    slot = grid.get(driver.pk)
    return {
        "driver": driver.name,
        "nation": driver.nation.code or None,
        "grid": slot.position if slot else None,
        "grid_compound": slot.compound or None if slot else None,
        **(_certainty(slot, prefix="grid_") if slot else {}),
        "penalties": [
            {
                "lap": p.lap,
                "seconds": _number(p.seconds),
                "reason": p.reason,
                "after_finish": p.is_added_after_finish,
                **_certainty(p),
            }
            for p in sorted(rows["penalties"][driver.pk], key=by_lap)
        ],
        "stints": [
            {"compound": s.compound, "from_lap": s.first_lap, "to_lap": s.last_lap, **_certainty(s)}
            for s in sorted(rows["stints"][driver.pk], key=stint_order)
        ],
        "pit_stops": [
            {"lap": p.lap, "seconds": _number(p.duration_seconds)}
            for p in sorted(rows["pit_stops"][driver.pk], key=lambda p: p.lap)
        ],
        "incidents": [
            {"lap": i.lap, "description": i.description}
            for i in sorted(rows["incidents"][driver.pk], key=lambda i: (i.lap is None, i.lap or 0, i.pk))
        ],
    }

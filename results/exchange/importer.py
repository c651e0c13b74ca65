"""Write a validated season document to the database: one transaction, idempotent.

Seasons, competitions, rounds and races are matched by their numbers and slugs,
drivers, teams and cars by name, tracks by name and layout. A race whose rows in
the document equal those stored is left untouched, so importing the same file
twice writes nothing the second time. What the format does not carry (pit stops,
incidents, starting compounds, reports) is kept as it is. Every write marks what it changed
for the page cache through the models' QuerySets and signals (:mod:`results.models.base`).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from results.models import (
    Car,
    Competition,
    Driver,
    GridSlot,
    Penalty,
    Race,
    Result,
    Round,
    Season,
    Team,
    Track,
    TyreStint,
)
from results.write.changes import racing_change
from results.write.results import free_slug, new_result


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    races: list[str] = field(default_factory=list)  # one line per race: "… : 12 results (new)"

    @property
    def changes_anything(self):
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def as_data(self):
        """The summary as JSON data (kept with an upload, results.models.SeasonImport)."""
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "races": self.races,
        }


class ImportFailed(Exception):
    """The database refused a row of a valid document; nothing was written. The message names the place."""


class _DryRun(Exception):
    pass


def import_season(doc, *, dry_run=False):
    """Import a :class:`~results.exchange.validate.SeasonDoc`; with ``dry_run`` change nothing."""
    summary = ImportSummary()
    importer = _Importer(summary)
    try:
        with transaction.atomic() if dry_run else racing_change():
            importer.season(doc)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except DatabaseError as error:
        raise ImportFailed(f"{importer.place}: the database refused a row ({error}).") from error
    return summary


class _Importer:
    def __init__(self, summary):
        self.summary = summary
        self.drivers = {}
        self.teams = {}
        self.cars = {}
        self.tracks = {}
        self.place = "season"  # where in the document the row being written is, should the database refuse it

    def _upsert(self, model, label, lookup, values):
        """get-or-create ``lookup``, then set ``values``; count what happened under ``label``."""
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        if created:
            self.summary.created[label] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.summary.updated[label] += 1
        else:
            self.summary.unchanged[label] += 1
        return obj

    def season(self, doc):
        values = {"name": doc.name} if doc.name else {}
        season = self._upsert(Season, "seasons", {"year": doc.year}, values)
        rounds = {}
        for competition_doc in doc.competitions:
            for round_doc in competition_doc.rounds:
                has_results = any(race.results for race in round_doc.races)
                previous = rounds.get(round_doc.number)
                rounds[round_doc.number] = (round_doc, has_results or (previous is not None and previous[1]))
        stored_rounds = {
            number: self._round(
                season,
                number,
                {
                    "name": round_doc.name,
                    "slug": round_doc.slug,
                    "city": round_doc.city,
                    "country": round_doc.country,
                    "venue": round_doc.venue,
                    "date": round_doc.date,
                    "status": Round.Status.COMPLETED if has_results else Round.Status.SCHEDULED,
                },
            )
            for number, (round_doc, has_results) in sorted(rounds.items())
        }
        for c_index, competition_doc in enumerate(doc.competitions):
            self.place = f"competitions[{c_index}] ({competition_doc.name})"
            competition = self._upsert(
                Competition,
                "competitions",
                {"season": season, "slug": competition_doc.slug},
                {
                    "name": competition_doc.name,
                    "scores": competition_doc.scores,
                    "tie_break": competition_doc.tie_break,
                },
            )
            for r_index, round_doc in enumerate(competition_doc.rounds):
                path = f"competitions[{c_index}].rounds[{r_index}]"
                self.round(competition, stored_rounds[round_doc.number], round_doc, path)

    def _round(self, season, number, values):
        """The round of this number: one event, whichever competitions race there."""
        self.place = f"round {number} ({values['name']})"
        return self._upsert(Round, "rounds", {"season": season, "number": number}, values)

    def round(self, competition, round_, round_doc, path):
        races = {}
        places = {}
        for index, race_doc in enumerate(round_doc.races):
            places[race_doc.number] = self.place = f"{path}.races[{index}] ({race_doc.name})"
            races[race_doc.number] = self._upsert(
                Race,
                "races",
                {"round": round_, "competition": competition, "number": race_doc.number},
                {
                    "name": race_doc.name,
                    "slug": race_doc.slug,
                    "kind": race_doc.kind,
                    "track": self.track(race_doc.track),
                    "laps": race_doc.laps,
                    "car": self.car(race_doc.car),
                    "points_scale": race_doc.points,
                    "points_multiplier": race_doc.points_multiplier,
                    "required_compounds": race_doc.required_compounds,
                    "is_complete": race_doc.complete,
                },
            )
        for race_doc in round_doc.races:
            self.place = places[race_doc.number]
            race = races[race_doc.number]
            source = races.get(race_doc.grid_from)
            if race.grid_from_id != (source.pk if source else None):
                race.grid_from = source
                race.save(update_fields=["grid_from"])
            self.rows(race, race_doc)

    def rows(self, race, race_doc):
        """Replace a race's results, grid, stints and penalties if the document differs."""
        wanted = self._wanted_rows(race, race_doc)
        label = f"Round {race.round.number} {race.round.name} · {race.competition.name} · {race.name}"
        stored = self._stored_rows(race)
        count = len(race_doc.results)
        if all(wanted[key] == stored[key] for key in ("results", "grid", "stints", "penalties")):
            self.summary.unchanged["race results"] += 1
            self.summary.races.append(f"{label}: {count} results, unchanged")
            return
        state = "new" if not stored["results"] else "changed"
        (self.summary.created if state == "new" else self.summary.updated)["race results"] += 1
        self.summary.races.append(f"{label}: {count} results ({state})")
        compounds = dict(race.grid_slots.values_list("driver_id", "compound"))
        for manager in (race.results, race.grid_slots, race.stints, race.penalties):
            manager.all().delete()
        Result.objects.bulk_create(new_result(race, **values) for values in wanted["result_rows"])
        GridSlot.objects.bulk_create(
            GridSlot(race=race, driver_id=driver, position=position, compound=compounds.get(driver, ""))
            for driver, position in wanted["grid"]
        )
        TyreStint.objects.bulk_create(
            TyreStint(race=race, driver_id=driver, compound=compound, first_lap=first, last_lap=last)
            for driver, compound, first, last in wanted["stints"]
        )
        Penalty.objects.bulk_create(
            Penalty(race=race, driver_id=driver, lap=lap, seconds=seconds, reason=reason)
            for driver, lap, seconds, reason in wanted["penalties"]
        )

    def _wanted_rows(self, race, race_doc):
        result_rows, grid, stints, penalties = [], [], [], []
        for entry in race_doc.results:
            driver = self.driver(entry.driver, entry.nation)
            result_rows.append(
                {
                    "driver_id": driver.pk,
                    "team_id": self.team(entry.team).pk if entry.team else None,
                    "car_id": self.car(entry.car).pk if entry.car else None,
                    "position": entry.position,
                    "laps": entry.laps,
                    "time": entry.time,
                    "gap": entry.gap,
                    "status": entry.status,
                    "reason": entry.reason,
                    "points": entry.points,
                }
            )
            if entry.grid is not None:
                grid.append((driver.pk, entry.grid))
            stints.extend((driver.pk, s.compound, s.from_lap, s.to_lap) for s in entry.stints)
            penalties.extend(
                (driver.pk, p.lap, p.seconds.normalize() if p.seconds else None, p.reason)
                for p in entry.penalties
            )
        return {
            "result_rows": result_rows,
            "results": sorted(_freeze(row) for row in result_rows),
            "grid": sorted(grid),
            "stints": sorted(stints, key=repr),
            "penalties": sorted(penalties, key=repr),
        }

    def _stored_rows(self, race):
        fields = [
            "driver_id",
            "team_id",
            "car_id",
            "position",
            "laps",
            "time",
            "gap",
            "status",
            "reason",
            "points",
        ]
        result_rows = list(race.results.values(*fields))
        return {
            "results": sorted(_freeze(row) for row in result_rows),
            "grid": sorted(race.grid_slots.values_list("driver_id", "position")),
            "stints": sorted(
                race.stints.values_list("driver_id", "compound", "first_lap", "last_lap"), key=repr
            ),
            "penalties": sorted(
                (
                    (driver, lap, seconds.normalize() if seconds else None, reason)
                    for driver, lap, seconds, reason in race.penalties.values_list(
                        "driver_id", "lap", "seconds", "reason"
                    )
                ),
                key=repr,
            ),
        }

    def driver(self, name, nation):
        if name not in self.drivers:
            driver = Driver.objects.filter(name=name).first()
            if driver is None:
                driver = Driver.objects.create(name=name, slug=free_slug(Driver, name), nation=nation)
                self.summary.created["drivers"] += 1
            elif nation and driver.nation != nation:
                driver.nation = nation
                driver.save(update_fields=["nation"])
                self.summary.updated["drivers"] += 1
            self.drivers[name] = driver
        return self.drivers[name]

    def team(self, name):
        if name not in self.teams:
            self.teams[name] = self._by_name(Team, "teams", name)
        return self.teams[name]

    def car(self, name):
        if not name:
            return None
        if name not in self.cars:
            self.cars[name] = self._by_name(Car, "cars", name)
        return self.cars[name]

    def _by_name(self, model, label, name):
        obj = model.objects.filter(name=name).first()
        if obj is None:
            obj = model.objects.create(name=name, slug=free_slug(model, name))
            self.summary.created[label] += 1
        return obj

    def track(self, track_doc):
        key = (track_doc.name, track_doc.layout)
        if key not in self.tracks:
            track = Track.objects.filter(name=track_doc.name, layout=track_doc.layout).first()
            if track is None:
                track = Track.objects.create(
                    name=track_doc.name,
                    layout=track_doc.layout,
                    country=track_doc.country,
                    slug=free_slug(Track, f"{track_doc.name} {track_doc.layout}"),
                )
                self.summary.created["tracks"] += 1
            elif track_doc.country and track.country != track_doc.country:
                track.country = track_doc.country
                track.save(update_fields=["country"])
                self.summary.updated["tracks"] += 1
            self.tracks[key] = track
        return self.tracks[key]


def _freeze(row):
    return tuple(sorted((key, repr(value)) for key, value in row.items()))

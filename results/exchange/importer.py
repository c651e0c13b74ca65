"""Write a validated season document to the database: one transaction, idempotent.

Seasons, competitions, rounds and races are matched by their numbers and slugs, drivers, teams and
cars by name, tracks by name and layout, reports by slug. A race whose rows in the document equal
those stored is left untouched, so importing the same file twice writes nothing the second time.

Keys added to version 2 later (a round's time zone, crews, sources, certainty…) are optional: where the
document does not give one, the stored value is kept, also on a row written again (docs/results-format.md).

Nothing the document does not mention is deleted, unless the editor asks for a replace: without it,
a race's rows are replaced driver by driver (the rows of each driver the document names in the race,
of each table its version carries), and the rows of drivers it does not name, the races, rounds and
reports it does not list, and the tables its version does not carry (a ``gtws-results/1`` file
carries no pit stops, incidents or reports) are kept. With ``replace``, the season becomes the
document: races, rounds, competitions and (version 2) reports it does not list are deleted, and each
race's rows of the tables it carries are the document's. The summary counts what was deleted, so a
dry run says it before anything is, and lists what changes value by value (``changes``: a race added,
“Round 1 Montréal · Nations Cup · Main Race, 4th: Kaj de Bruin gap +8.184 → +8.190”). Every write
marks what it changed for the page cache through the models' QuerySets and signals
(:mod:`results.models.base`).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import ordinal
from django.db import DatabaseError, transaction
from django.utils.text import capfirst

from results.models import (
    Car,
    Certainty,
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
    Round,
    Season,
    Source,
    Team,
    Track,
    TyreStint,
)
from results.rules.limits import excerpt
from results.rules.names import name_key, taken_names
from results.write.changes import racing_change
from results.write.results import free_slug, new_result


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)  # only with replace: rows the file does not have
    races: list[str] = field(default_factory=list)  # one line per race: "… : 12 results (new)"
    changes: list[str] = field(default_factory=list)  # one line per change: "…, 4th: X gap +1.2 → +1.3"
    replace: bool = False

    @property
    def changes_anything(self):
        return bool(sum(self.created.values()) or sum(self.updated.values()) or sum(self.deleted.values()))

    def as_data(self):
        """The summary as JSON data (kept with an upload, results.models.SeasonImport)."""
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "deleted": dict(self.deleted),
            "replace": self.replace,
            "races": self.races,
            "changes": self.changes,
        }


class ImportFailed(Exception):
    """The database refused a row of a valid document; nothing was written. The message names the place."""


class _DryRun(Exception):
    pass


def import_season(doc, *, dry_run=False, replace=False):
    """Import a :class:`~results.exchange.validate.SeasonDoc`; with ``dry_run`` change nothing.

    With ``replace`` the season becomes the document: what it does not list is deleted (and counted
    in the summary's ``deleted``); without it nothing is deleted that the document does not mention.
    """
    summary = ImportSummary(replace=replace)
    importer = _Importer(summary, replace=replace, tables=doc.tables)
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
    def __init__(self, summary, replace=False, tables=()):
        self.summary = summary
        self.replace = replace
        self.tables = {name: TABLES[name] for name in tables}
        self.drivers = {}
        self.teams = {}
        self.cars = {}
        self.tracks = {}
        self.place = "season"  # where in the document the row being written is, should the database refuse it
        self.known_names = {}  # model → {id: name}, for the changes listed

    def _upsert(self, model, label, lookup, values, name=""):
        """get-or-create ``lookup``, then set ``values``; count what happened under ``label``, and list it
        under ``name`` (“Round 2 Prague”; no name: only counted)."""
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        if created:
            self.summary.created[label] += 1
            if name:
                self.summary.changes.append(f"{name}: added")
        elif not self._set(obj, label, values, name):
            self.summary.unchanged[label] += 1
        return obj

    def season(self, doc):
        values = {"name": doc.name} if doc.name else {}
        season = self._upsert(Season, "seasons", {"year": doc.year}, values)
        self.shared(doc)
        rounds = {}
        zones = {}  # a round's time zone, where the file gives it (absent: the stored one is kept)
        for competition_doc in doc.competitions:
            for round_doc in competition_doc.rounds:
                has_results = any(race.results for race in round_doc.races)
                previous = rounds.get(round_doc.number)
                rounds[round_doc.number] = (round_doc, has_results or (previous is not None and previous[1]))
                if round_doc.time_zone is not None:
                    zones[round_doc.number] = {"time_zone": round_doc.time_zone}
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
                    "status": round_doc.status
                    or (Round.Status.COMPLETED if has_results else Round.Status.SCHEDULED),
                    **zones.get(number, {}),
                },
            )
            for number, (round_doc, has_results) in sorted(rounds.items())
        }
        kept_races = set()
        competitions = {}
        for c_index, competition_doc in enumerate(doc.competitions):
            self.place = f"competitions[{c_index}] ({competition_doc.name})"
            competition = competitions[competition_doc.slug] = self._upsert(
                Competition,
                "competitions",
                {"season": season, "slug": competition_doc.slug},
                {
                    "name": competition_doc.name,
                    "scores": competition_doc.scores,
                    "tie_break": competition_doc.tie_break,
                    **({"crew_points": competition_doc.crew_points} if competition_doc.crew_points else {}),
                },
                competition_doc.name,
            )
            for r_index, round_doc in enumerate(competition_doc.rounds):
                path = f"competitions[{c_index}].rounds[{r_index}]"
                kept_races |= self.round(competition, stored_rounds[round_doc.number], round_doc, path)
        if doc.version >= 2:
            self.reports(doc, stored_rounds, competitions)
        if self.replace:
            self.place = "season"
            self.delete_the_rest(season, stored_rounds, competitions, kept_races, doc)

    def delete_the_rest(self, season, rounds, competitions, kept_races, doc):
        """With replace: delete the season's races, rounds, competitions and reports not in the file."""
        races = Race.objects.filter(round__season=season).exclude(pk__in=kept_races)
        for race in races.select_related("round", "competition").order_by("round__number", "number"):
            self.summary.races.append(f"{_label(race)}: deleted")
        if doc.version >= 2:
            self._delete(
                RaceReport.objects.filter(round__season=season).exclude(
                    slug__in=[r.slug for r in doc.reports]
                )
            )
        self._delete(races)
        self._delete(Round.objects.filter(season=season).exclude(pk__in=[r.pk for r in rounds.values()]))
        self._delete(
            Competition.objects.filter(season=season).exclude(pk__in=[c.pk for c in competitions.values()])
        )

    def _delete(self, queryset):
        """Delete rows (a MarkingQuerySet marks them) and count them, and what went with them, by table."""
        _, counts = queryset.delete()
        for label, count in counts.items():
            if count and label in LABELS:
                self.summary.deleted[LABELS[label]] += count

    def shared(self, doc):
        """The drivers, teams, cars and tracks a version 2 file lists, with what only it carries."""
        for i, team_doc in enumerate(doc.teams):
            self.place = f"teams[{i}] ({team_doc.name})"
            values = {"kind": team_doc.kind, **({"country": team_doc.country} if team_doc.country else {})}
            self.teams[team_doc.name] = self._named(Team, "teams", team_doc.name, team_doc.slug, values)
        for i, car_doc in enumerate(doc.cars):
            self.place = f"cars[{i}] ({car_doc.name})"
            values = {"manufacturer": self.team(car_doc.manufacturer) if car_doc.manufacturer else None}
            if car_doc.category:
                values["category"] = car_doc.category
            if car_doc.manufacturer is None:
                values.pop("manufacturer")
            self.cars[car_doc.name] = self._named(Car, "cars", car_doc.name, car_doc.slug, values)
        for i, driver_doc in enumerate(doc.drivers):
            self.place = f"drivers[{i}] ({driver_doc.name})"
            values = {"nation": driver_doc.nation, "online_id": driver_doc.online_id}
            values = {name: value for name, value in values.items() if value}
            if driver_doc.aliases is not None:  # given, even empty: the file's
                values["aliases"] = "\n".join(driver_doc.aliases)
            self.drivers[driver_doc.name] = self._named(
                Driver, "drivers", driver_doc.name, driver_doc.slug, values
            )
        self._check_aliases(doc.drivers)
        for i, track_doc in enumerate(doc.tracks):
            self.place = f"tracks[{i}] ({track_doc.name})"
            values = {"country": track_doc.country, "length_km": track_doc.length_km}
            values = {name: value for name, value in values.items() if value}
            track = Track.objects.filter(name=track_doc.name, layout=track_doc.layout).first()
            if track is None:
                slug = track_doc.slug or free_slug(Track, f"{track_doc.name} {track_doc.layout}")
                if track_doc.slug and Track.objects.filter(slug=slug).exists():
                    slug = free_slug(Track, slug)
                track = Track.objects.create(
                    name=track_doc.name, layout=track_doc.layout, slug=slug, **values
                )
                self.summary.created["tracks"] += 1
            else:
                self._set(track, "tracks", values)
            self.tracks[(track_doc.name, track_doc.layout)] = track

    def _check_aliases(self, driver_docs):
        """Refuse an alias the file gives that is already another stored driver's name, alias or
        online ID (the file's own drivers were checked when it was read)."""
        given = {self.drivers[d.name].pk: i for i, d in enumerate(driver_docs) if d.aliases}
        if not given:
            return
        people = [driver.as_person() for driver in Driver.objects.for_matching()]
        taken = taken_names(people)
        for person in people:
            for j, alias in enumerate(person.aliases if person.id in given else ()):
                owners = taken.get(name_key(alias), {})
                if others := [what for id_, what in owners.items() if id_ != person.id]:
                    where = f"drivers[{given[person.id]}].aliases[{j}]"
                    raise ImportFailed(f'{where}: "{excerpt(alias)}" is already {others[0]}.')

    def _named(self, model, label, name, slug, values):
        """The row of ``model`` called ``name``: created with the file's slug (if free) and ``values``,
        or updated to ``values``; a stored slug is kept (it is the row's address)."""
        kind = capfirst(model._meta.verbose_name)
        obj = model.objects.filter(name=name).first()
        if obj is None:
            if not slug or model.objects.filter(slug=slug).exists():
                slug = free_slug(model, slug or name)
            obj = model.objects.create(name=name, slug=slug, **values)
            self.summary.created[label] += 1
            self.summary.changes.append(f"{kind} {name}: added")
        else:
            self._set(obj, label, values, f"{kind} {name}")
        return obj

    def _set(self, obj, label, values, name=""):
        """Save the ``values`` that differ from ``obj``'s, counted as updated (and listed under ``name``,
        field by field: “Round 2 Prague: date 2024-05-11 → 2024-05-12”); whether any did."""
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                if name:
                    before, after = getattr(obj, field), values[field]
                    self.summary.changes.append(
                        f"{name}: {_field_words(obj, field)} {_shown(before)} → {_shown(after)}"
                    )
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)
            self.summary.updated[label] += 1
        return bool(changed)

    def reports(self, doc, rounds, competitions):
        for i, report_doc in enumerate(doc.reports):
            self.place = f"reports[{i}] ({report_doc.title})"
            round_ = rounds[report_doc.round]
            report = self._upsert(
                RaceReport,
                "reports",
                {"slug": report_doc.slug},
                {
                    "round": round_,
                    "title": report_doc.title,
                    "author": report_doc.author,
                    "standfirst": report_doc.standfirst,
                    "body": report_doc.body,
                    "is_published": report_doc.published,
                    "published_at": report_doc.published_at,
                },
            )
            races = set(
                Race.objects.filter(
                    round=round_,
                    competition__in=[competitions[slug] for slug, _ in report_doc.races],
                ).values_list("competition__slug", "number", "pk")
            )
            wanted = {pk for slug, number, pk in races if (slug, number) in set(report_doc.races)}
            if set(report.races.values_list("pk", flat=True)) != wanted:
                report.races.set(wanted)
                self.summary.updated["report links"] += 1

    def _round(self, season, number, values):
        """The round of this number: one event, whichever competitions race there."""
        self.place = f"round {number} ({values['name']})"
        name = f"Round {number} {values['name']}"
        return self._upsert(Round, "rounds", {"season": season, "number": number}, values, name)

    def round(self, competition, round_, round_doc, path):
        """The round's races of this competition; the ids of the races written."""
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
                    "track": None if race_doc.track is None else self.track(race_doc.track),
                    "laps": race_doc.laps,
                    "car": self.car(race_doc.car),
                    "points_scale": race_doc.points,
                    "points_multiplier": race_doc.points_multiplier,
                    "required_compounds": race_doc.required_compounds,
                    "is_complete": race_doc.complete,
                    **race_doc.given,
                },
                f"Round {round_.number} {round_.name} · {competition.name} · {race_doc.name}",
            )
        for race_doc in round_doc.races:
            self.place = places[race_doc.number]
            race = races[race_doc.number]
            source = races.get(race_doc.grid_from)
            if race.grid_from_id != (source.pk if source else None):
                race.grid_from = source
                race.save(update_fields=["grid_from"])
            self.rows(race, race_doc)
            self.sources(race, race_doc)
        return {race.pk for race in races.values()}

    def rows(self, race, race_doc):
        """Write a race's rows of the tables the document carries, where they differ from those stored.

        Without replace, only the rows of the drivers the document names in the race are compared and
        replaced; with it, every row of the race (those of other drivers are deleted, and counted).
        """
        named = {self.driver(entry.driver, entry.nation).pk for entry in race_doc.entries}
        stored = {}
        for name, table in self.tables.items():
            rows = table.model.objects.filter(race=race)
            if not self.replace:
                rows = rows.filter(driver_id__in=named)
            stored[name] = list(rows.values(*table.fields))
        wanted = self._wanted_rows(race_doc, stored)
        crews = CrewMember.objects.filter(race=race)
        if not self.replace:
            crews = crews.filter(result__driver_id__in=named)
        stored_crews = list(crews.values("result__driver_id", "driver_id", "order"))
        wanted_crews = self._wanted_crews(race_doc, stored_crews)
        label = _label(race)
        count = len(race_doc.results)
        differing = [name for name in self.tables if _frozen(wanted[name]) != _frozen(stored[name])]
        crews_differ = "results" in differing or _frozen(wanted_crews) != _frozen(stored_crews)
        if not differing and not crews_differ:
            self.summary.unchanged["race results"] += 1
            self.summary.races.append(f"{label}: {count} results, unchanged")
            return
        state = "new" if not race.results.exists() else "changed"
        (self.summary.created if state == "new" else self.summary.updated)["race results"] += 1
        for name in differing:
            self._list_row_changes(label, name, stored[name], wanted[name])
        if crews_differ and "results" not in differing:
            self.summary.changes.append(f"{label}: crews changed")
        gone = Counter()
        for name in differing:
            table = self.tables[name]
            gone[table.label] += sum(1 for row in stored[name] if row["driver_id"] not in named)
            rows = table.model.objects.filter(race=race)
            (rows if self.replace else rows.filter(driver_id__in=named)).delete()
            table.model.objects.bulk_create(table.new(race, row) for row in wanted[name])
        if crews_differ:
            gone["crew members"] += sum(1 for row in stored_crews if row["result__driver_id"] not in named)
            crews.delete()  # those of the results just replaced went with them
            entries = dict(race.results.values_list("driver_id", "pk"))
            CrewMember.objects.bulk_create(
                CrewMember(
                    race=race,
                    result_id=entries[row["result__driver_id"]],
                    driver_id=row["driver_id"],
                    order=row["order"],
                )
                for row in wanted_crews
            )
        self.summary.deleted.update(+gone)
        removed = "".join(f"; deletes {n} {what}" for what, n in sorted((+gone).items()))
        self.summary.races.append(f"{label}: {count} results ({state}{removed})")

    def _list_row_changes(self, label, name, stored, wanted):
        """List what changes in a race's rows of one table: results and grid places driver by driver,
        field by field; other rows (stints, penalties…) as counts added and removed."""
        table = self.tables[name]
        if not stored:
            self.summary.changes.append(f"{label}: {len(wanted)} {table.label} added")
            return
        if name not in ("results", "grid"):
            before, after = Counter(map(_freeze, stored)), Counter(map(_freeze, wanted))
            added, removed = sum((after - before).values()), sum((before - after).values())
            words = [f"{n} {what}" for n, what in ((added, "added"), (removed, "removed")) if n]
            self.summary.changes.append(f"{label}: {table.label} {', '.join(words)}")
            return
        where = label if name == "results" else f"{label}, grid"
        old = {row["driver_id"]: row for row in stored}
        new = {row["driver_id"]: row for row in wanted}
        names = self._names(Driver, set(old) | set(new))
        for driver in [*new, *(d for d in old if d not in new)]:
            row = new.get(driver) or old[driver]
            place = (
                f"{where}, {ordinal(row['position'])}" if row.get("position") and name == "results" else where
            )
            if driver not in old:
                self.summary.changes.append(f"{place}: {names[driver]} added")
            elif driver not in new:
                self.summary.changes.append(f"{place}: {names[driver]} removed")
            else:
                fields = [f for f in table.fields if _normal(old[driver][f]) != _normal(new[driver][f])]
                for f in fields:
                    before, after = self._value(f, old[driver][f]), self._value(f, new[driver][f])
                    words = _field_words(table.model, f)
                    self.summary.changes.append(f"{place}: {names[driver]} {words} {before} → {after}")

    def _value(self, field_name, value):
        """A row's value as an editor reads it: a team's or car's name, not its id."""
        models = {"team_id": Team, "car_id": Car, "driver_id": Driver}
        if field_name in models and value is not None:
            return self._names(models[field_name], {value})[value]
        return _shown(value)

    def _names(self, model, ids):
        """The names of rows of ``model`` by id (one query for those not yet known)."""
        known = self.known_names.setdefault(model, {})
        missing = set(ids) - set(known)
        if missing:
            known.update(model.objects.filter(pk__in=missing).values_list("pk", "name"))
        return known

    def _wanted_crews(self, race_doc, stored_crews):
        """The crews of the race's results: the file's, or (not given) those stored for the entry."""
        kept = {}
        for row in stored_crews:
            kept.setdefault(row["result__driver_id"], []).append(row)
        crews = []
        for entry in race_doc.results:
            first = self.driver(entry.driver, entry.nation).pk
            if entry.crew is None:
                crews.extend(kept.get(first, ()))
            else:
                crews.extend(
                    {"result__driver_id": first, "driver_id": self.driver(name, "").pk, "order": order}
                    for order, name in enumerate(entry.crew, start=2)
                )
        return crews

    def sources(self, race, race_doc):
        """The race's sources and conflicting values, where the file gives them."""
        stored = list(race.sources.order_by("pk"))
        if race_doc.sources is not None:
            wanted = [_source_key(doc) for doc in race_doc.sources]
            if wanted != [_stored_source_key(source) for source in stored]:
                label = "created" if not stored else "updated"
                getattr(self.summary, label)["race sources"] += 1
                kept = list(race.conflicts.filter(source__isnull=False)) if race_doc.conflicts is None else []
                was = {source.pk: _stored_source_key(source) for source in stored}
                race.sources.all().delete()
                stored = Source.objects.bulk_create(
                    Source(
                        race=race,
                        publisher=doc.publisher,
                        url=doc.url,
                        published_on=doc.date,
                        **{name: what in doc.covers for name, what in Source.COVERS.items()},
                    )
                    for doc in race_doc.sources
                )
                now = {_stored_source_key(source): source for source in stored}
                for conflict in kept:  # conflicts the file does not give keep their source, if it stays
                    conflict.source = now.get(was.get(conflict.source_id))
                    conflict.save(update_fields=["source"])
        if race_doc.conflicts is None:
            return
        index = {source.pk: i for i, source in enumerate(stored)}
        have = [
            (c.what, c.chosen, c.value, index.get(c.source_id), c.note) for c in race.conflicts.order_by("pk")
        ]
        wanted = [(c.what, c.chosen, c.value, c.source, c.note) for c in race_doc.conflicts]
        if have == wanted:
            return
        getattr(self.summary, "created" if not have else "updated")["race conflicting values"] += 1
        race.conflicts.all().delete()
        ConflictingValue.objects.bulk_create(
            ConflictingValue(
                race=race,
                what=c.what,
                chosen=c.chosen,
                value=c.value,
                source=None if c.source is None else stored[c.source],
                note=c.note,
            )
            for c in race_doc.conflicts
        )

    def _wanted_rows(self, race_doc, stored):
        """The document's rows of the race, table by table, as the database stores them.

        A row whose certainty the file does not give keeps the stored row's (a new row: stated).
        """
        rows = {name: [] for name in TABLES}
        stored_compounds = {row["driver_id"]: row["compound"] for row in stored.get("grid", ())}
        stored_flags = {
            _penalty_key(row): row["is_added_after_finish"] for row in stored.get("penalties", ())
        }
        known = {
            name: {key(row): (row["certainty"], row["reasoning"]) for row in stored.get(name, ())}
            for name, key in CERTAIN_ROWS.items()
        }

        def certain(name, row, certainty, reasoning):
            """The row with its certainty: the file's, or the stored row's where the file gives none."""
            if certainty is None:
                certainty, reasoning = known[name].get(CERTAIN_ROWS[name](row), (Certainty.STATED.value, ""))
            return {**row, "certainty": certainty, "reasoning": reasoning}

        for entry in race_doc.entries:
            driver = self.driver(entry.driver, entry.nation).pk
            if entry.has_result:
                row = {
                    "driver_id": driver,
                    "team_id": self.team(entry.team).pk if entry.team else None,
                    "car_id": self.car(entry.car).pk if entry.car else None,
                    "position": entry.position,
                    "place_unknown": entry.place_unknown,
                    "place_from": entry.place_from,
                    "place_to": entry.place_to,
                    "laps": entry.laps,
                    "time": entry.time,
                    "gap": entry.gap,
                    "status": entry.status,
                    "reason": entry.reason,
                    "points": entry.points,
                }
                rows["results"].append(certain("results", row, entry.certainty, entry.reasoning))
            if entry.grid is not None:
                compound = entry.grid_compound
                if compound is None:  # version 1 carries no starting compounds: the stored one is kept
                    compound = stored_compounds.get(driver, "")
                row = {"driver_id": driver, "position": entry.grid, "compound": compound}
                rows["grid"].append(certain("grid", row, entry.grid_certainty, entry.grid_reasoning))
            for s in entry.stints:
                row = {
                    "driver_id": driver,
                    "compound": s.compound,
                    "first_lap": s.from_lap,
                    "last_lap": s.to_lap,
                }
                rows["stints"].append(certain("stints", row, s.certainty, s.reasoning))
            for p in entry.penalties:
                row = {"driver_id": driver, "lap": p.lap, "seconds": _normal(p.seconds), "reason": p.reason}
                # Version 1 does not say when a penalty was added: the stored flag is kept.
                flag = (
                    p.after_finish
                    if "pit_stops" in self.tables
                    else stored_flags.get(_penalty_key(row), False)
                )
                row["is_added_after_finish"] = flag
                rows["penalties"].append(certain("penalties", row, p.certainty, p.reasoning))
            rows["pit_stops"].extend(
                {"driver_id": driver, "lap": stop.lap, "duration_seconds": _normal(stop.seconds)}
                for stop in entry.pit_stops
            )
            rows["incidents"].extend(
                {"driver_id": driver, "lap": i.lap, "description": i.description} for i in entry.incidents
            )
        return rows

    def driver(self, name, nation):
        if name not in self.drivers:
            driver = Driver.objects.filter(name=name).first()
            if driver is None:
                driver = Driver.objects.create(name=name, slug=free_slug(Driver, name), nation=nation)
                self.summary.created["drivers"] += 1
                self.summary.changes.append(f"Driver {name}: added")
            elif nation and driver.nation != nation:
                self._set(driver, "drivers", {"nation": nation}, f"Driver {name}")
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


def _label(race):
    return f"Round {race.round.number} {race.round.name} · {race.competition.name} · {race.name}"


def _field_words(model, field_name):
    """A field as the editor knows it: its verbose name (“laps completed”, “team”)."""
    return str(model._meta.get_field(field_name).verbose_name)


def _shown(value):
    """A value in a line of changes: 5 not 5.000, lists as “S, M”, nothing as “blank”."""
    if value is None or value == "" or value == []:
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _freeze(row):
    return tuple(sorted((key, repr(_normal(value))) for key, value in row.items()))


def _frozen(rows):
    """Rows as a sorted list, to compare what a file holds with what is stored."""
    return sorted(_freeze(row) for row in rows)


def _normal(value):
    """Decimals compared and written without trailing zeros (5.000 is 5)."""
    return value.normalize() if isinstance(value, Decimal) else value


def _penalty_key(row):
    return (row["driver_id"], row["lap"], _normal(row["seconds"]), row["reason"])


# The rows with a certainty, and how a row of the file finds the stored row whose certainty it keeps
# when the file gives none.
CERTAIN_ROWS = {
    "results": lambda row: row["driver_id"],
    "grid": lambda row: row["driver_id"],
    "stints": lambda row: (row["driver_id"], row["compound"], row["first_lap"], row["last_lap"]),
    "penalties": _penalty_key,
}


def _source_key(doc):
    return (doc.publisher, doc.url, doc.date, tuple(doc.covers))


def _stored_source_key(source):
    return (source.publisher, source.url, source.published_on, tuple(source.covers))


@dataclass(frozen=True)
class Table:
    """A table of a race's rows the file carries: its model, the columns compared, how a row is made."""

    model: type
    label: str  # as the summary counts its rows
    fields: tuple

    def new(self, race, row):
        if self.model is Result:
            return new_result(race, **row)
        return self.model(race=race, **row)


CERTAINTY = ("certainty", "reasoning")
TABLES = {
    "results": Table(
        Result,
        "results",
        (
            *("driver_id", "team_id", "car_id", "position", "place_unknown", "place_from", "place_to"),
            *("laps", "time", "gap", "status", "reason", "points", *CERTAINTY),
        ),
    ),
    "grid": Table(GridSlot, "grid places", ("driver_id", "position", "compound", *CERTAINTY)),
    "stints": Table(TyreStint, "tyre stints", ("driver_id", "compound", "first_lap", "last_lap", *CERTAINTY)),
    "penalties": Table(
        Penalty, "penalties", ("driver_id", "lap", "seconds", "reason", "is_added_after_finish", *CERTAINTY)
    ),
    "pit_stops": Table(PitStop, "pit stops", ("driver_id", "lap", "duration_seconds")),
    "incidents": Table(Incident, "incidents", ("driver_id", "lap", "description")),
}
# The summary's words for the rows a replace deletes, by model label (a race takes its rows along).
LABELS = {
    "results.Competition": "competitions",
    "results.Round": "rounds",
    "results.Race": "races",
    "results.RaceReport": "reports",
    "results.CrewMember": "crew members",
    "results.Source": "sources",
    "results.ConflictingValue": "conflicting values",
    **{table.model._meta.label: table.label for table in TABLES.values()},
}

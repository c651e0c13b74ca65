"""A race's sheet pasted as the press release gives it: results, grid, tyres, penalties, pit stops.

:func:`read_sheet` reads every list pasted for one race (:mod:`results.exchange.paste`,
:mod:`results.exchange.lists`), says who each typed name is, and collects what stands in the way of
saving it: the hard problems of :func:`results.rules.checks.check_race` over the race as it would be,
the names the editor must settle (a near miss of a stored driver is never taken, nor created, without
a choice), and the plausibility warnings the editor acknowledges (:mod:`results.rules.plausibility`).
Nothing is written here; :func:`results.write.results.save_pasted_sheet` writes what was read.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.text import capfirst

from results.exchange import lists
from results.exchange.matching import match_drivers
from results.exchange.paste import parse_pasted
from results.models import Competition, Driver, Result, Team
from results.read.loaders import race_sheet
from results.rules import plausibility
from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow, check_race
from results.rules.limits import excerpt
from results.rules.names import Person, fold, match_name, split_aliases
from results.rules.tyres import Stint
from results.write.grids import grid_set_by

SECTIONS = {
    "results": "Results",
    "grid": "Grid",
    "strategies": "Tyres",
    "penalties": "Penalties",
    "pit_stops": "Pit stops",
}
NEW = "new"


@dataclass
class Choice:
    """A typed name close to stored drivers: the editor says which of them it is, or a new driver."""

    field: str  # the form field that carries the answer
    line: int
    typed: str
    suggestions: list  # Drivers, best first
    answer: str = ""  # a driver's pk, NEW, or "" while not chosen

    @property
    def options(self):
        return [(str(d.pk), f"{d.name} ({d.nation.name or 'no nation'})") for d in self.suggestions] + [
            (NEW, f"A new driver, “{self.typed}”")
        ]


@dataclass
class PastedSheet:
    race: object
    results: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    strategies: list = field(default_factory=list)
    penalties: list = field(default_factory=list)
    pit_stops: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    choices: list = field(default_factory=list)
    set_laps: int | None = None  # the race's scheduled laps, read from the winner's line
    is_complete: bool = True

    @property
    def pasted(self):
        return [name for name in SECTIONS if getattr(self, name)]

    @property
    def acknowledgement(self):
        return plausibility.acknowledgement(self.warnings)

    def stint_rows(self, laps_done):
        """[(driver key, compound, first_lap, last_lap)] of the pasted strategies."""
        return [(row.driver_key, *stint) for row in self.strategies for stint in row_stints(row, laps_done)]

    def pit_stop_rows(self):
        """[(section, line, driver key, name, lap, duration)]: the stops the strategies imply, then the
        pasted pit stops; a stop given by both is kept once, with the pasted duration."""
        stops = {}
        for row in self.strategies:
            for lap in row.pit_laps:
                if lap is not None:  # a stop on a lap not known cannot be stored
                    stops[(row.driver_key, lap)] = (
                        "strategies",
                        row.line,
                        row.driver_key,
                        row.driver_name,
                        lap,
                        None,
                    )
        for row in self.pit_stops:
            for stop in row.stops:
                found = ("pit_stops", row.line, row.driver_key, row.driver_name, stop.lap, stop.seconds)
                stops[(row.driver_key, stop.lap)] = found
        return list(stops.values())


def read_sheet(race, texts, answers=None, is_complete=None):
    """What ``texts`` ({section: pasted text}) would make of ``race``; ``answers`` are the editor's
    choices for near misses ({field: driver pk or "new"}); ``is_complete`` the classification's
    completeness as the editor ticks it (default: as stored)."""
    answers = answers or {}
    sheet = PastedSheet(race, is_complete=race.is_complete if is_complete is None else is_complete)
    for name, parse in _parsers().items():
        if (texts.get(name) or "").strip():
            setattr(sheet, name, parse(texts[name]))
    if not sheet.pasted:
        sheet.errors.append("Paste at least one list.")
        return sheet
    for name in SECTIONS:
        for row in getattr(sheet, name):
            sheet.errors.extend(_in_section(name, error) for error in row.errors)
    stored = race_sheet(race)
    _resolve_results(sheet, answers)
    _resolve_teams(sheet)
    entrants = _entrants(sheet, stored)
    for name in ("grid", "strategies", "penalties", "pit_stops"):
        _resolve_entrants(sheet, name, entrants)
    sheet.set_laps = _scheduled_laps(sheet)
    if not sheet.errors:
        sheet.errors.extend(_hard_problems(sheet, stored))
    if not sheet.errors:
        sheet.warnings = _warnings(sheet, stored)
    return sheet


def _parsers():
    """The reader of each list; the results' knows the teams a line may name in a nation's place."""
    teams = Team.objects.values_list("name", flat=True)
    return {
        "results": lambda text: parse_pasted(text, teams=teams),
        "grid": lists.parse_grid,
        "strategies": lists.parse_strategies,
        "penalties": lists.parse_penalties,
        "pit_stops": lists.parse_pit_stops,
    }


def _line_words(section, line):
    """“line 4” of the results (the list every other one follows), “grid line 2” of the others."""
    return f"line {line}" if section == "results" else f"{SECTIONS[section].lower()} line {line}"


def _in_section(section, error):
    """A parser's message (“Line 3: …”) as the page says it: “Grid line 3: …” for the other lists."""
    if section == "results":
        return error
    if error.startswith("Line "):
        return f"{SECTIONS[section]} line {error[len('Line ') :]}"
    return f"{SECTIONS[section]}: {error}"


def _resolve_results(sheet, answers):
    """Who each results line names: a stored driver (by name, alias or unique surname), one the editor
    chose among near misses, or a new driver (who then needs a nation)."""
    matches = match_drivers([row.driver for row in sheet.results if row.driver])
    for row in sheet.results:
        row.known_driver, row.choice = None, None
        if not row.driver or row.errors:
            continue
        found = matches[row.driver]
        if found.driver is not None:
            row.known_driver = found.driver
        elif found.suggestions:
            choice = Choice(f"who-{row.line}", row.line, row.driver, found.suggestions)
            choice.answer = answers.get(choice.field, "")
            sheet.choices.append(choice)
            row.choice = choice
            chosen = next((d for d in found.suggestions if str(d.pk) == choice.answer), None)
            if chosen is not None:
                row.known_driver = chosen
            elif choice.answer != NEW:
                names = " or ".join(d.name for d in found.suggestions)
                sheet.errors.append(
                    f"Line {row.line}: “{excerpt(row.driver)}” is not a driver we know. "
                    f"Did you mean {names}? Choose below, or choose a new driver."
                )
                continue
        if row.known_driver is None and not row.nation:
            sheet.errors.append(
                f"Line {row.line}: “{excerpt(row.driver)}” is a new driver; give their "
                f"nation after the name (“{excerpt(row.driver)} – Spain …”)."
            )
        row.nation_differs = bool(
            row.known_driver and row.nation and row.known_driver.nation.code not in ("", row.nation)
        )


def _resolve_teams(sheet):
    """Each named team must be one entered; a competition scored by team needs one on every line."""
    rows = [row for row in sheet.results if not row.errors]
    named = {fold(row.team) for row in rows if row.team}
    teams = {fold(t.name): t for t in Team.objects.all() if fold(t.name) in named} if named else {}
    by_team = sheet.race.competition.scores == Competition.Scores.TEAM
    for row in rows:
        row.known_team = teams.get(fold(row.team)) if row.team else None
        if row.team and row.known_team is None:
            sheet.errors.append(
                f"Line {row.line}: there is no team or brand “{excerpt(row.team)}”; "
                "write its name as entered under Teams, or add it there first."
            )
        elif by_team and not row.team:
            sheet.errors.append(
                f"Line {row.line}: the {sheet.race.competition.name} is scored by team, so every line names "
                f"the team or the car's brand{_example_with_team(row)}."
            )


def _example_with_team(row):
    if row.nation_text:
        return f" after the nation: “{excerpt(row.driver)} – {excerpt(row.nation_text)} – Team …”"
    return f": “{excerpt(row.driver)} – Team …”"


def _key(row):
    """The driver a results line stands for: a stored driver's pk, or the new driver's folded name."""
    return row.known_driver.pk if row.known_driver else f"new:{fold(row.driver)}"


def _entrants(sheet, stored):
    """The drivers of the race, as the other lists name them: the pasted results if any, else the
    stored ones."""
    if sheet.results:
        rows = [row for row in sheet.results if row.driver and not row.errors]
        return [
            Person(_key(row), _name(row), row.known_driver.alias_list if row.known_driver else ())
            for row in rows
        ]
    drivers = Driver.objects.filter(results__race=sheet.race).values_list("pk", "name", "aliases")
    return [Person(pk, name, split_aliases(aliases)) for pk, name, aliases in drivers]


def _resolve_entrants(sheet, section, entrants):
    """Each line of a grid, tyres, penalties or pit-stop list names a driver of this race."""
    names = {person.id: person.name for person in entrants}
    for row in getattr(sheet, section):
        row.driver_key = None
        if row.errors or not row.driver:
            continue
        found = match_name(row.driver, entrants)
        if found.person is not None:
            row.driver_key, row.driver_name = found.person, names[found.person]
            continue
        hint = ""
        if found.suggestions:
            hint = f" Did you mean {' or '.join(names[s] for s in found.suggestions)}?"
        where = "in the results pasted above" if sheet.results else "in this race's results"
        where_line = capfirst(_line_words(section, row.line))
        sheet.errors.append(f"{where_line}: “{excerpt(row.driver)}” is not a driver {where}.{hint}")


def _laps_done(sheet, stored):
    if sheet.results:
        return {_key(row): row.laps for row in sheet.results if row.laps is not None}
    return {row.driver: row.laps for row in stored.results if row.laps is not None}


def row_stints(row, laps_done):
    """A strategy line's stints as (compound, first_lap, last_lap); a last stint run to the finish
    ends on the driver's last lap where that is known (else it stays unknown)."""
    return [
        (
            stint.compound,
            stint.first_lap,
            laps_done.get(row.driver_key) if stint.last_lap is None and stint.to_finish else stint.last_lap,
        )
        for stint in row.stints
    ]


def _hard_problems(sheet, stored):
    """The race checks over the race as it would be: pasted lists in place of the stored ones."""
    labels = {}  # (check section, row number) → the pasted line the editor finds it on

    def label(check_section, lines):
        for number, (section, line) in enumerate(lines, start=1):
            labels[(check_section, number)] = _line_words(section, line)

    results, grid, stints = stored.results, stored.grid, stored.stints
    pit_stops, penalties = stored.pit_stops, stored.penalties
    if sheet.results:
        label("results", [("results", r.line) for r in sheet.results])
        results = [
            ResultRow(n, _key(r), _name(r), r.position, r.laps, r.status, *_place(r))
            for n, r in enumerate(sheet.results, start=1)
        ]
    if sheet.grid:
        label("grid", [("grid", r.line) for r in sheet.grid])
        grid = [
            GridRow(n, r.driver_key, r.driver_name, r.position, r.compound)
            for n, r in enumerate(sheet.grid, start=1)
        ]
    if sheet.strategies:
        done = _laps_done(sheet, stored)
        planned = [(r, stint) for r in sheet.strategies for stint in row_stints(r, done)]
        label("stints", [("strategies", r.line) for r, _ in planned])
        stints = [StintRow(n, r.driver_key, r.driver_name, *s) for n, (r, s) in enumerate(planned, start=1)]
    if sheet.strategies or sheet.pit_stops:
        stops = sheet.pit_stop_rows()
        label("pit_stops", [(section, line) for section, line, *_ in stops])
        pit_stops = [LapRow(n, key, name, lap) for n, (_, _, key, name, lap, _) in enumerate(stops, start=1)]
    if sheet.penalties:
        label("penalties", [("penalties", r.line) for r in sheet.penalties])
        penalties = [
            LapRow(n, r.driver_key, r.driver_name, r.lap) for n, r in enumerate(sheet.penalties, start=1)
        ]
    check = RaceSheet(
        laps=sheet.set_laps or sheet.race.laps,
        is_complete=sheet.is_complete,
        points_scale=tuple(sheet.race.points_scale or ()),
        results=results,
        grid=grid,
        stints=stints,
        pit_stops=pit_stops,
        penalties=penalties,
    )

    def where(section, row):
        return labels.get((section, row)) or f"stored {section.replace('_', ' ')}, row {row}"

    return [problem.message for problem in check_race(check, where=where)]


def _name(row):
    """The name a results line stands for: the stored driver's, or as typed for a new one."""
    return row.known_driver.name if row.known_driver else row.driver


def _place(row):
    return row.place_unknown, row.place_from, row.place_to


def _scheduled_laps(sheet):
    """The winner's laps, for a race whose scheduled laps are not entered yet (not a timed race)."""
    if sheet.race.laps is not None or sheet.race.is_timed:
        return None
    winner = next((row for row in sheet.results if row.position == 1), None)
    return winner.laps if winner is not None else None


def _warnings(sheet, stored):
    """The plausibility warnings of what was pasted."""
    finishers = []
    if sheet.results:
        known = [row.known_driver.pk for row in sheet.results if row.known_driver]
        teams = defaultdict(set)
        for driver, team in (
            Result.objects.filter(
                race__competition=sheet.race.competition, driver__in=known, team__isnull=False
            )
            .exclude(race=sheet.race)
            .values_list("driver", "team__name")
        ):
            teams[driver].add(team)
        for row in sheet.results:
            driver = row.known_driver
            finishers.append(
                plausibility.Finisher(
                    row=row.line,
                    driver=_key(row),
                    name=_name(row),
                    position=row.position,
                    laps=row.laps,
                    gap=row.gap,
                    status=row.status,
                    nation=row.nation,
                    stored_nation=driver.nation.code if driver else "",
                    team=row.team,
                    stored_teams=tuple(sorted(teams.get(driver.pk, ()))) if driver else (),
                )
            )
    grid, expected, source = [], {}, ""
    if sheet.grid and sheet.race.grid_from_id:
        source = sheet.race.grid_from.name
        expected = {slot.driver: slot.position for slot in grid_set_by(sheet.race.grid_from)}
        grid = [plausibility.GridPlace(r.line, r.driver_key, r.driver_name, r.position) for r in sheet.grid]
    plans = []
    if sheet.strategies:
        done = _laps_done(sheet, stored)
        by_driver = defaultdict(list)
        for row in sheet.strategies:
            by_driver[row.driver_key].append(row)
        for key, rows in by_driver.items():
            stints = tuple(Stint(*stint) for row in rows for stint in row_stints(row, done))
            plans.append(plausibility.Plan(rows[0].line, key, rows[0].driver_name, stints, done.get(key)))
    race = sheet.race
    found = plausibility.warnings(
        plausibility.Sheet(
            results=finishers,
            points_scale=tuple(race.points_scale or ()),
            points_multiplier=race.points_multiplier,
            grid=grid,
            grid_source=source,
            grid_expected=expected,
            plans=plans,
            required_compounds=tuple(race.required_compounds or ()),
            required_at_least=race.required_compounds_min,
        ),
        where=lambda section, line: _line_words("strategies" if section == "stints" else section, line),
    )
    return found

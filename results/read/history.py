"""Races and standings as they stood at a moment, and the corrections of a race, from the history tables.

The versions of results, grid places, penalties and races are kept by django-simple-history
(:mod:`results.models.history`); :func:`results.rules.corrections.rows_at` puts the rows back as
they stood, and the rules classify and rank them as they do the stored rows.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from results.models import CrewMember, GridSlot, Penalty, Race, Result
from results.read.loaders import crew_seats, scored_order, scores_from
from results.rules.corrections import Placed, Version, race_effect, rows_at, table_effect
from results.rules.standings import standings


def _versions(rows):
    return [Version(row.id, row.history_date, row.history_type, row) for row in rows]


@dataclass
class CompetitionHistory:
    """Every result and penalty of some competitions, as stored and in every version, every version of
    their races' scoring (points scale, multiplier, classification complete) and their crews as
    stored (crews keep no history): six queries."""

    competitions: list
    results: dict  # {id: scored row} as stored now
    penalties: dict  # {id: Penalty} as stored now
    result_versions: list
    penalty_versions: list
    race_versions: list
    crews: dict  # {result id: [CrewSeat, …]}

    @classmethod
    def load(cls, competitions):
        ids = [c.pk for c in competitions]
        return cls(
            competitions,
            {row.id: row for row in Result.objects.scored(ids)},
            {row.id: row for row in Penalty.objects.of_competitions(ids)},
            _versions(Result.history.scored(ids)),
            _versions(Penalty.history.of_competitions(ids)),
            _versions(Race.history.scoring(ids)),
            crew_seats(CrewMember.objects.of_competitions(ids)),
        )

    def scores_at(self, moment):
        """{competition_id: [Score, …]} as the results, penalties and races' scoring stood at ``moment``
        (a race with no version then scores as stored)."""
        results = sorted(rows_at(self.result_versions, self.results, moment).values(), key=scored_order)
        penalties = rows_at(self.penalty_versions, self.penalties, moment).values()
        races = rows_at(self.race_versions, {}, moment)
        return scores_from(self.competitions, results, penalties, self.crews, races)


def standings_at(competition, moment):
    """The scores of a competition as they stood at ``moment`` (for the standings ``as_of``)."""
    return CompetitionHistory.load([competition]).scores_at(moment)[competition.pk]


# --- Corrections ----------------------------------------------------------------------------------


@dataclass
class CorrectionEntry:
    """One editor's change to a published race, with what it changed and its effect on the standings."""

    at: object
    reason: str
    source: str
    changes: list = field(default_factory=list)  # "Serrano: place 2 → 3"
    effects: list = field(default_factory=list)  # "Serrano 2nd → 3rd, −1 point"
    first: object = None  # when its first row was written


RESULT_FIELDS = {
    "position": "place",
    "status": "status",
    "laps": "laps",
    "time": "time",
    "gap": "gap",
    "points": "points set",
    "certainty": "certainty",
}
GRID_FIELDS = {"position": "grid place", "compound": "starting compound"}
PENALTY_FIELDS = {
    "seconds": "seconds",
    "lap": "lap",
    "reason": "reason",
    "is_added_after_finish": "added after",
}
RACE_FIELDS = {
    "points_scale": "points scale",
    "points_multiplier": "points multiplier",
    "is_complete": "classification complete",
    "status": "status",
    "grid_from_id": "grid set by",
}


def _shown(value):
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return "-".join(str(v) for v in value) or "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _describe(what, fields, before, after):
    """What changed between two versions of a row (None: it did not exist), in words."""
    row = after or before
    name = f"{row.driver.name}: " if hasattr(row, "driver_id") else ""
    if before is None or before.history_type == "-":
        details = ", ".join(
            f"{label} {_shown(getattr(after, f))}"
            for f, label in fields.items()
            if getattr(after, f) not in (None, "", False)
        )
        return [f"{name}{what} added ({details})" if details else f"{name}{what} added"]
    if after is None or after.history_type == "-":
        return [f"{name}{what} removed"]
    return [
        f"{name}{label} {_shown(getattr(before, f))} → {_shown(getattr(after, f))}"
        for f, label in fields.items()
        if getattr(before, f) != getattr(after, f)
    ]


def _key(version):
    return version.history_correction or f"{version.history_date.isoformat()}|{version.history_change_reason}"


def race_corrections(race):
    """The corrections of a race, newest first: four queries, six more when it has any (the
    competition's history, for the effects). Only the versions of rows a correction changed are read:
    a race saved a thousand times before it was published reads none."""

    def versions_in_this_race(model):
        return model.history.of_races([race.pk]).select_related("driver").of_corrected_rows()

    tables = [
        ("result", RESULT_FIELDS, versions_in_this_race(Result)),
        ("grid place", GRID_FIELDS, versions_in_this_race(GridSlot)),
        ("penalty", PENALTY_FIELDS, versions_in_this_race(Penalty)),
        ("race", RACE_FIELDS, Race.history.filter(id=race.pk).oldest_first().of_corrected_rows()),
    ]
    entries, rows = {}, {}  # key -> CorrectionEntry; key -> {(what, id): [before, fields, after]}
    for what, fields, versions in tables:
        previous = {}  # id -> its latest version so far
        for version in versions:
            if version.history_change_reason:
                key = _key(version)
                entry = entries.setdefault(
                    key,
                    CorrectionEntry(
                        version.history_date, version.history_change_reason, version.history_source
                    ),
                )
                entry.at = max(entry.at, version.history_date)
                entry.first = min(entry.first or version.history_date, version.history_date)
                # the row before this change, and its last version in it (a row re-keyed is deleted and added)
                row = rows.setdefault(key, {}).setdefault(
                    (what, version.id), [previous.get(version.id), fields]
                )
                row[2:] = [version]
            previous[version.id] = version
    ordered = sorted(entries.items(), key=lambda item: item[1].at, reverse=True)
    for key, entry in ordered:
        for (what, _), (before, fields, after) in rows[key].items():
            entry.changes.extend(_describe(what, fields, before, after))
    result = [entry for _, entry in ordered if entry.changes]  # a save with a reason that changed nothing
    if result:
        _effects(race, result)
    return result


def _placed_in_race(scores, race_id):
    return [Placed(s.competitor, s.name, s.position, s.points) for s in scores if s.race == race_id]


def _placed_in_table(competition, scores):
    table = standings(scores, tie_break=competition.tie_break)
    return [Placed(row.competitor, row.name, row.position, row.points) for row in table]


def _effects(race, entries):
    """Each correction's effect on the race's classification and its competition's standings."""
    competition = race.competition
    history = CompetitionHistory.load([competition])
    for entry in entries:
        before = history.scores_at(entry.first - timedelta(microseconds=1))[competition.pk]
        after = history.scores_at(entry.at)[competition.pk]
        entry.effects = race_effect(_placed_in_race(before, race.pk), _placed_in_race(after, race.pk))
        entry.effects += table_effect(
            f"{competition.name} standings",
            _placed_in_table(competition, before),
            _placed_in_table(competition, after),
        )


@dataclass
class RecentCorrection:
    """A correction for the feed: the race it corrected, when, why, and what it changed."""

    race: object
    at: object
    reason: str
    source: str
    key: str
    changes: list = field(default_factory=list)


def _add_to(found, version, race, change):
    """Add ``change`` (of a row of ``race``) to the correction ``version`` belongs to, in ``found``."""
    key = _key(version)
    entry = found.setdefault(
        key,
        RecentCorrection(
            race, version.history_date, version.history_change_reason, version.history_source, key
        ),
    )
    entry.at = max(entry.at, version.history_date)
    entry.changes.append(change)


def recent_corrections(limit=20):
    """The latest corrections of every race, newest first (five queries), for the feed."""
    tables = [
        ("result", Result.history.select_related("driver")),
        ("grid place", GridSlot.history.select_related("driver")),
        ("penalty", Penalty.history.select_related("driver")),
    ]
    found = {}
    for what, versions in tables:
        for version in versions.corrections().select_related("race__round__season", "race__competition")[
            : limit * 5
        ]:
            change = {"+": "added", "-": "removed"}.get(version.history_type, "changed")
            _add_to(found, version, version.race, f"{version.driver.name}: {what} {change}")
    race_versions = list(Race.history.corrections()[: limit * 5])
    races = Race.objects.for_links().in_bulk({version.id for version in race_versions})
    for version in race_versions:
        if version.id in races:  # a race deleted since has no page to link to
            _add_to(found, version, races[version.id], "race changed")
    return sorted(found.values(), key=lambda e: e.at, reverse=True)[:limit]

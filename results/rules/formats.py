"""Race formats: the races a competition runs at a round, set up in one step.

A format is plain data: each race's name and kind, its points scale and multiplier, the earlier race
whose finish sets its grid, and the tyre rule. The admin offers the formats below and, first, the
one the competition ran at its latest round (:func:`format_of`), so a season's second round is set up
as its first was.
"""

from dataclasses import dataclass

SPRINT, MAIN, HEAT, QUALIFYING = "sprint", "main", "heat", "qualifying"

NATIONS_CUP_2024_SCALE = (6, 5, 4, 3, 2, 1)
WORLD_FINALS_SCALE = (12, 10, 8, 7, 6, 5, 4, 3, 2, 1)


@dataclass(frozen=True)
class RaceSpec:
    name: str
    kind: str
    points_scale: tuple = ()
    points_multiplier: int = 1
    grid_from: int | None = None  # the index, in the format, of the earlier race that sets the grid
    required_compounds: tuple = ()
    required_at_least: int | None = None
    laps: int | None = None


@dataclass(frozen=True)
class RaceFormat:
    key: str
    name: str
    races: tuple

    def in_words(self):
        """“Sprint Race (no points) → Main Race (6-5-4-3-2-1, grid from Sprint Race)”."""
        return " → ".join(race_in_words(spec, self.races) for spec in self.races)


def race_in_words(spec, races):
    parts = []
    if spec.points_scale:
        scale = "-".join(str(p) for p in spec.points_scale)
        parts.append(f"{scale} × {spec.points_multiplier}" if spec.points_multiplier != 1 else scale)
    else:
        parts.append("no points")
    if spec.grid_from is not None:
        parts.append(f"grid from {races[spec.grid_from].name}")
    if spec.required_compounds:
        parts.append(f"tyres {'/'.join(spec.required_compounds)}")
    if spec.laps:
        parts.append(f"{spec.laps} laps")
    return f"{spec.name} ({', '.join(parts)})"


FORMATS = (
    RaceFormat(
        "sprint-main",
        "A sprint whose finish sets the main race's grid",
        (
            RaceSpec("Sprint Race", SPRINT),
            RaceSpec("Main Race", MAIN, NATIONS_CUP_2024_SCALE, grid_from=0),
        ),
    ),
    RaceFormat(
        "world-finals",
        "World Finals: three chained races, double points in the Grand Final",
        (
            RaceSpec("Race 1", MAIN, WORLD_FINALS_SCALE),
            RaceSpec("Race 2", MAIN, WORLD_FINALS_SCALE, grid_from=0),
            RaceSpec("Grand Final", MAIN, WORLD_FINALS_SCALE, points_multiplier=2, grid_from=1),
        ),
    ),
    RaceFormat("single", "One race", (RaceSpec("Race", MAIN, NATIONS_CUP_2024_SCALE),)),
)


@dataclass(frozen=True)
class RaceShape:
    """What :func:`format_of` reads of an earlier round's race."""

    key: object
    name: str
    kind: str
    points_scale: tuple = ()
    points_multiplier: int = 1
    grid_from: object = None  # the key of the race that set its grid
    required_compounds: tuple = ()
    required_at_least: int | None = None


def format_of(races, key, name):
    """The format an earlier round's races (:class:`RaceShape`, in order) ran: the same names, kinds,
    scales, grid chain and tyre rule; None for no races. Laps are not copied: they go with the
    track, which changes from round to round."""
    if not races:
        return None
    index = {race.key: number for number, race in enumerate(races)}
    return RaceFormat(
        key,
        name,
        tuple(
            RaceSpec(
                race.name,
                race.kind,
                tuple(race.points_scale),
                race.points_multiplier,
                index.get(race.grid_from),
                tuple(race.required_compounds),
                race.required_at_least,
            )
            for race in races
        ),
    )


def numbered(specs, taken_numbers, taken_slugs, slugify):
    """Each spec with the race number and slug it takes in a round that already has ``taken_numbers``
    and ``taken_slugs`` in the competition: [(spec, number, slug)], numbers after the last taken."""
    first = max(taken_numbers, default=0) + 1
    slugs = set(taken_slugs)
    placed = []
    for offset, spec in enumerate(specs):
        base = slugify(spec.name) or f"race-{first + offset}"
        slug, suffix = base, 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        placed.append((spec, first + offset, slug))
    return placed

"""Read a season document (``gtws-results/2`` or ``/1``) into plain data, or list everything wrong in it.

Nothing here touches the database. Every error names its place in the document,
such as ``competitions[0].rounds[1].races[0].results[3].position``, and the
race-level rules are the same :func:`~results.rules.checks.check_race` the
admin uses.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from results.exchange.nations import nation_code
from results.models.calendar import validate_time_zone
from results.rules.checks import GridRow, LapRow, RaceSheet, ResultRow, StintRow, check_race
from results.rules.codes import COMPOUNDS, STATUSES
from results.rules.gaps import GapError, parse_gap, parse_time
from results.rules.limits import (
    AUTHOR_LENGTH,
    LONG_NAME_LENGTH,
    MAX_ALIASES,
    MAX_FIELD_SIZE,
    MAX_LAPS,
    MAX_PENALTY_SECONDS,
    MAX_POINTS,
    MAX_POINTS_MULTIPLIER,
    MAX_RACES_PER_ROUND,
    MAX_ROUNDS,
    MAX_SEASON_FILE_BYTES,
    MAX_SEASON_FILE_ROWS,
    NAME_LENGTH,
    NOTE_LENGTH,
    ONLINE_ID_LENGTH,
    REPORT_TEXT_LENGTH,
    REPORT_TITLE_LENGTH,
    TIME_LENGTH,
    VENUE_LENGTH,
    excerpt,
)
from results.rules.names import Person, name_key, taken_names

FORMAT_1 = "gtws-results/1"
FORMAT = "gtws-results/2"  # what the exporter writes; both are read
FORMATS = {FORMAT_1: 1, FORMAT: 2}
TEAM_KINDS = ("team", "manufacturer")
CAR_CATEGORIES = ("gr1", "gr2", "gr3", "gr4", "grb", "grx", "road", "other")
ROUND_STATUSES = ("scheduled", "completed")
LAPS = {"minimum": 1, "maximum": MAX_LAPS}  # a lap's number
PLACES = {"minimum": 1, "maximum": MAX_FIELD_SIZE}  # a finishing position or a grid slot
KINDS = ("qualifying", "sprint", "heat", "main")
SCORES = ("driver", "team", "nation")
TIE_BREAKS = ("shared", "countback")
MAX_COMPETITIONS = 20  # competitions in one season
CERTAINTIES = ("stated", "inferred", "official")  # how a row is known (results.models.Certainty)
CREW_POINTS = ("each", "none")  # what a crew's drivers score (results.models.calendar.CrewPoints)
SOURCE_COVERS = ("classification", "grid", "strategies", "penalties")
URL_LENGTH = 500  # a source's address
TIME_ZONE_LENGTH = 64
# The deepest value of the format: document → competitions → competition → rounds → round → races →
# race → results → entry → stints → stint → its lap. Anything deeper is not a season file.
NESTING = 12


class DocumentError(Exception):
    """A document that cannot be imported; ``errors`` lists every problem by place."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problem(s): " + "; ".join(self.errors[:5]))


@dataclass
class PenaltyDoc:
    lap: int | None
    seconds: Decimal | None
    reason: str
    after_finish: bool = False
    certainty: str | None = None  # None: not given, so the stored certainty and reasoning are kept
    reasoning: str = ""


@dataclass
class PitStopDoc:
    lap: int
    seconds: Decimal | None


@dataclass
class IncidentDoc:
    lap: int | None
    description: str


@dataclass
class StintDoc:
    compound: str
    from_lap: int | None
    to_lap: int | None
    certainty: str | None = None  # None: not given, so the stored certainty and reasoning are kept
    reasoning: str = ""


@dataclass
class EntryDoc:
    position: int | None
    driver: str
    nation: str
    team: str | None
    car: str | None
    grid: int | None
    laps: int | None
    time: str
    gap: str
    status: str
    reason: str
    points: int | None
    penalties: list[PenaltyDoc] = field(default_factory=list)
    stints: list[StintDoc] = field(default_factory=list)
    grid_compound: str | None = None  # None: not given (v1), so the stored one is kept
    pit_stops: list[PitStopDoc] = field(default_factory=list)
    incidents: list[IncidentDoc] = field(default_factory=list)
    has_result: bool = True  # False: an entry of ``without_result`` (a grid place, a penalty, no result)
    place_unknown: bool = False  # classified, place not published (within place_from–place_to)
    place_from: int | None = None
    place_to: int | None = None
    certainty: str | None = None  # of the result row; None: not given, so the stored one is kept
    reasoning: str = ""
    grid_certainty: str | None = None  # of the grid place; None: not given, so the stored one is kept
    grid_reasoning: str = ""
    crew: list[str] | None = None  # the car's other drivers in order; None: not given, the stored kept


@dataclass
class TrackDoc:
    name: str
    layout: str
    country: str


@dataclass
class SourceDoc:
    publisher: str
    url: str
    date: datetime.date | None
    covers: list[str]


@dataclass
class ConflictDoc:
    what: str
    chosen: str
    value: str
    source: int | None  # the place of its source in the race's ``sources``
    note: str


@dataclass
class RaceDoc:
    number: int
    name: str
    slug: str
    kind: str
    track: TrackDoc | None  # None: to be announced
    laps: int | None
    car: str | None
    grid_from: int | None
    points: list[int]
    points_multiplier: int
    required_compounds: list[str]
    complete: bool
    results: list[EntryDoc]
    without_result: list[EntryDoc] = field(default_factory=list)
    # Version 2 keys the file gave, as the Race's fields: is_timed, required_compounds_min, status,
    # date, starts_at. What the file does not give is kept as stored.
    given: dict = field(default_factory=dict)
    sources: list[SourceDoc] | None = None  # None: not given, so the stored sources are kept
    conflicts: list[ConflictDoc] | None = None  # None: not given, so the stored ones are kept

    @property
    def entries(self):
        """Every entry: those with a result row, then those without."""
        return [*self.results, *self.without_result]


@dataclass
class RoundDoc:
    number: int
    name: str
    slug: str
    city: str
    country: str
    venue: str
    date: datetime.date | None
    races: list[RaceDoc]
    status: str | None = None  # None: worked out from the results (v1)
    time_zone: str | None = None  # None: not given, so the stored one is kept


@dataclass
class CompetitionDoc:
    name: str
    slug: str
    scores: str
    tie_break: str
    rounds: list[RoundDoc]
    crew_points: str | None = None  # None: not given, so the stored value is kept


@dataclass
class DriverDoc:
    name: str
    slug: str
    nation: str
    online_id: str
    aliases: list[str] | None = None  # other spellings, former online IDs; None: not given, the stored kept


@dataclass
class TeamDoc:
    name: str
    slug: str
    kind: str
    country: str


@dataclass
class CarDoc:
    name: str
    slug: str
    manufacturer: str | None
    category: str


@dataclass
class TrackListDoc:
    name: str
    layout: str
    slug: str
    country: str
    length_km: Decimal | None


@dataclass
class ReportDoc:
    round: int
    title: str
    slug: str
    author: str
    standfirst: str
    body: str
    published: bool
    published_at: datetime.datetime | None
    races: list[tuple[str, int]]  # (competition slug, race number)


@dataclass
class SeasonDoc:
    year: int
    name: str
    competitions: list[CompetitionDoc]
    rows: int = 0  # the rows an import writes: entries, stints, penalties, pit stops, incidents, crew
    # members, sources and conflicting values
    version: int = 2
    drivers: list[DriverDoc] = field(default_factory=list)
    teams: list[TeamDoc] = field(default_factory=list)
    cars: list[CarDoc] = field(default_factory=list)
    tracks: list[TrackListDoc] = field(default_factory=list)
    reports: list[ReportDoc] = field(default_factory=list)

    @property
    def tables(self):
        """The race tables this version of the format carries (those an import may replace)."""
        carried = ["results", "grid", "stints", "penalties"]
        return [*carried, "pit_stops", "incidents"] if self.version >= 2 else carried


_MISSING = object()


class _Reader:
    """Reads values out of the parsed JSON, noting every problem with its path."""

    def __init__(self):
        self.errors = []
        self.rows = 0  # the rows an import writes
        self.version = 2

    def v2(self, *keys):
        """Keys only version 2 reads (in a version 1 file they are unknown fields)."""
        return keys if self.version >= 2 else ()

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")

    def fields(self, value, path, required, optional=()):
        """The object at ``path`` as a dict (missing optional keys absent), or None if unusable."""
        if not isinstance(value, dict):
            self.error(path, f"expected an object, got {_kind(value)}")
            return None
        for key in value:
            if key not in required and key not in optional:
                self.error(f"{path}.{excerpt(key)}" if path else excerpt(key), "unknown field")
        for key in required:
            if key not in value:
                self.error(f"{path}.{key}" if path else key, "missing")
        return value

    def get(self, obj, key, path, read, default=_MISSING, **options):
        value = obj.get(key, default)
        if value is _MISSING:
            return None  # already reported as missing
        return read(value, f"{path}.{key}" if path else key, **options)

    def integer(self, value, path, minimum=None, maximum=None, nullable=False):
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number{' or null' if nullable else ''}, got {_kind(value)}")
            return None
        if minimum is not None and value < minimum:
            self.error(path, f"must be {minimum} or more, got {value}")
            return None
        if maximum is not None and value > maximum:
            self.error(path, f"must be {maximum} or less, got {value}")
            return None
        return value

    def text(self, value, path, max_length, nullable=False, blank=False, strip=True):
        """Text, stripped of surrounding spaces unless ``strip`` is false (a report's text is kept as is)."""
        if value is None and nullable:
            return ""
        if not isinstance(value, str):
            self.error(path, f"expected text{' or null' if nullable else ''}, got {_kind(value)}")
            return ""
        value = value.strip() if strip else value
        if not blank and not nullable and not value.strip():
            self.error(path, "must not be empty")
        if len(value) > max_length:
            self.error(path, f"{_kind(value)} is {len(value):,} characters long; at most {max_length} fit")
            return ""
        if "\x00" in value:
            self.error(path, f"{_kind(value)} contains a null character (\\x00), which cannot be stored")
            return ""
        if not _is_unicode(value):
            self.error(
                path, f"{_kind(value)} contains half of a character (a lone surrogate such as \\ud800)"
            )
            return ""
        return value

    def boolean(self, value, path):
        if not isinstance(value, bool):
            self.error(path, f"expected true or false, got {_kind(value)}")
            return True
        return value

    def choice(self, value, path, choices):
        if not isinstance(value, str) or value not in choices:
            listed = ", ".join(f'"{c}"' for c in choices)
            self.error(path, f"{_shown(value)} is not one of {listed}")
            return None
        return value

    def country(self, value, path, nullable=False):
        if value is None and nullable:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(path, f'expected a country code such as "FR", got {_kind(value)}')
            return ""
        code = nation_code(value)
        if not code:
            self.error(
                path, f'{_shown(value)} is not a country (use an ISO code such as "FR", "FRA" or a name)'
            )
        return code

    def seconds(self, value, path):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.error(path, f"expected a number of seconds or null, got {_kind(value)}")
            return None
        seconds = Decimal(str(value))  # str: 0.1 stays exactly 0.1
        if not 0 < seconds <= MAX_PENALTY_SECONDS:
            self.error(path, f"must be more than 0 and at most {MAX_PENALTY_SECONDS}, got {_shown(value)}")
            return None
        if seconds.as_tuple().exponent < -3:
            self.error(path, f"has at most 3 decimals (thousandths of a second), got {_shown(value)}")
            return None
        return seconds

    def date(self, value, path):
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.error(path, f'expected an ISO date such as "2024-07-14" or null, got {_shown(value)}')
            return None

    def moment(self, value, path):
        """An ISO date and time with its offset ("2024-07-14T18:30:00+00:00"), or null."""
        if value is None:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            self.error(
                path,
                f'expected an ISO date and time with its offset such as "2024-07-14T18:30:00+00:00" or null, '
                f"got {_shown(value)}",
            )
            return None
        return moment

    def slug(self, value, path, max_length, nullable=True):
        slug = self.text(value, path, max_length=max_length, nullable=nullable)
        if slug and slugify(slug) != slug:
            self.error(path, f'"{excerpt(slug)}" is not a slug (lower-case letters, digits and hyphens)')
            return ""
        return slug

    def decimal(self, value, path, most, places):
        """A positive number below ``most`` with at most ``places`` decimals, or null."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.error(path, f"expected a number or null, got {_kind(value)}")
            return None
        number = Decimal(str(value))
        if not 0 < number <= most:
            self.error(path, f"must be more than 0 and at most {most}, got {_shown(value)}")
            return None
        if number.as_tuple().exponent < -places:
            self.error(path, f"has at most {places} decimals, got {_shown(value)}")
            return None
        return number

    def url(self, value, path):
        """A web address (http, https), or null: ""."""
        url = self.text(value, path, max_length=URL_LENGTH, nullable=True)
        if url:
            try:
                URLValidator()(url)
            except ValidationError:
                self.error(path, f'"{excerpt(url)}" is not a web address such as "https://www.fia.com/…"')
                return ""
        return url

    def time_zone(self, value, path):
        """An IANA time zone name ("Europe/Prague"), or null: ""."""
        name = self.text(value, path, max_length=TIME_ZONE_LENGTH, nullable=True)
        try:
            validate_time_zone(name)
        except ValidationError:
            self.error(
                path,
                f'"{excerpt(name)}" is not a time zone name: give an IANA name such as '
                '"Europe/Prague" or "America/Toronto", or null',
            )
            return ""
        return name

    def certainty(self, obj, path, prefix=""):
        """(certainty, reasoning) of a row from its keys ``<prefix>certainty`` and ``<prefix>reasoning``;
        (None, "") when the certainty is not given (the stored one is kept)."""
        key, why = f"{prefix}certainty", f"{prefix}reasoning"
        reasoning = self.get(obj, why, path, self.text, max_length=NOTE_LENGTH, default=None, nullable=True)
        if key not in obj:
            if reasoning:
                self.error(f"{path}.{why}", f'give "{key}" with the reasoning ({", ".join(CERTAINTIES)})')
            return None, ""
        certainty = self.choice(obj[key], f"{path}.{key}", CERTAINTIES)
        if certainty == "inferred" and not reasoning:
            self.error(f"{path}.{key}", f'an inferred row says how it was worked out: give its "{why}"')
        return certainty, reasoning

    def items(self, value, path, most):
        if not isinstance(value, list):
            self.error(path, f"expected a list, got {_kind(value)}")
            return []
        if len(value) > most:
            self.error(path, f"holds {len(value):,} items; at most {most:,} fit")
            return []
        return value


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return f"the number {excerpt(str(value))}"
    if isinstance(value, str):
        return f'the text "{excerpt(value)}"'
    if isinstance(value, list):
        return "a list"
    return "an object"


def _is_unicode(text):
    """Whether the text can be written as UTF-8 (JSON's ``\\ud800`` escape gives one that cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value):
    """A value as a message quotes it: the start of a text, or what kind of value it is."""
    return f'"{excerpt(value)}"' if isinstance(value, str) else _kind(value)


def decode(content):
    """The text of a season file's bytes; raise :class:`DocumentError` for a file too large to be a
    season, one that is not UTF-8, or one holding a null character (which no column can store)."""
    if len(content) > MAX_SEASON_FILE_BYTES:
        raise DocumentError([too_large(len(content))])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError([f"the file is not UTF-8 text (byte {error.start})"]) from None
    _refuse_null_characters(text)
    return text


def _refuse_null_characters(text):
    if (at := text.find("\x00")) >= 0:
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        raise DocumentError(
            [
                f"the file contains a null character (\\x00) at line {line}, column {column}; "
                "a season file is JSON text, which has none"
            ]
        )


def too_large(size):
    """The words that refuse a file of ``size`` bytes."""
    megabytes = MAX_SEASON_FILE_BYTES // (1024 * 1024)
    limit = f"{MAX_SEASON_FILE_BYTES:,} bytes ({megabytes} MB)"
    return f"the file is {size:,} bytes; a season file is at most {limit}"


def _no_constant(name):
    raise ValueError(f"{name} is not a number a season file can hold")


def _whole_number(digits):
    if len(digits) > 18:  # larger than any number of the format; not converted (it may be very long)
        raise ValueError(f"a whole number of {len(digits):,} digits is larger than any a season file holds")
    return int(digits)


def load(text):
    """Parse JSON text (or bytes) into a :class:`SeasonDoc`; raise :class:`DocumentError` if it is wrong."""
    if isinstance(text, bytes):
        text = decode(text)
    elif len(text) > MAX_SEASON_FILE_BYTES:
        raise DocumentError([too_large(len(text))])
    else:
        _refuse_null_characters(text)
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_whole_number, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise DocumentError(
            [f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from None
    except RecursionError:
        raise DocumentError([_too_deep()]) from None
    except ValueError as error:  # NaN or Infinity; a whole number of many digits
        raise DocumentError([f"not valid JSON for a season file: {error}"]) from None
    if _deeper_than(data, NESTING):
        raise DocumentError([_too_deep()])
    return read(data)


def _too_deep():
    return f"the JSON nests lists and objects deeper than a season file does ({NESTING} levels)"


def _deeper_than(data, levels):
    """Whether parsed JSON nests more than ``levels`` deep (read without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > levels:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


def read(data):
    """A :class:`SeasonDoc` from parsed JSON; raise :class:`DocumentError` listing every problem."""
    reader = _Reader()
    if not isinstance(data, dict):
        reader.error("", f"expected an object, got {_kind(data)}")
        raise DocumentError(reader.errors)
    doc = data
    stated = doc.get("format", FORMAT)
    if not isinstance(stated, str) or stated not in FORMATS:
        wanted = " or ".join(f'"{name}"' for name in FORMATS)
        reader.error("format", f"expected {wanted}, got {_shown(stated)}")
    else:
        reader.version = FORMATS[stated]
    reader.fields(
        doc,
        "",
        required=("format", "season", "competitions"),
        optional=reader.v2("drivers", "teams", "cars", "tracks", "reports"),
    )
    season = reader.fields(doc.get("season", {}), "season", required=("year",), optional=("name",)) or {}
    year = reader.get(season, "year", "season", reader.integer, minimum=1990, maximum=2200)
    name = reader.get(
        season, "name", "season", reader.text, max_length=LONG_NAME_LENGTH, default=None, nullable=True
    )
    competitions = [
        _competition(reader, item, f"competitions[{i}]")
        for i, item in enumerate(reader.items(doc.get("competitions", []), "competitions", MAX_COMPETITIONS))
    ]
    competitions = [c for c in competitions if c is not None]
    shared = _shared(reader, doc)
    _check_aliases(reader, shared["drivers"])
    _check_across(reader, competitions, shared["drivers"])
    _check_crews(reader, competitions, shared["drivers"])
    reports = _reports(reader, doc.get("reports", []), competitions)
    if reader.rows > MAX_SEASON_FILE_ROWS:
        reader.error(
            "competitions",
            f"the file holds {reader.rows:,} entries, stints, penalties, pit stops and incidents (with crew "
            f"members, sources and conflicting values); "
            f"a season file holds at most {MAX_SEASON_FILE_ROWS:,}",
        )
    if reader.errors:
        raise DocumentError(reader.errors)
    return SeasonDoc(
        year=year,
        name=name,
        competitions=competitions,
        rows=reader.rows,
        version=reader.version,
        reports=reports,
        **shared,
    )


def _listed(reader, doc, key, read_one, name_of):
    """The items of a top-level list of ``doc`` read by ``read_one``; a name listed twice is refused."""
    items = []
    seen = set()
    for i, value in enumerate(reader.items(doc.get(key, []), key, MAX_SEASON_FILE_ROWS)):
        path = f"{key}[{i}]"
        obj = reader.fields(value, path, required=("name",), optional=read_one.keys)
        if obj is None:
            continue
        item = read_one(reader, obj, path)
        if name_of(item) in seen:
            reader.error(f"{path}.name", f'"{excerpt(item.name)}" is listed twice')
        seen.add(name_of(item))
        items.append(item)
    return items


def _driver(reader, obj, path):
    return DriverDoc(
        name=reader.get(obj, "name", path, reader.text, max_length=NAME_LENGTH),
        slug=reader.get(obj, "slug", path, reader.slug, max_length=NAME_LENGTH, default=None),
        nation=reader.get(obj, "nation", path, reader.country, default=None, nullable=True),
        online_id=reader.get(
            obj, "online_id", path, reader.text, max_length=ONLINE_ID_LENGTH, default=None, nullable=True
        ),
        aliases=_aliases(reader, obj, path),
    )


_driver.keys = ("name", "slug", "nation", "online_id", "aliases")


def _aliases(reader, obj, path):
    """A driver's aliases, each one line of letters or digits; None when not given (the stored are kept)."""
    if "aliases" not in obj:
        return None
    aliases = []
    for i, value in enumerate(reader.items(obj["aliases"], f"{path}.aliases", MAX_ALIASES)):
        alias = reader.text(value, f"{path}.aliases[{i}]", max_length=NAME_LENGTH)
        if alias and not name_key(alias):
            reader.error(
                f"{path}.aliases[{i}]", f'"{excerpt(alias)}" has no letter or digit to match a name by'
            )
        elif "\n" in alias or "\r" in alias:
            reader.error(f"{path}.aliases[{i}]", f'"{excerpt(alias)}" runs over more than one line')
        elif alias:
            aliases.append(alias)
    return aliases


def _check_aliases(reader, drivers):
    """No alias of a listed driver is another listed driver's name, alias or online ID."""
    people = [Person(i, d.name, tuple(d.aliases or ()), d.online_id or "") for i, d in enumerate(drivers)]
    taken = taken_names(people)
    for person in people:
        for j, alias in enumerate(person.aliases):
            others = [what for id_, what in taken.get(name_key(alias), {}).items() if id_ != person.id]
            if others:
                reader.error(
                    f"drivers[{person.id}].aliases[{j}]", f'"{excerpt(alias)}" is already {others[0]}'
                )


def _team(reader, obj, path):
    return TeamDoc(
        name=reader.get(obj, "name", path, reader.text, max_length=NAME_LENGTH),
        slug=reader.get(obj, "slug", path, reader.slug, max_length=NAME_LENGTH, default=None),
        kind=reader.get(obj, "kind", path, reader.choice, choices=TEAM_KINDS, default="manufacturer"),
        country=reader.get(obj, "country", path, reader.country, default=None, nullable=True),
    )


_team.keys = ("name", "slug", "kind", "country")


def _car(reader, obj, path):
    category = obj.get("category")
    return CarDoc(
        name=reader.get(obj, "name", path, reader.text, max_length=LONG_NAME_LENGTH),
        slug=reader.get(obj, "slug", path, reader.slug, max_length=LONG_NAME_LENGTH, default=None),
        manufacturer=reader.get(
            obj, "manufacturer", path, reader.text, max_length=NAME_LENGTH, default=None, nullable=True
        )
        or None,
        category=""
        if category is None
        else reader.get(obj, "category", path, reader.choice, choices=CAR_CATEGORIES) or "",
    )


_car.keys = ("name", "slug", "manufacturer", "category")


def _listed_track(reader, obj, path):
    return TrackListDoc(
        name=reader.get(obj, "name", path, reader.text, max_length=LONG_NAME_LENGTH),
        layout=reader.get(
            obj, "layout", path, reader.text, max_length=LONG_NAME_LENGTH, default=None, nullable=True
        ),
        slug=reader.get(obj, "slug", path, reader.slug, max_length=150, default=None),
        country=reader.get(obj, "country", path, reader.country, default=None, nullable=True),
        length_km=reader.get(obj, "length_km", path, reader.decimal, default=None, most=999, places=3),
    )


_listed_track.keys = ("name", "layout", "slug", "country", "length_km")


def _shared(reader, doc):
    """The drivers, teams, cars and tracks the season uses, with what only v2 carries of them."""
    return {
        "drivers": _listed(reader, doc, "drivers", _driver, lambda d: d.name),
        "teams": _listed(reader, doc, "teams", _team, lambda t: t.name),
        "cars": _listed(reader, doc, "cars", _car, lambda c: c.name),
        "tracks": _listed(reader, doc, "tracks", _listed_track, lambda t: (t.name, t.layout)),
    }


REPORT_FIELDS = (
    "round",
    "title",
    "slug",
    "author",
    "standfirst",
    "body",
    "published",
    "published_at",
    "races",
)


def _reports(reader, value, competitions):
    """The season's race reports; each names a round of the file and races of that round."""
    races = {
        (competition.slug, round_.number, race.number)
        for competition in competitions
        for round_ in competition.rounds
        for race in round_.races
    }
    rounds = {round_.number for competition in competitions for round_ in competition.rounds}
    reports, slugs = [], set()
    for i, item in enumerate(reader.items(value, "reports", MAX_SEASON_FILE_ROWS)):
        path = f"reports[{i}]"
        obj = reader.fields(item, path, required=("round", "title", "slug", "body"), optional=REPORT_FIELDS)
        if obj is None:
            continue
        number = reader.get(obj, "round", path, reader.integer, minimum=1, maximum=MAX_ROUNDS)
        if number is not None and number not in rounds:
            reader.error(f"{path}.round", f"the file has no round {number}")
        slug = reader.get(obj, "slug", path, reader.slug, max_length=REPORT_TITLE_LENGTH, nullable=False)
        if slug in slugs:
            reader.error(f"{path}.slug", f'"{slug}" is the slug of another report')
        slugs.add(slug)
        published = reader.get(obj, "published", path, reader.boolean, default=False)
        published_at = reader.get(obj, "published_at", path, reader.moment, default=None)
        if published and published_at is None:
            reader.error(f"{path}.published_at", "a published report needs its publication time")
        linked = []
        for j, ref in enumerate(
            reader.items(obj.get("races", []), f"{path}.races", MAX_RACES_PER_ROUND * 20)
        ):
            where = f"{path}.races[{j}]"
            ref = reader.fields(ref, where, required=("competition", "number"))
            if ref is None:
                continue
            competition = reader.get(ref, "competition", where, reader.text, max_length=NAME_LENGTH)
            race_number = reader.get(
                ref, "number", where, reader.integer, minimum=1, maximum=MAX_RACES_PER_ROUND
            )
            if race_number is not None and (competition, number, race_number) not in races:
                reader.error(
                    where, f'round {number} of the file has no race {race_number} of "{competition}"'
                )
            linked.append((competition, race_number))
        reports.append(
            ReportDoc(
                round=number,
                title=reader.get(obj, "title", path, reader.text, max_length=REPORT_TITLE_LENGTH),
                slug=slug,
                author=reader.get(
                    obj, "author", path, reader.text, max_length=AUTHOR_LENGTH, default=None, nullable=True
                ),
                standfirst=reader.get(
                    obj,
                    "standfirst",
                    path,
                    reader.text,
                    max_length=REPORT_TEXT_LENGTH,
                    default=None,
                    nullable=True,
                    strip=False,
                ),
                body=reader.get(obj, "body", path, reader.text, max_length=REPORT_TEXT_LENGTH, strip=False),
                published=published,
                published_at=published_at,
                races=linked,
            )
        )
    return reports


def _competition(reader, value, path):
    obj = reader.fields(
        value,
        path,
        required=("name", "slug", "scores", "tie_break", "rounds"),
        optional=reader.v2("crew_points"),
    )
    if obj is None:
        return None
    slug = reader.get(obj, "slug", path, reader.text, max_length=NAME_LENGTH)
    if slug and slugify(slug) != slug:
        reader.error(f"{path}.slug", f'"{slug}" is not a slug (lower-case letters, digits and hyphens)')
    rounds = [
        _round(reader, item, f"{path}.rounds[{i}]")
        for i, item in enumerate(reader.items(obj.get("rounds", []), f"{path}.rounds", MAX_ROUNDS))
    ]
    rounds = [r for r in rounds if r is not None]
    _unique(reader, rounds, lambda r: r.number, f"{path}.rounds", "number", "round {} is listed twice")
    return CompetitionDoc(
        name=reader.get(obj, "name", path, reader.text, max_length=NAME_LENGTH),
        slug=slug,
        scores=reader.get(obj, "scores", path, reader.choice, choices=SCORES),
        tie_break=reader.get(obj, "tie_break", path, reader.choice, choices=TIE_BREAKS),
        rounds=rounds,
        crew_points=reader.get(obj, "crew_points", path, reader.choice, choices=CREW_POINTS)
        if "crew_points" in obj and reader.version >= 2
        else None,
    )


def _round(reader, value, path):
    obj = reader.fields(
        value,
        path,
        required=("number", "name", "city", "country", "races"),
        optional=("venue", "date", *reader.v2("slug", "status", "time_zone")),
    )
    if obj is None:
        return None
    name = reader.get(obj, "name", path, reader.text, max_length=NAME_LENGTH)
    races = [
        _race(reader, item, f"{path}.races[{i}]")
        for i, item in enumerate(reader.items(obj.get("races", []), f"{path}.races", MAX_RACES_PER_ROUND))
    ]
    races = [r for r in races if r is not None]
    _unique(reader, races, lambda r: r.number, f"{path}.races", "number", "race {} is listed twice")
    _unique(reader, races, lambda r: r.slug, f"{path}.races", "name", 'two races are called "{}"')
    numbers = {r.number for r in races}
    for index, race in enumerate(races):
        if race.grid_from is None:
            continue
        where = f"{path}.races[{index}].grid_from"
        if race.grid_from not in numbers:
            reader.error(where, f"this round has no race {race.grid_from}")
        elif race.grid_from >= race.number:
            reader.error(
                where,
                f"race {race.grid_from} is not an earlier race of this round (this is race {race.number})",
            )
    slug = reader.get(obj, "slug", path, reader.slug, max_length=NAME_LENGTH, default=None)
    return RoundDoc(
        number=reader.get(obj, "number", path, reader.integer, minimum=1, maximum=MAX_ROUNDS),
        name=name,
        slug=slug or _slug(name),
        status=reader.get(obj, "status", path, reader.choice, choices=ROUND_STATUSES, default=None)
        if obj.get("status") is not None
        else None,
        city=reader.get(obj, "city", path, reader.text, max_length=NAME_LENGTH),
        country=reader.get(obj, "country", path, reader.country),
        venue=reader.get(
            obj, "venue", path, reader.text, max_length=VENUE_LENGTH, default=None, nullable=True
        ),
        date=reader.get(obj, "date", path, reader.date, default=None),
        races=races,
        time_zone=reader.get(obj, "time_zone", path, reader.time_zone)
        if "time_zone" in obj and reader.version >= 2
        else None,
    )


RACE_STATUSES = ("provisional", "under_review", "final")
# Version 2 keys of a race, each optional (absent: the stored value stays): {key: the Race field}.
RACE_V2_GIVEN = {
    "timed": "is_timed",
    "required_compounds_min": "required_compounds_min",
    "status": "status",
    "date": "date",
    "starts_at": "starts_at",
}
RACE_FIELDS = (
    "number",
    "name",
    "kind",
    "track",
    "laps",
    "car",
    "grid_from",
    "points",
    "points_multiplier",
    "required_compounds",
    "complete",
    "results",
)


def _race(reader, value, path):
    obj = reader.fields(
        value,
        path,
        required=("number", "name", "kind", "track", "results"),
        optional=(
            *RACE_FIELDS,
            *reader.v2("slug", "without_result", *RACE_V2_GIVEN, "sources", "conflicts"),
        ),
    )
    if obj is None:
        return None
    name = reader.get(obj, "name", path, reader.text, max_length=NAME_LENGTH)
    # Version 2: null while the track is to be announced.
    announced = reader.version < 2 or obj.get("track") is not None
    track_obj = (
        reader.fields(
            obj.get("track", {}), f"{path}.track", required=("name",), optional=("layout", "country")
        )
        if announced
        else None
    )
    track = TrackDoc("", "", "") if announced else None
    if track_obj is not None:
        track = TrackDoc(
            name=reader.get(track_obj, "name", f"{path}.track", reader.text, max_length=LONG_NAME_LENGTH),
            layout=reader.get(
                track_obj,
                "layout",
                f"{path}.track",
                reader.text,
                max_length=LONG_NAME_LENGTH,
                default=None,
                nullable=True,
            ),
            country=reader.get(
                track_obj, "country", f"{path}.track", reader.country, default=None, nullable=True
            ),
        )
    points = []
    for i, item in enumerate(reader.items(obj.get("points", []), f"{path}.points", MAX_FIELD_SIZE)):
        number = reader.integer(item, f"{path}.points[{i}]", minimum=0, maximum=MAX_POINTS)
        if number is not None:
            points.append(number)
    compounds = []
    compounds_listed = reader.items(
        obj.get("required_compounds", []), f"{path}.required_compounds", len(COMPOUNDS)
    )
    for i, item in enumerate(compounds_listed):
        where = f"{path}.required_compounds[{i}]"
        if reader.choice(item, where, tuple(COMPOUNDS)) is None:
            continue
        if item in compounds:
            reader.error(where, f'"{item}" is listed twice')
        else:
            compounds.append(item)
    errors_before = len(reader.errors)
    results = [
        _entry(reader, item, f"{path}.results[{i}]")
        for i, item in enumerate(reader.items(obj.get("results", []), f"{path}.results", MAX_FIELD_SIZE))
    ]
    others = [
        _entry(reader, item, f"{path}.without_result[{i}]", has_result=False)
        for i, item in enumerate(
            reader.items(obj.get("without_result", []), f"{path}.without_result", MAX_FIELD_SIZE)
        )
    ]
    entries_read_cleanly = len(reader.errors) == errors_before
    slug = reader.get(obj, "slug", path, reader.slug, max_length=NAME_LENGTH, default=None)
    race = RaceDoc(
        number=reader.get(obj, "number", path, reader.integer, minimum=1, maximum=MAX_RACES_PER_ROUND),
        name=name,
        slug=slug or _slug(name),
        kind=reader.get(obj, "kind", path, reader.choice, choices=KINDS),
        track=track,
        laps=reader.get(obj, "laps", path, reader.integer, default=None, **LAPS, nullable=True),
        car=reader.get(
            obj, "car", path, reader.text, max_length=LONG_NAME_LENGTH, default=None, nullable=True
        )
        or None,
        grid_from=reader.get(
            obj,
            "grid_from",
            path,
            reader.integer,
            default=None,
            minimum=1,
            maximum=MAX_RACES_PER_ROUND,
            nullable=True,
        ),
        points=points,
        points_multiplier=reader.get(
            obj,
            "points_multiplier",
            path,
            reader.integer,
            default=1,
            minimum=1,
            maximum=MAX_POINTS_MULTIPLIER,
        )
        or 1,
        required_compounds=compounds,
        complete=reader.get(obj, "complete", path, reader.boolean, default=True),
        results=[r for r in results if r is not None],
        without_result=[r for r in others if r is not None],
        given=_race_given(reader, obj, path, len(compounds)),
    )
    race.sources = _sources(reader, obj, path)
    race.conflicts = _conflicts(reader, obj, path, race.sources)
    if entries_read_cleanly:
        # The race-level rules, once every entry reads cleanly.
        _check_sheet(reader, race, path)
    return race


def _race_given(reader, obj, path, compounds):
    """The version 2 keys of a race the file gives, as the Race's fields."""
    reads = {
        "timed": lambda value, where: reader.boolean(value, where),
        "required_compounds_min": lambda value, where: reader.integer(
            value, where, minimum=1, maximum=max(compounds, 1), nullable=True
        ),
        "status": lambda value, where: reader.choice(value, where, choices=RACE_STATUSES),
        "date": reader.date,
        "starts_at": reader.moment,
    }
    given = {}
    for key, name in RACE_V2_GIVEN.items():
        if key in obj:
            given[name] = reads[key](obj[key], f"{path}.{key}")
    if given.get("starts_at") is not None and given.get("date") is None:
        reader.error(f"{path}.starts_at", "a start needs the race's date")
    return given


def _sources(reader, obj, path):
    """The race's sources, or None when the file does not give them (the stored ones are kept)."""
    if "sources" not in obj or reader.version < 2:
        return None
    sources = []
    for i, item in enumerate(reader.items(obj["sources"], f"{path}.sources", MAX_FIELD_SIZE)):
        where = f"{path}.sources[{i}]"
        source = reader.fields(item, where, required=("publisher",), optional=("url", "date", "covers"))
        if source is None:
            continue
        reader.rows += 1
        covers = []
        listed = reader.items(source.get("covers", ["classification"]), f"{where}.covers", len(SOURCE_COVERS))
        for j, what in enumerate(listed):
            if reader.choice(what, f"{where}.covers[{j}]", SOURCE_COVERS) is None:
                continue
            if what in covers:
                reader.error(f"{where}.covers[{j}]", f'"{what}" is listed twice')
            else:
                covers.append(what)
        if isinstance(listed, list) and not listed:
            reader.error(f"{where}.covers", f"a source covers one or more of {', '.join(SOURCE_COVERS)}")
        sources.append(
            SourceDoc(
                publisher=reader.get(source, "publisher", where, reader.text, max_length=NAME_LENGTH),
                url=reader.get(source, "url", where, reader.url, default=None),
                date=reader.get(source, "date", where, reader.date, default=None),
                covers=covers,
            )
        )
    return sources


def _conflicts(reader, obj, path, sources):
    """The values sources disagree on, or None when the file does not give them (the stored are kept)."""
    if "conflicts" not in obj or reader.version < 2:
        return None
    conflicts = []
    for i, item in enumerate(reader.items(obj["conflicts"], f"{path}.conflicts", MAX_FIELD_SIZE)):
        where = f"{path}.conflicts[{i}]"
        conflict = reader.fields(
            item, where, required=("what", "chosen", "value"), optional=("source", "note")
        )
        if conflict is None:
            continue
        reader.rows += 1
        source = reader.get(conflict, "source", where, reader.integer, default=None, minimum=0, nullable=True)
        if source is not None and sources is None:
            reader.error(
                f"{where}.source",
                f'names source {source}, but the race gives no sources: list them in its "sources"',
            )
        elif source is not None and source >= len(sources):
            reader.error(
                f"{where}.source",
                f"the race has {len(sources)} source(s), numbered from 0; there is no source {source}",
            )
        conflicts.append(
            ConflictDoc(
                what=reader.get(conflict, "what", where, reader.text, max_length=LONG_NAME_LENGTH),
                chosen=reader.get(conflict, "chosen", where, reader.text, max_length=NOTE_LENGTH),
                value=reader.get(conflict, "value", where, reader.text, max_length=NOTE_LENGTH),
                source=source,
                note=reader.get(
                    conflict, "note", where, reader.text, max_length=NOTE_LENGTH, default=None, nullable=True
                ),
            )
        )
    return conflicts


ENTRY_FIELDS = (
    "position",
    "driver",
    "nation",
    "team",
    "car",
    "grid",
    "laps",
    "time",
    "gap",
    "status",
    "reason",
    "points",
    "penalties",
    "stints",
)


# An entry of ``without_result``: a driver's grid place, stints, stops, penalties, incidents; no result.
ENTRY_WITHOUT_RESULT_FIELDS = (
    "driver",
    "nation",
    "grid",
    "grid_compound",
    "penalties",
    "stints",
    "pit_stops",
    "incidents",
)


# Keys of a version 2 entry added after the format's first release: each optional.
ENTRY_CERTAINTY_FIELDS = ("grid_certainty", "grid_reasoning")
RESULT_LATER_FIELDS = ("place_unknown", "place_from", "place_to", "certainty", "reasoning", "crew")


def _entry(reader, value, path, has_result=True):
    known = ENTRY_FIELDS + reader.v2(
        "grid_compound", "pit_stops", "incidents", *ENTRY_CERTAINTY_FIELDS, *RESULT_LATER_FIELDS
    )
    without = ENTRY_WITHOUT_RESULT_FIELDS + ENTRY_CERTAINTY_FIELDS
    obj = reader.fields(value, path, required=("driver",), optional=known if has_result else without)
    if obj is None:
        return None
    row_keys = reader.v2("certainty", "reasoning")
    later = obj if reader.version >= 2 else {}  # a version 1 file's later keys are unknown fields
    lists = ("penalties", "stints", "pit_stops", "incidents")
    reader.rows += 1 + sum(len(obj[key]) for key in lists if isinstance(obj.get(key), list))
    time = reader.get(obj, "time", path, reader.text, max_length=TIME_LENGTH, default=None, nullable=True)
    if time:
        try:
            parse_time(time)
        except GapError as error:
            reader.error(f"{path}.time", str(error))
    gap = reader.get(obj, "gap", path, reader.text, max_length=TIME_LENGTH, default=None, nullable=True)
    try:
        parse_gap(gap)
    except GapError as error:
        reader.error(f"{path}.gap", str(error))
    penalties = []
    for i, item in enumerate(reader.items(obj.get("penalties", []), f"{path}.penalties", MAX_LAPS)):
        where = f"{path}.penalties[{i}]"
        penalty = reader.fields(
            item,
            where,
            required=("reason",),
            optional=("lap", "seconds", "reason", *reader.v2("after_finish"), *row_keys),
        )
        if penalty is not None:
            certainty, reasoning = reader.certainty(penalty if reader.version >= 2 else {}, where)
            penalties.append(
                PenaltyDoc(
                    lap=reader.get(
                        penalty, "lap", where, reader.integer, default=None, **LAPS, nullable=True
                    ),
                    seconds=reader.get(penalty, "seconds", where, reader.seconds, default=None),
                    reason=reader.get(penalty, "reason", where, reader.text, max_length=NOTE_LENGTH),
                    after_finish=reader.get(penalty, "after_finish", where, reader.boolean, default=False),
                    certainty=certainty,
                    reasoning=reasoning,
                )
            )
    pit_stops = []
    for i, item in enumerate(reader.items(obj.get("pit_stops", []), f"{path}.pit_stops", MAX_LAPS)):
        where = f"{path}.pit_stops[{i}]"
        stop = reader.fields(item, where, required=("lap",), optional=("seconds",))
        if stop is not None:
            pit_stops.append(
                PitStopDoc(
                    lap=reader.get(stop, "lap", where, reader.integer, **LAPS),
                    seconds=reader.get(
                        stop,
                        "seconds",
                        where,
                        reader.decimal,
                        default=None,
                        most=MAX_PENALTY_SECONDS,
                        places=3,
                    ),
                )
            )
    incidents = []
    for i, item in enumerate(reader.items(obj.get("incidents", []), f"{path}.incidents", MAX_LAPS)):
        where = f"{path}.incidents[{i}]"
        incident = reader.fields(item, where, required=("description",), optional=("lap",))
        if incident is not None:
            incidents.append(
                IncidentDoc(
                    lap=reader.get(
                        incident, "lap", where, reader.integer, default=None, **LAPS, nullable=True
                    ),
                    description=reader.get(
                        incident, "description", where, reader.text, max_length=NOTE_LENGTH
                    ),
                )
            )
    grid_compound = obj.get("grid_compound", _MISSING)
    if grid_compound is _MISSING:
        grid_compound = None if reader.version < 2 else ""
    elif grid_compound is None:
        grid_compound = ""
    else:
        grid_compound = reader.choice(grid_compound, f"{path}.grid_compound", tuple(COMPOUNDS)) or ""
    stints = []
    for i, item in enumerate(reader.items(obj.get("stints", []), f"{path}.stints", MAX_LAPS)):
        where = f"{path}.stints[{i}]"
        stint = reader.fields(item, where, required=("compound",), optional=("from_lap", "to_lap", *row_keys))
        if stint is not None:
            certainty, reasoning = reader.certainty(stint if reader.version >= 2 else {}, where)
            stints.append(
                StintDoc(
                    compound=reader.get(stint, "compound", where, reader.choice, choices=tuple(COMPOUNDS)),
                    from_lap=reader.get(
                        stint, "from_lap", where, reader.integer, default=None, **LAPS, nullable=True
                    ),
                    to_lap=reader.get(
                        stint, "to_lap", where, reader.integer, default=None, **LAPS, nullable=True
                    ),
                    certainty=certainty,
                    reasoning=reasoning,
                )
            )
    certainty, reasoning = reader.certainty(later, path)
    grid_certainty, grid_reasoning = reader.certainty(later, path, prefix="grid_")
    if later.get("grid") is None and "grid_certainty" in later:
        reader.error(f"{path}.grid_certainty", "the entry has no grid place to be certain of")
    crew = None
    if "crew" in later:
        crew = [
            reader.text(name, f"{path}.crew[{i}]", max_length=NAME_LENGTH)
            for i, name in enumerate(reader.items(later["crew"], f"{path}.crew", MAX_FIELD_SIZE - 1))
        ]
        reader.rows += len(crew)
    return EntryDoc(
        place_unknown=reader.get(later, "place_unknown", path, reader.boolean, default=False),
        place_from=reader.get(
            later, "place_from", path, reader.integer, default=None, **PLACES, nullable=True
        ),
        place_to=reader.get(later, "place_to", path, reader.integer, default=None, **PLACES, nullable=True),
        certainty=certainty,
        reasoning=reasoning,
        grid_certainty=grid_certainty,
        grid_reasoning=grid_reasoning,
        crew=crew,
        position=reader.get(obj, "position", path, reader.integer, default=None, **PLACES, nullable=True),
        driver=reader.get(obj, "driver", path, reader.text, max_length=NAME_LENGTH),
        nation=reader.get(obj, "nation", path, reader.country, default=None, nullable=True),
        team=reader.get(obj, "team", path, reader.text, max_length=NAME_LENGTH, default=None, nullable=True)
        or None,
        car=reader.get(
            obj, "car", path, reader.text, max_length=LONG_NAME_LENGTH, default=None, nullable=True
        )
        or None,
        grid=reader.get(obj, "grid", path, reader.integer, default=None, **PLACES, nullable=True),
        laps=reader.get(
            obj, "laps", path, reader.integer, default=None, minimum=0, maximum=MAX_LAPS, nullable=True
        ),
        time=time,
        gap=gap,
        status=reader.get(obj, "status", path, reader.choice, default="finished", choices=tuple(STATUSES)),
        reason=reader.get(
            obj, "reason", path, reader.text, max_length=NOTE_LENGTH, default=None, nullable=True
        ),
        points=reader.get(
            obj, "points", path, reader.integer, default=None, minimum=0, maximum=MAX_POINTS, nullable=True
        ),
        penalties=penalties,
        stints=stints,
        grid_compound=grid_compound,
        pit_stops=pit_stops,
        incidents=incidents,
        has_result=has_result,
    )


def _check_sheet(reader, race, path):
    """The admin's race checks, with each problem placed in the document."""
    places = {"results": {}, "grid": {}, "stints": {}, "penalties": {}, "pit_stops": {}}
    results, grid, stints, penalties, pit_stops = [], [], [], [], []
    with_result = {entry.driver for entry in race.results}
    row = 0
    for key, entries in (("results", race.results), ("without_result", race.without_result)):
        for i, entry in enumerate(entries):
            row += 1
            at = f"{key}[{i}]"
            if entry.has_result:
                places["results"][row] = at
                results.append(
                    ResultRow(
                        row,
                        entry.driver,
                        entry.driver,
                        entry.position,
                        entry.laps,
                        entry.status or "",
                        place_unknown=entry.place_unknown,
                        place_from=entry.place_from,
                        place_to=entry.place_to,
                        points_set=entry.points,
                    )
                )
            elif entry.driver in with_result:
                reader.error(
                    f"{path}.{at}.driver", f"{entry.driver} has a result in this race: list them there"
                )
            if entry.grid is not None:
                places["grid"][row] = at
                grid.append(GridRow(row, entry.driver, entry.driver, entry.grid, entry.grid_compound or ""))
            for j, stint in enumerate(entry.stints):
                number = len(stints) + 1
                places["stints"][number] = f"{at}.stints[{j}]"
                stints.append(
                    StintRow(
                        number, entry.driver, entry.driver, stint.compound or "", stint.from_lap, stint.to_lap
                    )
                )
            for j, penalty in enumerate(entry.penalties):
                number = len(penalties) + 1
                places["penalties"][number] = f"{at}.penalties[{j}]"
                penalties.append(LapRow(number, entry.driver, entry.driver, penalty.lap))
            for j, stop in enumerate(entry.pit_stops):
                number = len(pit_stops) + 1
                places["pit_stops"][number] = f"{at}.pit_stops[{j}]"
                pit_stops.append(LapRow(number, entry.driver, entry.driver, stop.lap))
    _unique(
        reader,
        race.without_result,
        lambda e: e.driver,
        f"{path}.without_result",
        "driver",
        "{} is listed twice",
    )
    sheet = RaceSheet(
        laps=race.laps,
        is_complete=race.complete,
        points_scale=tuple(race.points),
        results=results,
        grid=grid,
        stints=stints,
        penalties=penalties,
        pit_stops=pit_stops,
    )
    field_names = {
        ("grid", "position"): "grid",
        ("stints", "first_lap"): "from_lap",
        ("stints", "last_lap"): "to_lap",
    }
    for problem in check_race(sheet, where=lambda section, row: places[section][row]):
        if problem.row is None:
            reader.error(f"{path}.results", problem.detail)
            continue
        name = field_names.get((problem.section, problem.field), problem.field)
        reader.error(f"{path}.{places[problem.section][problem.row]}.{name}", problem.detail)


def _slug(name):
    """A round's or a race's slug, from its name: as long as the column allows."""
    return slugify(name)[:NAME_LENGTH].strip("-")


def _unique(reader, items, key, path, field_name, message):
    seen = set()
    for index, item in enumerate(items):
        value = key(item)
        if value is None:
            continue
        if value in seen:
            reader.error(f"{path}[{index}].{field_name}", message.format(value))
        seen.add(value)


def _check_across(reader, competitions, drivers=()):
    """Rules that span competitions: one event per round number, one nation per driver."""
    slugs, names = set(), set()
    events = {}
    zones = {}  # a round's time zone, where a competition's copy of the round gives it
    nations = {d.name: (d.nation, f"drivers[{i}]") for i, d in enumerate(drivers) if d.nation}
    for c_index, competition in enumerate(competitions):
        path = f"competitions[{c_index}]"
        if competition.slug in slugs:
            reader.error(f"{path}.slug", f'"{competition.slug}" is used by another competition')
        if competition.name in names:
            reader.error(f"{path}.name", f'"{competition.name}" is used by another competition')
        slugs.add(competition.slug)
        names.add(competition.name)
        for r_index, round_ in enumerate(competition.rounds):
            r_path = f"{path}.rounds[{r_index}]"
            facts = (round_.name, round_.city, round_.country, round_.venue, round_.date)
            first = events.setdefault(round_.number, (facts, r_path))
            if first[0] != facts:
                reader.error(
                    r_path,
                    f"round {round_.number} is the same event as {first[1]}, so its name, city, country, "
                    "venue and date must agree with it",
                )
            if round_.time_zone is not None:
                zone = zones.setdefault(round_.number, (round_.time_zone, r_path))
                if zone[0] != round_.time_zone:
                    reader.error(
                        f"{r_path}.time_zone",
                        f"round {round_.number} is the same event as {zone[1]}, whose time zone is "
                        f'"{zone[0] or "null"}"',
                    )
            for race_index, race in enumerate(round_.races):
                entries = [("results", i, e) for i, e in enumerate(race.results)]
                entries += [("without_result", i, e) for i, e in enumerate(race.without_result)]
                for key, e_index, entry in entries:
                    if not entry.nation:
                        continue
                    at = f"{r_path}.races[{race_index}].{key}[{e_index}]"
                    seen = nations.setdefault(entry.driver, (entry.nation, at))
                    if seen[0] != entry.nation:
                        reader.error(
                            f"{at}.nation",
                            f"{entry.driver} represents {seen[0]} at {seen[1]}; one name is one person",
                        )


def _check_crews(reader, competitions, drivers):
    """A crew's drivers: listed in the file's drivers, each in one entry of the race."""
    listed = {driver.name for driver in drivers}
    for c_index, competition in enumerate(competitions):
        for r_index, round_ in enumerate(competition.rounds):
            for race_index, race in enumerate(round_.races):
                path = f"competitions[{c_index}].rounds[{r_index}].races[{race_index}]"
                with_result = {entry.driver: f"results[{i}]" for i, entry in enumerate(race.results)}
                seated = {}
                for i, entry in enumerate(race.results):
                    for j, name in enumerate(entry.crew or ()):
                        where = f"{path}.results[{i}].crew[{j}]"
                        if not name:
                            continue  # reported as it was read
                        if name == entry.driver:
                            reader.error(where, f'{name} is this entry\'s first driver (its "driver")')
                        elif name in with_result:
                            reader.error(
                                where,
                                f"{name} has a result of their own in this race ({with_result[name]}); "
                                "a driver is in one entry per race",
                            )
                        elif name in seated:
                            reader.error(where, f"{name} is already in the crew at {seated[name]}")
                        elif name not in listed:
                            reader.error(
                                where,
                                f'"{excerpt(name)}" is not in the file\'s "drivers": list each driver of a '
                                "crew there, with their nation",
                            )
                        seated.setdefault(name, where)

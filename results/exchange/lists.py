"""The other lists a press release prints: the grid, tyre strategies, penalties and pit stops.

The grid or qualifying order, one driver a line, in order::

    1. Kylian Drumont – France (S) 1:23.456
    P2 Jose Serrano – Soft
    Calen Roach (H)

A position (``1.``, ``P1``) is optional: lines without one follow the line before. A
nation, the starting compound (``(S)``, ``(soft)``, ``– Soft``) and the qualifying
time are optional too.

Tyre strategies, the compounds in order, each after the first with the lap at the
end of which the car pitted for it (``(lap ?)`` or no lap: not known)::

    Jose Serrano: S → H (lap 33)
    Kylian Drumont: S → M (lap 10) → H (lap ?)

Arrows may be ``→``, ``->``, ``>`` or a comma; compounds letters (S, M, H, IM, W) or
words (soft, medium, hard, intermediate, wet), or ``?`` where the report does not say:
``Kylian Drumont: S → ? (lap 10)`` (started on softs, pitted after lap 10 for tyres not
named) and ``Takuma Miyazono: M → ?`` (started on mediums; the rest is not known). A
strategy whose last compound is named ran on it to the finish.

Penalties, with their size (``+5 s``, ``+0.5s``; optional), their reason (required),
the lap (optional) and ``(after the race)`` for time added to the finish::

    Takuma Miyazono +0.5 s track limits, lap 3
    Takuma Miyazono – track limits
    Kylian Drumont +5s collision (after the race)

Pit stops, the laps at the end of which the driver pitted, each with its duration
if published::

    Jose Serrano: lap 33
    Calen Roach – laps 1, 15
    Kylian Drumont: lap 10 (24.3 s)

Each line is read into a dataclass with the driver's name as typed; a line that
cannot be read is an error naming the line and the wrong token (``problem_token``),
never dropped. Nothing here looks a driver up.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from results.exchange.lines import (
    POSITION,
    SEPARATOR,
    PastedLine,
    bounded,
    folded,
    read_driver,
    read_lines,
    refuse_repeats,
)
from results.exchange.nations import nation_code
from results.rules.codes import COMPOUND_FORMS, compound_code
from results.rules.gaps import GapError, parse_time
from results.rules.limits import (
    MAX_FIELD_SIZE,
    MAX_LAPS,
    MAX_PENALTY_SECONDS,
    MAX_PIT_STOP_SECONDS,
    NOTE_LENGTH,
    excerpt,
)

__all__ = [
    "GridLine",
    "PastedStint",
    "PastedStop",
    "PenaltyLine",
    "PitStopLine",
    "StrategyLine",
    "parse_grid",
    "parse_penalties",
    "parse_pit_stops",
    "parse_strategies",
]

# The lines here are at most MAX_PASTE_LINE_LENGTH characters (read_lines refuses longer ones) and
# every pattern is matched at one place, so none can take long.
_QUALIFYING_TIME = re.compile(r"\d+(?::\d+){0,2}\.\d+|\d+(?::\d+){1,2}")  # 1:23.456, 83.456
_DRIVER_END = re.compile(r": ?| [–—-] | ?[–—] ?")  # "Jose Serrano: …", "Calen Roach – …"
_ARROW = re.compile(r" ?(?:→|->|>|,) ?")
_PIT_LAP = re.compile(r"(?:laps? ?)?(\d+|\?)", re.IGNORECASE)  # inside brackets: "lap 10", "lap ?", "10"
_SECONDS = r"(\d+(?:\.\d+)?) ?(?:s|secs?|seconds)?"
_PENALTY_TIME = re.compile(rf"\+ ?{_SECONDS}(?=[ ,;]|$)", re.IGNORECASE)
_PENALTY_TIME_UNIT = re.compile(r"(\d+(?:\.\d+)?) ?(?:s|secs?|seconds)(?=[ ,;]|$)", re.IGNORECASE)  # "5 s"
# The lap at the end: ", lap 3", "; lap 3", " (lap 3)", " – lap 3", " on lap 3".
_PENALTY_LAP = re.compile(r"(?:[,;] ?| [–—-] | \(| on | in | at )laps? (\S+?)\)?$", re.IGNORECASE)
_AFTER_FINISH = ("(after the race)", "(after race)", "(post-race)", "(post race)", "(after the finish)")
_STOP = re.compile(r"(?:laps? )?(\d+)(?: ?\(([^()]*)\))?", re.IGNORECASE)
_STOP_SEPARATOR = re.compile(r" ?, ?| and ", re.IGNORECASE)
_DURATION = re.compile(_SECONDS, re.IGNORECASE)


@dataclass
class GridLine(PastedLine):
    position: int | None = None
    nation: str = ""  # alpha-2 code; "" when the line gives none
    nation_text: str = ""
    compound: str = ""  # the starting compound's code (S, M, H, IM, W); "" when not given
    time: str = ""  # the qualifying time as published


@dataclass(frozen=True)
class PastedStint:
    """Laps on one compound; a lap not known is None. The last stint runs to the finish."""

    compound: str
    first_lap: int | None
    last_lap: int | None
    to_finish: bool = False


@dataclass
class StrategyLine(PastedLine):
    stints: list[PastedStint] = field(default_factory=list)
    pit_laps: list[int | None] = field(default_factory=list)  # a stop at the end of each; None: not known


@dataclass
class PenaltyLine(PastedLine):
    seconds: Decimal | None = None  # None: size not published
    reason: str = ""
    lap: int | None = None
    after_finish: bool = False  # time added to the finish, which the classification adds


@dataclass(frozen=True)
class PastedStop:
    lap: int
    seconds: Decimal | None = None  # the stop's duration, where published


@dataclass
class PitStopLine(PastedLine):
    stops: list[PastedStop] = field(default_factory=list)

    @property
    def laps(self):
        return [stop.lap for stop in self.stops]


# The grid.


def parse_grid(text):
    """One :class:`GridLine` per non-blank line, positions following the lines unless given; a
    repeated position or driver is an error naming both lines."""
    rows = read_lines(text, GridLine, _read_grid_line, "grid line")
    following = 1
    for row in rows:
        if row.position is None:
            row.position = following
        following = row.position + 1
    refuse_repeats(
        [row for row in rows if not row.errors],
        lambda row: row.position,
        lambda row: (str(row.position), f"grid slot {row.position}"),
    )
    _refuse_repeated_drivers(rows)
    return rows


def _read_grid_line(row, line):
    position = POSITION.match(line)
    if position:
        digits = position.group(1) or position.group(2)
        row.position = bounded(digits, MAX_FIELD_SIZE)
        if row.position is None or row.position < 1:
            row.refuse(digits, f"grid slot “{digits}” is not one a race has (1 to {MAX_FIELD_SIZE}).")
            return
        line = line[position.end() :]
    for _ in range(2):  # a time and a compound in brackets at the end, in either order
        line = _take_grid_end(row, line)
    parts = [p.strip() for p in SEPARATOR.split(line.strip(" –—-")) if p.strip()]
    if not parts or len(parts) > 3:
        row.refuse(
            row.text,
            f"cannot read “{excerpt(row.text, 80)}”; write it as “1. Driver – Nation (S) 1:23.456”, "
            "the position, nation, compound and time each optional.",
        )
        return
    read_driver(row, parts[0])
    for part in parts[1:]:
        if not row.nation and nation_code(part):
            row.nation_text, row.nation = part, nation_code(part)
        elif not row.compound and compound_code(part):
            row.compound = compound_code(part)
        else:
            row.refuse(part, f"“{excerpt(part)}” is neither a nation we know nor a tyre compound.")


def _refuse_repeated_drivers(rows):
    refuse_repeats(
        [row for row in rows if not row.errors],
        lambda row: folded(row.driver),
        lambda row: (row.driver, excerpt(row.driver, 60)),
    )


def _one_line_a_driver(text, make, read_rest, kind, example):
    """Lines of a driver, “:” or a dash, and what ``read_rest(row, rest)`` reads; a driver on two
    lines is an error naming both."""

    def read(row, line):
        rest = _split_driver(row, line, example)
        if rest is not None and not row.errors:
            read_rest(row, rest)

    rows = read_lines(text, make, read, kind)
    _refuse_repeated_drivers(rows)
    return rows


def _take_grid_end(row, line):
    """The line without the qualifying time or the bracketed compound at its end, read into ``row``."""
    head, _, last = line.rpartition(" ")
    if head and last.startswith("+") and not row.problem_token:
        row.refuse(last, f"“{last}” is a gap; a grid line takes the qualifying time (1:23.456) or none.")
        return head
    if head and not row.time and _QUALIFYING_TIME.fullmatch(last):
        try:
            parse_time(last)
            row.time = last
        except GapError as error:
            row.refuse(last, str(error))
        return head
    if not row.compound and line.endswith(")") and "(" in line:
        opening = line.rfind("(")
        token = line[opening:]
        row.compound = compound_code(token[1:-1])
        if not row.compound:
            row.refuse(token, f"“{excerpt(token)}” is not a tyre compound: write {COMPOUND_FORMS}.")
        return line[:opening].rstrip()
    return line


def _split_driver(row, line, example):
    """(driver, the rest) at the first “:” or dash; None, with an error, if there is neither."""
    end = _DRIVER_END.search(line)
    if not end or not line[: end.start()].strip() or not line[end.end() :].strip():
        row.refuse(row.text, f"cannot read “{excerpt(row.text, 80)}”; write it as “{example}”.")
        return None
    read_driver(row, line[: end.start()].strip())
    return line[end.end() :].strip()


# Tyre strategies.


def parse_strategies(text):
    """One :class:`StrategyLine` per non-blank line; a driver on two lines is an error naming both."""
    return _one_line_a_driver(
        text, StrategyLine, _read_strategy, "strategy line", "Jose Serrano: S → H (lap 33)"
    )


UNKNOWN_COMPOUND = "?"  # a stint whose compound is not known: its stop is kept, the stint is not
_UNKNOWN_COMPOUNDS = ("?", "…", "...")


def _read_strategy(row, rest):
    steps = _ARROW.split(rest)
    compounds, tokens = [], []
    for number, step in enumerate(steps):
        compound, lap = _read_step(row, step.strip(), rest, is_first=number == 0)
        compounds.append(compound)
        if number:
            row.pit_laps.append(lap)
            tokens.append(step.strip())
    if not row.errors:
        _refuse_laps_out_of_order(row, row.pit_laps, tokens)
    if row.errors:
        row.pit_laps = []
        return
    first_laps = [1, *(lap + 1 if lap is not None else None for lap in row.pit_laps)]
    last_laps = [*row.pit_laps, None]
    row.stints = [
        PastedStint(compound, first, last, to_finish=number == len(compounds) - 1)
        for number, (compound, first, last) in enumerate(zip(compounds, first_laps, last_laps, strict=True))
        if compound != UNKNOWN_COMPOUND
    ]


def _read_step(row, step, strategy, is_first):
    """(compound code, pit lap) of one step of a strategy: “H (lap 33)”, “S”, “M (lap ?)”."""
    if not step:
        row.refuse(strategy, f"“{excerpt(strategy)}” has an arrow with no compound after it.")
        return "", None
    name, lap = step, None
    if step.endswith(")") and "(" in step:
        opening = step.rfind("(")
        name, bracket = step[:opening].strip(), step[opening:]
        pit = _PIT_LAP.fullmatch(bracket[1:-1].strip())
        if not pit:
            row.refuse(
                bracket, f"“{excerpt(bracket)}” is not a lap: write “(lap 33)”, or “(lap ?)” if not known."
            )
            return "", None
        if is_first:
            row.refuse(
                bracket,
                f"“{excerpt(bracket)}” is on the starting compound; a lap goes with the compound the car "
                "pitted for (“S → H (lap 33)”).",
            )
            return "", None
        lap = _read_lap(row, pit.group(1), bracket) if pit.group(1) != "?" else None
    if name in _UNKNOWN_COMPOUNDS:
        return UNKNOWN_COMPOUND, lap
    code = compound_code(name)
    if not code:
        row.refuse(
            name, f"“{excerpt(name)}” is not a tyre compound: write {COMPOUND_FORMS}, or ? if not known."
        )
    return code, lap


def _read_lap(row, digits, token):
    lap = bounded(digits, MAX_LAPS)
    if lap is None:
        row.refuse(token, f"“{excerpt(token)}” is past the last lap of any race ({MAX_LAPS} at most).")
    elif lap < 1:
        row.refuse(token, f"“{excerpt(token)}”: laps are numbered from 1.")
    return lap if lap else None


def _refuse_laps_out_of_order(row, laps, tokens):
    """Known laps must increase along the line; ``tokens``: each lap as typed."""
    previous = None
    for lap, token in zip(laps, tokens, strict=True):
        if lap is None:
            continue
        if previous is not None and lap <= previous:
            row.refuse(
                token,
                f"the pit stop on lap {lap} comes after the one on lap {previous}; laps must increase.",
            )
            return
        previous = lap


# Penalties.


def parse_penalties(text):
    """One :class:`PenaltyLine` per non-blank line (a driver may have several penalties)."""
    return read_lines(text, PenaltyLine, _read_penalty_line, "penalty line")


def _read_penalty_line(row, line):
    lowered = line.lower()
    for words in _AFTER_FINISH:  # at the end of the line, or before its lap
        at = lowered.find(words)
        after = line[at + len(words) :]
        if at >= 0 and (not after.strip() or _PENALTY_LAP.match(after)):
            row.after_finish = True
            line = line[:at].rstrip() + after
            break
    plus = line.find(" +")
    end = _DRIVER_END.search(line)
    if plus > 0 and (not end or plus < end.start()):
        read_driver(row, line[:plus].strip())
        rest = line[plus:].strip()
    else:
        rest = _split_driver(row, line, "Takuma Miyazono +0.5 s track limits, lap 3")
        if rest is None:
            return
    size = _PENALTY_TIME_UNIT.match(rest)
    if rest.startswith("+"):
        size = _PENALTY_TIME.match(rest)
        if not size:
            token = rest.split(" ", 1)[0].rstrip(",;")
            row.refuse(token, f"“{excerpt(token)}” is not a penalty's time: write it as +5 s or +0.5 s.")
            return
    if size:
        row.seconds = _read_seconds(row, size.group(1), size.group(0), MAX_PENALTY_SECONDS, "a time penalty")
        rest = rest[size.end() :]
    lap = _PENALTY_LAP.search(rest)
    if lap:
        token = lap.group(0).strip(" ,;")
        if lap.group(1) != "?":
            if not lap.group(1).isascii() or not lap.group(1).isdigit():
                row.refuse(token, f"“{excerpt(token)}” is not a lap: write “lap 3”.")
                return
            row.lap = _read_lap(row, lap.group(1), token)
        rest = rest[: lap.start()]
    row.reason = rest.strip(" ,;:–—-")
    if not row.reason:
        row.refuse(
            row.text,
            f"“{excerpt(row.text, 80)}” gives no reason for the penalty: write what it was for "
            "(“Takuma Miyazono +0.5 s track limits, lap 3”).",
        )
    elif len(row.reason) > NOTE_LENGTH:
        row.refuse(
            row.reason,
            f"the reason “{excerpt(row.reason)}” is {len(row.reason):,} characters long; "
            f"a reason has at most {NOTE_LENGTH}.",
        )


def _read_seconds(row, number, token, largest, what):
    """Seconds with at most three decimals, more than 0 and at most ``largest``; None (with an
    error naming ``token``) otherwise."""
    seconds = Decimal(number)
    if seconds <= 0 or seconds > largest or -seconds.as_tuple().exponent > 3:
        row.refuse(
            token,
            f"“{excerpt(token)}” is not {what} we can store: more than 0 and at most {largest} seconds, "
            "to the thousandth.",
        )
        return None
    return seconds


# Pit stops.


def parse_pit_stops(text):
    """One :class:`PitStopLine` per non-blank line; a driver on two lines is an error naming both."""
    return _one_line_a_driver(
        text, PitStopLine, _read_pit_stops, "pit stop line", "Calen Roach – laps 1, 15 (24.3 s)"
    )


def _read_pit_stops(row, rest):
    tokens = []
    for item in _STOP_SEPARATOR.split(rest):
        stop = _STOP.fullmatch(item.strip())
        if not stop:
            row.refuse(item, f"“{excerpt(item)}” is not a pit stop: write “lap 10” or “lap 10 (24.3 s)”.")
            return
        lap = _read_lap(row, stop.group(1), item.strip())
        seconds = None
        if stop.group(2) is not None:
            duration = _DURATION.fullmatch(stop.group(2).strip())
            token = f"({stop.group(2)})"
            if not duration:
                row.refuse(token, f"“{excerpt(token)}” is not a stop's duration: write it as (24.3 s).")
                return
            seconds = _read_seconds(row, duration.group(1), token, MAX_PIT_STOP_SECONDS, "a stop's duration")
        if row.errors:
            return
        row.stops.append(PastedStop(lap, seconds))
        tokens.append(item.strip())
    _refuse_laps_out_of_order(row, row.laps, tokens)
    if row.errors:
        row.stops = []

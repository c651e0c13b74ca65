"""A classification pasted as press releases print it, read line by line.

    - Takuma Miyazono – Japan – 35 laps
    - Jose Serrano – Spain +1.0684
    - Adriano Carrazza – Brazil + 43.476
    - Guy Barbara – Australia N/A

Each line is a driver, a nation and what follows them: the winner's laps or
time, a gap, ``N/A``, or a status (DNF, DNS, DSQ, NC). Positions follow the
order of the lines unless a line starts with one (``3.`` or ``P3``). A line that
cannot be read is an error naming the line; nothing is dropped.
"""

import re
from dataclasses import dataclass, field

from results.exchange.nations import nation_code
from results.rules.gaps import GapError, parse_gap, parse_time

_BULLET = re.compile(r"^\s*(?:[-•*·]\s+)?")
_POSITION = re.compile(r"^(?:P\s?(\d+)|(\d+)[.)]?)\s+", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")
_TAIL = re.compile(
    r"""(?P<tail>
        \+\s*\d.*            # a gap: +1.0684, + 43.476, +1:05.950, +1 lap
      | N/?A                 # unknown
      | \d+\s+laps?          # the winner's laps
      | \d+(?::\d{1,2}){1,2}(?:\.\d+)?   # the winner's time
      | DNF|DNS|DSQ|NC       # a status
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_STATUSES = {"dnf": "dnf", "dns": "dns", "dsq": "dsq", "nc": "nc"}


@dataclass
class PastedRow:
    line: int
    text: str
    position: int | None = None
    driver: str = ""
    nation: str = ""  # alpha-2 code
    nation_text: str = ""
    laps: int | None = None
    time: str = ""
    gap: str = ""
    status: str = "finished"
    errors: list[str] = field(default_factory=list)


def parse_pasted(text):
    """One :class:`PastedRow` per non-blank line, each with its errors (if any)."""
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            rows.append(_parse_line(number, raw.strip()))
    _number_positions(rows)
    _fill_laps(rows)
    return rows


def _parse_line(number, raw):
    row = PastedRow(line=number, text=raw)
    body = _BULLET.sub("", raw, count=1)
    position = _POSITION.match(body)
    if position:
        row.position = int(position.group(1) or position.group(2))
        body = body[position.end() :]
    tail = _TAIL.search(body)
    if tail:
        _read_tail(row, tail.group("tail").strip())
        body = body[: tail.start()]
    parts = [p.strip() for p in _SEPARATOR.split(body.strip(" –—-")) if p.strip()]
    if len(parts) != 2:
        row.errors.append(
            f"Line {number}: cannot read “{raw}”; write it as “Driver – Nation +gap” "
            "(for example “Jose Serrano – Spain +1.0684”)."
        )
        return row
    row.driver, row.nation_text = parts
    row.nation = nation_code(row.nation_text)
    if not row.nation:
        row.errors.append(f"Line {number}: “{row.nation_text}” is not a nation we know.")
    return row


def _read_tail(row, tail):
    lowered = tail.lower()
    if lowered in _STATUSES:
        row.status = _STATUSES[lowered]
        return
    laps = re.fullmatch(r"(\d+)\s+laps?", lowered)
    if laps and not tail.startswith("+"):
        row.laps = int(laps.group(1))
        return
    if re.fullmatch(r"\d+(?::\d{1,2}){1,2}(?:\.\d+)?", tail):
        try:
            parse_time(tail)
            row.time = tail
        except GapError as error:
            row.errors.append(f"Line {row.line}: {error}")
        return
    try:
        parse_gap(tail)
        row.gap = tail
    except GapError as error:
        row.errors.append(f"Line {row.line}: {error}")


def _number_positions(rows):
    """Lines without a position take the next one; DNS/DSQ/NC lines take none."""
    next_position = 1
    for row in rows:
        if row.status in {"dns", "dsq", "nc"}:
            row.position = None
            continue
        if row.position is None:
            row.position = next_position
        next_position = row.position + 1


def _fill_laps(rows):
    """A time gap means the winner's lap; ``+2 laps`` means two fewer."""
    winner_laps = next((r.laps for r in rows if r.laps is not None), None)
    if winner_laps is None:
        return
    for row in rows:
        if row.laps is not None or row.errors or not row.gap:
            continue
        gap = parse_gap(row.gap)
        if gap.seconds is not None:
            row.laps = winner_laps
        elif gap.laps is not None:
            row.laps = max(winner_laps - gap.laps, 0)

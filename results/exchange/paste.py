"""A classification pasted as press releases print it, read line by line.

    - Takuma Miyazono – Japan – 35 laps
    - Jose Serrano – Spain +1.0684
    - Adriano Carrazza – Brazil + 43.476
    - Guy Barbara – Australia N/A

Each line is a driver, a nation (and, where the competition scores teams, the
team or the car's brand: ``Jose Serrano – Spain – Toyota +1.0684``) and what
follows them: the winner's laps or time, a gap, ``N/A``, or a status (DNF, DNS,
DSQ, NC). Positions follow the order of the lines unless a line starts with one
(``3.`` or ``P3``). A classified driver whose place was not published starts
with ``?`` (no band), ``7-12`` or ``7–12`` (somewhere from 7th to 12th) or
``11+`` (11th or lower); such lines take no position. A line that cannot be read
is an error naming the line; nothing is dropped.
"""

import re
from dataclasses import dataclass, field

from results.exchange.nations import nation_code
from results.rules.classification import place_words
from results.rules.gaps import GapError, parse_gap, parse_time
from results.rules.limits import (
    MAX_FIELD_SIZE,
    MAX_LAPS,
    MAX_PASTE_LINE_LENGTH,
    MAX_PASTE_LINES,
    NAME_LENGTH,
    excerpt,
)

# Each line is read with its whitespace made single spaces, and every pattern below is matched at
# one place or fails after a bounded look: none can backtrack over a long line (a line of 40,000
# digits is read as fast as a short one).
_BULLETS = ("- ", "• ", "* ", "· ")
_POSITION = re.compile(r"(?:P ?(\d+)|(\d+)[.)]?) ", re.IGNORECASE)
# A place not published: "? ", "7-12 ", "7–12 ", "11+ " (one token, read before a position).
_UNPUBLISHED = re.compile(r"(\?|(\d+)[–—-](\d+)|(\d+)\+) ")
_SEPARATOR = re.compile(r" [–—-] | ?[–—] ?")
_GAP = re.compile(r"\+ ?\d")  # a gap: +1.0684, + 43.476, +1:05.950, +1 lap; it runs to the end
_TIME = re.compile(r"\d+(?::\d{1,2}){1,2}(?:\.\d+)?")  # the winner's time
_UNKNOWN = ("n/a", "na")
_LAPS = ("lap", "laps")
_STATUSES = {"dnf": "dnf", "dns": "dns", "dsq": "dsq", "nc": "nc"}
NULL_CHARACTER = "\x00"


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
    place_unknown: bool = False  # classified, place not published
    place_from: int | None = None
    place_to: int | None = None
    team: str = ""  # as written: a team or the car's brand
    errors: list[str] = field(default_factory=list)

    @property
    def place_text(self):
        """An unpublished place in words ("7th–12th", "classified")."""
        return place_words(self.place_from, self.place_to) if self.place_unknown else ""


def size_problems(text):
    """What makes a paste too large to read (more lines than a race, overlong lines) or impossible
    to store (a null character), each naming its line; none for a paste of one race."""
    lines = text.splitlines()
    if len(lines) > MAX_PASTE_LINES:
        return [f"The list has {len(lines):,} lines; paste one race, at most {MAX_PASTE_LINES} lines."]
    problems = []
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_PASTE_LINE_LENGTH:
            problems.append(
                f"Line {number} is {len(line):,} characters long; a result line has at most "
                f"{MAX_PASTE_LINE_LENGTH}: “{excerpt(line)}”."
            )
        elif NULL_CHARACTER in line:
            problems.append(_null_character(number, line))
    return problems


def _null_character(number, line):
    return (
        f"Line {number} contains a null character (\\x00), which cannot be stored: “{excerpt(line)}”. "
        "Delete it, or copy the list again from its source."
    )


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
    if NULL_CHARACTER in raw:
        row.errors.append(_null_character(number, raw))
        return row
    body = " ".join(raw.split())
    if body.startswith(_BULLETS):
        body = body[2:]
    unpublished = _UNPUBLISHED.match(body)
    if unpublished:
        if not _read_band(row, unpublished):
            return row
        body = body[unpublished.end() :]
    position = None if unpublished else _POSITION.match(body)
    if position:
        digits = position.group(1) or position.group(2)
        row.position = _bounded(digits, MAX_FIELD_SIZE)
        if row.position is None or row.position < 1:
            row.errors.append(
                f"Line {number}: position “{excerpt(digits)}” is not one a race has "
                f"(1 to {MAX_FIELD_SIZE}, the largest field)."
            )
            return row
        body = body[position.end() :]
    body, tail = _split_tail(body)
    if tail:
        _read_tail(row, tail)
    parts = [p.strip() for p in _SEPARATOR.split(body.strip(" –—-")) if p.strip()]
    if len(parts) not in (2, 3):
        row.errors.append(
            f"Line {number}: cannot read “{excerpt(raw, 80)}”; write it as “Driver – Nation +gap” "
            "(for example “Jose Serrano – Spain +1.0684”)."
        )
        return row
    row.driver, row.nation_text = parts[:2]
    if len(parts) == 3:
        row.team = parts[2]
        if len(row.team) > NAME_LENGTH:
            row.errors.append(
                f"Line {number}: the team “{excerpt(row.team)}” is {len(row.team):,} characters long; "
                f"a name has at most {NAME_LENGTH}."
            )
    if len(row.driver) > NAME_LENGTH:
        row.errors.append(
            f"Line {number}: the driver's name “{excerpt(row.driver)}” is {len(row.driver):,} characters "
            f"long; a name has at most {NAME_LENGTH}."
        )
    row.nation = nation_code(row.nation_text)
    if not row.nation:
        row.errors.append(f"Line {number}: “{excerpt(row.nation_text)}” is not a nation we know.")
    return row


def _read_band(row, match):
    """Read a place not published (``?``, ``7-12``, ``11+``) into ``row``; False (with an error) if
    its numbers are not places of a race."""
    token = match.group(1)
    row.place_unknown = True
    if token == "?":
        return True
    first_digits = match.group(2) or match.group(4)
    first = _bounded(first_digits, MAX_FIELD_SIZE)
    last = _bounded(match.group(3), MAX_FIELD_SIZE) if match.group(3) else None
    if first is None or first < 1 or (match.group(3) and (last is None or last < 1)):
        row.errors.append(
            f"Line {row.line}: the band of places “{excerpt(token)}” is not one a race has "
            f"(places run from 1 to {MAX_FIELD_SIZE}, the largest field)."
        )
        return False
    if last is not None and first > last:
        row.errors.append(
            f"Line {row.line}: the band of places “{excerpt(token)}” runs backwards; "
            f"write the higher place first ({last}-{first})."
        )
        return False
    row.place_from, row.place_to = first, last
    return True


def _split_tail(body):
    """(driver and nation, what follows them): a gap, N/A, the winner's laps or time, or a status."""
    gap = _GAP.search(body)
    if gap:
        return body[: gap.start()], body[gap.start() :]
    words = body.rsplit(" ", 2)
    last = words[-1].lower()
    if last in _STATUSES or last in _UNKNOWN or _TIME.fullmatch(last):
        return " ".join(words[:-1]), words[-1]
    if last in _LAPS and len(words) == 3 and words[-2].isascii() and words[-2].isdigit():
        return words[0], f"{words[1]} {words[2]}"
    return body, ""


def _bounded(digits, largest):
    """The number ``digits`` spell if it is at most ``largest``, else None (a number of 40,000
    digits is never converted)."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(largest)) or int(digits) > largest:
        return None
    return int(digits)


def _read_tail(row, tail):
    lowered = tail.lower()
    if lowered in _STATUSES:
        row.status = _STATUSES[lowered]
        return
    count, _, word = lowered.partition(" ")
    if word in _LAPS and not tail.startswith("+"):
        row.laps = _bounded(count, MAX_LAPS)
        if row.laps is None:
            row.errors.append(
                f"Line {row.line}: “{excerpt(tail)}” is more laps than any race has ({MAX_LAPS} at most)."
            )
        return
    if _TIME.fullmatch(tail):
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
        if row.place_unknown and row.status in {"dns", "dsq", "nc"}:
            row.errors.append(
                f"Line {row.line}: a driver marked {row.status.upper()} is not classified, so has no "
                "place; remove the “?” or the band at the start of the line."
            )
        if row.status in {"dns", "dsq", "nc"} or row.place_unknown:
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

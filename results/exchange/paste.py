"""A classification pasted as press releases print it, read line by line.

    - Takuma Miyazono – Japan – 35 laps
    - Jose Serrano – Spain +1.0684
    - Adriano Carrazza – Brazil + 43.476
    - Kylian Drumont +1.6 s
    - Guy Barbara – Australia N/A
    3. Coque Lopez DNF

Each line is a driver, a nation if the list gives one (and, where the competition
scores teams, the team or the car's brand: ``Jose Serrano – Spain – Toyota +1.0684``;
``Jose Serrano – Toyota +1.0684`` when the name is one of ``teams``) and what
follows them: the winner's laps or time, a gap (``+1.0684``, ``+1.6 s``,
``+1:05.950``, ``+1 lap``), ``N/A``, or a status (DNF, DNS, DSQ, NC). Positions
follow the order of the lines unless a line starts with one (``3.`` or ``P3``). A
classified driver whose place was not published starts with ``?`` (no band),
``7-12`` or ``7–12`` (somewhere from 7th to 12th) or ``11+`` (11th or lower); such
lines take no position. A line that cannot be read is an error naming the line and
the wrong token (``problem_token``); nothing is dropped.
"""

import re
from dataclasses import dataclass

from results.exchange.lines import (
    NULL_CHARACTER,
    POSITION,
    SEPARATOR,
    PastedLine,
    body,
    bounded,
    null_character,
    pasted_lines,
    read_driver,
    size_problems,
)
from results.exchange.nations import nation_code
from results.rules.classification import place_words
from results.rules.gaps import GapError, parse_gap, parse_time
from results.rules.limits import MAX_FIELD_SIZE, MAX_LAPS, NAME_LENGTH, excerpt

__all__ = ["PastedRow", "parse_pasted", "size_problems"]

# A place not published: "? ", "7-12 ", "7–12 ", "11+ " (one token, read before a position).
_UNPUBLISHED = re.compile(r"(\?|(\d+)[–—-](\d+)|(\d+)\+) ")
_GAP = re.compile(r"(?:^| )\+")  # a gap starts with a "+" that starts a word; it runs to the end
_TIME = re.compile(r"\d+(?::\d{1,2}){1,2}(?:\.\d+)?")  # the winner's time
# A gap published without its "+" (a number with a decimal point or a unit): "9.870", "1.6 s".
_BARE_GAP = re.compile(r"\d+\.\d+|\d+(?:\.\d+)? ?(?:s|secs?|seconds)", re.IGNORECASE)
_SECONDS_UNITS = ("s", "sec", "secs", "seconds")
_UNKNOWN = ("n/a", "na")
_LAPS = ("lap", "laps")
_STATUSES = {"dnf": "dnf", "dns": "dns", "dsq": "dsq", "nc": "nc"}


@dataclass
class PastedRow(PastedLine):
    position: int | None = None
    nation: str = ""  # alpha-2 code; "" when the line gives none
    nation_text: str = ""
    laps: int | None = None
    time: str = ""
    gap: str = ""
    status: str = "finished"
    place_unknown: bool = False  # classified, place not published
    place_from: int | None = None
    place_to: int | None = None
    team: str = ""  # as written: a team or the car's brand

    @property
    def place_text(self):
        """An unpublished place in words ("7th–12th", "classified")."""
        return place_words(self.place_from, self.place_to) if self.place_unknown else ""


def parse_pasted(text, teams=()):
    """One :class:`PastedRow` per non-blank line, each with its errors (if any). ``teams``: the
    names a line may give in place of a nation (teams, cars' brands), in any case."""
    known_teams = {" ".join(name.split()).casefold() for name in teams}
    rows = [_parse_line(number, raw, known_teams) for number, raw in pasted_lines(text)]
    _number_positions(rows)
    _fill_laps(rows)
    return rows


def _parse_line(number, raw, teams):
    row = PastedRow(line=number, text=raw)
    if NULL_CHARACTER in raw:
        row.errors.append(null_character(number, raw))
        return row
    line = body(raw)
    unpublished = _UNPUBLISHED.match(line)
    if unpublished:
        if not _read_band(row, unpublished):
            return row
        line = line[unpublished.end() :]
    position = None if unpublished else POSITION.match(line)
    if position:
        digits = position.group(1) or position.group(2)
        row.position = bounded(digits, MAX_FIELD_SIZE)
        if row.position is None or row.position < 1:
            row.refuse(
                digits,
                f"position “{excerpt(digits)}” is not one a race has "
                f"(1 to {MAX_FIELD_SIZE}, the largest field).",
            )
            return row
        line = line[position.end() :]
    line, tail = _split_tail(line)
    parts = [p.strip() for p in SEPARATOR.split(line.strip(" –—-")) if p.strip()]
    if not (len(parts) in (2, 3) or (len(parts) == 1 and tail)) or not any(c.isalpha() for c in parts[0]):
        row.refuse(
            raw,
            f"cannot read “{excerpt(raw, 80)}”; write it as “Driver – Nation +gap” "
            "(for example “Jose Serrano – Spain +1.0684”).",
        )
        return row
    read_driver(row, parts[0])
    if len(parts) == 2:
        _read_nation_or_team(row, parts[1], teams)
    elif len(parts) == 3:
        _read_nation(row, parts[1])
        _read_team(row, parts[2])
    if tail:
        _read_tail(row, tail)
    return row


def _read_nation(row, text):
    row.nation_text, row.nation = text, nation_code(text)
    if not row.nation:
        row.refuse(text, f"“{excerpt(text)}” is not a nation we know.")


def _read_nation_or_team(row, text, teams):
    """The part after the driver: a nation we know, else one of ``teams``."""
    if nation_code(text):
        _read_nation(row, text)
    elif " ".join(text.split()).casefold() in teams:
        _read_team(row, text)
    else:
        row.refuse(text, f"“{excerpt(text)}” is neither a nation we know nor a team.")


def _read_team(row, text):
    row.team = text
    if len(text) > NAME_LENGTH:
        row.refuse(
            text,
            f"the team “{excerpt(text)}” is {len(text):,} characters long; a name has at most {NAME_LENGTH}.",
        )


def _read_band(row, match):
    """Read a place not published (``?``, ``7-12``, ``11+``) into ``row``; False (with an error) if
    its numbers are not places of a race."""
    token = match.group(1)
    row.place_unknown = True
    if token == "?":
        return True
    first_digits = match.group(2) or match.group(4)
    first = bounded(first_digits, MAX_FIELD_SIZE)
    last = bounded(match.group(3), MAX_FIELD_SIZE) if match.group(3) else None
    if first is None or first < 1 or (match.group(3) and (last is None or last < 1)):
        row.refuse(
            token,
            f"the band of places “{excerpt(token)}” is not one a race has "
            f"(places run from 1 to {MAX_FIELD_SIZE}, the largest field).",
        )
        return False
    if last is not None and first > last:
        row.refuse(
            token,
            f"the band of places “{excerpt(token)}” runs backwards; "
            f"write the higher place first ({last}-{first}).",
        )
        return False
    row.place_from, row.place_to = first, last
    return True


def _split_tail(line):
    """(driver, nation and team; what follows them): a gap, N/A, the winner's laps or time, a
    status, or a gap without its "+" (left for :func:`_read_tail` to refuse)."""
    gap = _GAP.search(line)
    if gap:
        return line[: gap.start()], line[gap.start() :].strip()
    words = line.rsplit(" ", 2)
    last = words[-1].lower()
    if last in _STATUSES or last in _UNKNOWN or _TIME.fullmatch(last) or _BARE_GAP.fullmatch(last):
        return " ".join(words[:-1]), words[-1]
    if len(words) == 3 and (
        (last in _LAPS and words[-2].isascii() and words[-2].isdigit())
        or (last in _SECONDS_UNITS and _BARE_GAP.fullmatch(f"{words[-2]} {last}"))
    ):
        return words[0], f"{words[1]} {words[2]}"
    return line, ""


def _read_tail(row, tail):
    lowered = tail.lower()
    if lowered in _STATUSES:
        row.status = _STATUSES[lowered]
        return
    if lowered in _UNKNOWN:
        row.gap = tail
        return
    count, _, word = lowered.partition(" ")
    if word in _LAPS and not tail.startswith("+"):
        row.laps = bounded(count, MAX_LAPS)
        if row.laps is None:
            row.refuse(tail, f"“{excerpt(tail)}” is more laps than any race has ({MAX_LAPS} at most).")
        return
    if _TIME.fullmatch(tail):
        try:
            parse_time(tail)
            row.time = tail
        except GapError as error:
            row.refuse(tail, str(error))
        return
    if _BARE_GAP.fullmatch(tail):
        row.refuse(tail, f"“{excerpt(tail)}” is a gap without its “+”: write “+{excerpt(tail)}”.")
        return
    try:
        parse_gap(tail)
        row.gap = tail
    except GapError as error:
        row.refuse(tail, str(error))


def _number_positions(rows):
    """Lines without a position take the next one; DNS/DSQ/NC lines take none."""
    next_position = 1
    for row in rows:
        if row.place_unknown and row.status in {"dns", "dsq", "nc"}:
            row.refuse(
                row.status.upper(),
                f"a driver marked {row.status.upper()} is not classified, so has no "
                "place; remove the “?” or the band at the start of the line.",
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

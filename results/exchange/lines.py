"""What every pasted press list shares: its size, its lines, and errors that name the wrong token.

A list is read a line at a time; blank lines are skipped, and a line's whitespace is made single
spaces and its bullet (``- ``, ``• ``, ``* ``, ``· ``) taken off before it is read. Every pattern
the lists use is matched at one place or fails after a bounded look, so none can backtrack over a
long line; the lists other than the classification refuse a line longer than one a press release
prints before reading it.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from results.rules.checks import repeats
from results.rules.limits import MAX_PASTE_LINE_LENGTH, MAX_PASTE_LINES, NAME_LENGTH, excerpt

BULLETS = ("- ", "• ", "* ", "· ")
NULL_CHARACTER = "\x00"
SEPARATOR = re.compile(r" [–—-] | ?[–—] ?")  # between a driver, a nation, a team: " – ", " - ", "–"
POSITION = re.compile(r"(?:P ?(\d+)|(\d+)[.)]?) ", re.IGNORECASE)  # "3. ", "3) ", "3 ", "P3 "


@dataclass
class PastedLine:
    """A line of a pasted list: the driver as typed, and what is wrong with the line (if anything)."""

    line: int
    text: str
    driver: str = ""
    errors: list[str] = field(default_factory=list)
    problem_token: str = ""  # the first wrong token as typed (spaces made single), for the preview to mark

    def refuse(self, token, message):
        """Record ``message`` as this line's error, and ``token`` as the part to mark."""
        self.errors.append(f"Line {self.line}: {message}")
        if not self.problem_token:
            self.problem_token = token


def size_problems(text, kind="result line"):
    """What makes a paste too large to read (more lines than a race, overlong lines) or impossible
    to store (a null character), each naming its line; none for a paste of one race."""
    lines = text.splitlines()
    if len(lines) > MAX_PASTE_LINES:
        return [f"The list has {len(lines):,} lines; paste one race, at most {MAX_PASTE_LINES} lines."]
    problems = []
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_PASTE_LINE_LENGTH:
            problems.append(_too_long(number, line, kind))
        elif NULL_CHARACTER in line:
            problems.append(null_character(number, line))
    return problems


def _too_long(number, line, kind):
    return (
        f"Line {number} is {len(line):,} characters long; a {kind} has at most "
        f"{MAX_PASTE_LINE_LENGTH}: “{excerpt(line)}”."
    )


def null_character(number, line):
    return (
        f"Line {number} contains a null character (\\x00), which cannot be stored: “{excerpt(line)}”. "
        "Delete it, or copy the list again from its source."
    )


def pasted_lines(text):
    """(number, line) for each line that is not blank, its ends stripped."""
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            yield number, raw.strip()


def body(raw):
    """The line as the patterns read it: single spaces, no bullet."""
    spaced = " ".join(raw.split())
    return spaced[2:] if spaced.startswith(BULLETS) else spaced


def read_lines(text, make, read, kind="line"):
    """One ``make(line=…, text=…)`` per line that is not blank, filled by ``read(row, body)``
    unless the line is longer than a press release prints or holds a null character."""
    rows = []
    for number, raw in pasted_lines(text):
        row = make(line=number, text=raw)
        if len(raw) > MAX_PASTE_LINE_LENGTH:
            row.errors.append(_too_long(number, raw, kind))
        elif NULL_CHARACTER in raw:
            row.errors.append(null_character(number, raw))
        else:
            read(row, body(raw))
        rows.append(row)
    return rows


def bounded(digits, largest):
    """The number ``digits`` spell if it is at most ``largest``, else None (a number of 40,000
    digits is never converted)."""
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(largest)) or int(digits) > largest:
        return None
    return int(digits)


def read_driver(row, name):
    """Set ``row.driver``; a name without a letter, or longer than a name may be, is refused."""
    row.driver = name
    if len(name) > NAME_LENGTH:
        row.refuse(
            name,
            f"the driver's name “{excerpt(name)}” is {len(name):,} characters long; "
            f"a name has at most {NAME_LENGTH}.",
        )
    elif not any(c.isalpha() for c in name):
        row.refuse(name, f"“{excerpt(name)}” is not a driver's name.")


def folded(name):
    """A name as two spellings of it compare: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def refuse_repeats(rows, key, describe):
    """An error on each row whose ``key`` (None: not compared) an earlier row already has, naming
    both lines: “position 3 is already in line 3 (Kylian Drumont)”. ``describe(row)`` gives the
    token to mark and the words before “is already”."""
    for row, first in repeats(rows, key):
        token, words = describe(row)
        row.refuse(token, f"{words} is already in line {first.line} ({excerpt(first.driver, 60)}).")

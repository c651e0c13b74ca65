"""Race times and gaps: parse what editors paste, show it back in one style.

Published gaps come in many hands: ``+1.0684``, ``+ 43.476``, ``+1.6 s``,
``+1.6sec``, ``+1:05.950``, ``+1 lap``, ``+2 laps`` or ``N/A``; the text is kept
as published and read here wherever it is needed. Times are kept as :class:`~decimal.Decimal`
seconds, so ``+1.0684`` stays exactly 1.0684 s and equal gaps compare equal.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from .limits import MAX_LAPS, MAX_RACE_HOURS, TIME_LENGTH, excerpt

_CLOCK = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2}(?:\.\d+)?|\d+(?:\.\d+)?)$")
_LAPS = re.compile(r"^(\d+)\s*laps?$", re.IGNORECASE)
# A unit after the seconds: "1.6 s", "1.6s", "1.6 sec", "1.6 secs", "1.6 seconds" (the text is short).
_SECONDS_UNIT = re.compile(r"(?<=\d) ?(?:s|secs?|seconds)$", re.IGNORECASE)
_UNKNOWN = {"n/a", "na", "-", "—", "–"}


GAP_FORMS = "+1.0684, +1.6 s, +1:05.950, +1 lap, +2 laps or N/A"


class GapError(ValueError):
    """A time or gap that cannot be read; the message says what was wrong."""


@dataclass(frozen=True)
class Gap:
    """A gap to the winner: seconds, whole laps, or unknown (both None)."""

    seconds: Decimal | None = None
    laps: int | None = None

    @property
    def is_known(self):
        return self.seconds is not None or self.laps is not None

    def sort_key(self):
        """Smaller is closer to the winner; laps down come after any time gap, unknown last."""
        if self.laps is not None:
            return (1, Decimal(self.laps))
        if self.seconds is not None:
            return (0, self.seconds)
        return (2, Decimal(0))


def parse_time(text):
    """Seconds in a race time such as ``1:02:03.456``, ``12:03.412`` or ``43.476``."""
    cleaned = (text or "").strip()
    _check_length(cleaned, "time")
    match = _CLOCK.match(cleaned)
    if not match:
        raise GapError(f"“{excerpt(text)}” is not a time: write it as 43.476, 1:05.950 or 1:02:03.456.")
    hours, minutes, seconds = match.groups()
    if (hours or minutes) and ":" in cleaned and Decimal(seconds) >= 60:
        raise GapError(f"“{text}” has {seconds} seconds; after a colon there must be fewer than 60.")
    if hours and int(minutes) >= 60:
        raise GapError(f"“{text}” has {minutes} minutes; after an hour there must be fewer than 60.")
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + Decimal(seconds)
    if total > MAX_RACE_HOURS * 3600:
        raise GapError(f"“{text}” is more than {MAX_RACE_HOURS} hours; no race lasts that long.")
    return total


def _check_length(text, what):
    if len(text) > TIME_LENGTH:
        raise GapError(
            f"“{excerpt(text)}” is {len(text):,} characters long; a {what} has at most {TIME_LENGTH}."
        )


def parse_gap(text):
    """A :class:`Gap` from a gap as published; blank and ``N/A`` give an unknown gap."""
    cleaned = " ".join((text or "").split())
    _check_length(cleaned, "gap")
    if cleaned.lower() in _UNKNOWN or not cleaned:
        return Gap()
    body = cleaned[1:].strip() if cleaned[0] == "+" else cleaned
    laps = _LAPS.match(body)
    if laps:
        count = int(laps.group(1))
        if count < 1:
            raise GapError(f"“{text}” is not a gap: a lapped car is at least 1 lap down.")
        if count > MAX_LAPS:
            raise GapError(f"“{text}” is more laps than any race has ({MAX_LAPS} at most).")
        return Gap(laps=count)
    body = _SECONDS_UNIT.sub("", body)
    if not _CLOCK.match(body):
        raise GapError(f"“{excerpt(text)}” is not a gap: write it as {GAP_FORMS}.")
    return Gap(seconds=parse_time(body))


def format_time(seconds):
    """``3723.456`` → ``1:02:03.456``; ``65.95`` → ``1:05.950``; at least three decimals."""
    seconds = Decimal(seconds)
    whole = int(seconds)
    fraction = seconds - whole
    decimals = max(3, -fraction.normalize().as_tuple().exponent) if fraction else 3
    fraction_text = f"{fraction:.{decimals}f}"[1:]  # ".950"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}{fraction_text}"
    if minutes:
        return f"{minutes}:{secs:02d}{fraction_text}"
    return f"{secs}{fraction_text}"


def format_gap(gap):
    """One style for every gap: ``+1.0684``, ``+43.476``, ``+1:05.950``, ``+1 lap``, ``N/A``."""
    if gap.laps is not None:
        return f"+{gap.laps} lap" if gap.laps == 1 else f"+{gap.laps} laps"
    if gap.seconds is not None:
        return f"+{format_time(gap.seconds)}"
    return "N/A"

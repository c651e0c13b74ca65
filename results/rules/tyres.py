"""Mandatory tyre compounds: who used them all (or enough of them), who did not, and who we cannot tell."""

from dataclasses import dataclass

OK = "ok"
BREACH = "breach"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Stint:
    compound: str
    first_lap: int | None
    last_lap: int | None


@dataclass(frozen=True)
class TyreCheck:
    status: str  # OK, BREACH or UNKNOWN
    missing: tuple = ()  # compounds not (known to be) used, in the race's order


def _strategy_is_complete(stints, laps_completed):
    """Every lap from 1 to the last one completed is covered by a stint whose laps are known."""
    if laps_completed is None or any(s.first_lap is None or s.last_lap is None for s in stints):
        return False
    expected = 1
    for stint in sorted(stints, key=lambda s: s.first_lap):
        if stint.first_lap != expected:
            return False
        expected = stint.last_lap + 1
    return expected == laps_completed + 1


def check_tyres(stints, laps_completed, required, at_least=None):
    """Whether an entry used every mandatory compound, or ``at_least`` of them where that is set.

    A breach is called only when the entry's whole strategy is known: a report
    that gives only the starting tyres proves nothing about the rest of a race
    (nor does a stint whose laps are not known: it is counted as used, but the
    strategy is not complete).
    """
    used = {s.compound for s in stints}
    missing = tuple(c for c in required if c not in used)
    needed = len(required) if at_least is None else min(at_least, len(required))
    if len(required) - len(missing) >= needed:
        return TyreCheck(OK)
    if _strategy_is_complete(stints, laps_completed):
        return TyreCheck(BREACH, missing)
    return TyreCheck(UNKNOWN, missing)


def rule_in_words(required_names, at_least=None):
    """The race's tyre rule in words: "Soft, Medium and Hard each", "at least 2 of Soft, Medium, Hard"."""
    if not required_names:
        return ""
    if at_least is None or at_least >= len(required_names):
        if len(required_names) == 1:
            return f"{required_names[0]} at least once"
        return f"each of {', '.join(required_names[:-1])} and {required_names[-1]}"
    return f"at least {at_least} of {', '.join(required_names[:-1])} and {required_names[-1]}"

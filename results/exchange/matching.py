"""Which stored driver each typed name means, for a pasted list: matched as results.rules.names
matches (accents, case, punctuation, aliases, a surname only one driver has), typos only suggested.

Every name of a list is matched against the drivers read in one query, whatever its length.
"""

from dataclasses import dataclass, field

from results.models import Driver
from results.rules.names import match_names


@dataclass(frozen=True)
class DriverMatch:
    """The driver a typed name means (None: nobody for certain), ``how`` ("name", "alias",
    "surname" or ""), and the drivers it may mean, best first: for the editor to confirm."""

    driver: Driver | None = None
    how: str = ""
    suggestions: list = field(default_factory=list)


def match_drivers(names):
    """{typed name: :class:`DriverMatch`} for each of ``names``, in one query."""
    drivers = {driver.pk: driver for driver in Driver.objects.for_matching()}
    matches = match_names(names, [driver.as_person() for driver in drivers.values()])
    return {
        typed: DriverMatch(drivers.get(found.person), found.how, [drivers[pk] for pk in found.suggestions])
        for typed, found in matches.items()
    }

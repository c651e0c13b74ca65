"""Keys of the page fragments several pages share (``{% load fragments %}``).

A race's results table is a ``{% cache %}`` fragment ("race-table") the race page and the reports
share, kept under the versions of what it shows (scopes.of_race_sheet): the shared rows, the
season's frame and the race's own sheet. A result saved in one race draws that race's table again
and leaves the others as drawn, although every page of the season goes cold.
"""

from django import template

from results.cache import scopes
from results.cache.pages import cached_fragments, fragment_keys

register = template.Library()

REPORT_RACE = "report-race"  # the fragment of one race's section of a report (results/report_detail.html)


def sheet_scopes(race):
    return scopes.of_race_sheet(race.round.season.year, race.pk)


@register.simple_tag
def sheet_key(race):
    """The vary-on of ``race``'s results table."""
    return fragment_keys({race.pk: sheet_scopes(race)})[race.pk]


@register.simple_tag
def report_race_keys(report_data):
    """Give each race of a report (read.pages.ReportRace) the vary-on of its section and table, and
    tell the report which races' sheets to read: only those whose section is not cached (two cache
    round trips whatever the number of races)."""
    entries = report_data.races
    keys = fragment_keys({entry.race.pk: sheet_scopes(entry.race) for entry in entries})
    cached = cached_fragments(REPORT_RACE, {pk: [pk, key] for pk, key in keys.items()})
    for entry in entries:
        entry.table_key = keys[entry.race.pk]
        entry.sheet_wanted = entry.race.pk not in cached
    return ""

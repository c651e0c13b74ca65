"""Formatting for racing pages: flags, compounds, movements, the long tables' rows. No racing rules here."""

from django import template

from results.models import Competition
from results.read import rows
from results.read.links import link

register = template.Library()

# {% link "results:driver" slug %}: like {% url %}, reversed once per process (results.read.links).
register.simple_tag(link, name="link")

register.filter("flag", rows.flag)
register.filter("compound_names", rows.compound_names)


@register.filter
def iso(value):
    """A date-time for <time datetime>, to the second: 2024-07-14T18:30:00+00:00."""
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat()


# The long tables' rows are written in Python (see results.read.rows).
register.simple_tag(rows.result_rows, name="result_rows")
register.simple_tag(rows.grid_items, name="grid_items")


@register.simple_tag
def standings_rows(lines, competition):
    return rows.standings_rows(lines, scores_nations=competition.scores == Competition.Scores.NATION)

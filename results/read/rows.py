"""The rows of the long tables (results, standings, starting grid) as HTML.

The tables' frames (captions, headings) stay in templates; their rows are written
here, one ``format_html`` per row, because the template engine spent about
0.4 ms on each results row (≈ 5 ms of a race page; docs/performance.md). Every
value is escaped by ``format_html``; nothing here decides a racing figure.
"""

from functools import lru_cache

from django.utils.safestring import mark_safe
from django_countries import countries

from results.read.charts import COMPOUND_CLASSES
from results.read.html import format_html, format_html_join
from results.read.links import link
from results.rules.codes import COMPOUNDS


def flag(country):
    """A flag emoji for a country (hidden from screen readers; the name is always written beside it)."""
    return _flag(getattr(country, "code", country) or "")


@lru_cache(maxsize=512)
def _flag(code):
    if len(code) != 2 or not code.isalpha():
        return ""
    emoji = "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code.upper())
    return format_html('<span class="flag" aria-hidden="true">{}</span>', emoji)


@lru_cache(maxsize=512)
def country_name(code):
    """A country's name from its code (django-countries looks it up slowly, and names never change)."""
    return countries.name(code)


def seconds(value):
    """Decimal seconds without trailing zeros: 0.500 → 0.5."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def signed(number):
    if number is None:
        return ""
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "0"


def movement(places):
    """+2 → “▲ 2” (places up); −1 → “▼ 1” (places down); 0 → “=”; None → “–”."""
    if places is None:
        return "–"
    if places > 0:
        return format_html(
            '<span class="up">▲ {}</span><span class="visually-hidden"> places up</span>', places
        )
    if places < 0:
        return format_html(
            '<span class="down">▼ {}</span><span class="visually-hidden"> places down</span>', -places
        )
    return mark_safe('<span class="same">=</span><span class="visually-hidden"> no change</span>')


def compound_class(code):
    """The CSS class that colours a compound: ``S`` → ``soft``."""
    return COMPOUND_CLASSES.get(code, "other")


def compound_names(codes):
    return ", ".join(COMPOUNDS.get(code, code).lower() for code in codes)


# --- A race's results --------------------------------------------------------------------------

RESULT_ROW = (
    "<tr><td>{}</td>"
    '<th scope="row" class="driver-cell">{}<a href="{}">{}</a>\n'
    '<span class="small-muted d-block fw-normal">{}{}</span>\n{}</th>'
    '<td class="hide-narrow">{}{}</td>'
    '<td class="num">{}</td>'
    '<td class="num gap">{}{}</td>'
    "<td>{}</td>"
    "<td>{}{}</td>"
    '<td class="hide-narrow">{}</td>'
    "<td>{}</td>"
    '<td class="num fw-bold">{}{}</td></tr>'
)


def result_rows(lines):
    """The rows of a race's results table, from :class:`results.read.pages.ResultLine` objects."""
    return mark_safe("\n".join(_result_row(line) for line in lines))


def _result_row(line):
    result, row, driver = line.result, line.row, line.result.driver
    nation = line.nation  # the code; django-countries builds an object on each access of driver.nation
    return format_html(
        RESULT_ROW,
        row.position
        if row.position
        else format_html('<abbr title="{}">{}</abbr>', result.get_status_display(), result.status.upper()),
        flag(nation),
        driver.get_absolute_url(),
        driver.name,
        country_name(nation),
        f" · {driver.online_id}" if driver.online_id else "",
        _result_note(result),
        line.car_name,
        format_html(
            '<span class="small-muted d-block"><a href="{}">{}</a></span>',
            result.team.get_absolute_url(),
            result.team.name,
        )
        if result.team
        else "",
        "" if result.laps is None else result.laps,
        row.gap_text,
        format_html('<span class="small d-block">incl. {} s penalty</span>', seconds(row.added_seconds))
        if row.added_seconds
        else "",
        _grid_cell(line),
        format_html_join(
            "",
            '<span class="tyre tyre-{}" title="{}">{}</span><span class="visually-hidden"> {}</span> ',
            (
                (compound_class(s.compound), COMPOUNDS.get(s.compound), s.compound, COMPOUNDS.get(s.compound))
                for s in line.stints
            ),
        ),
        format_html('<span class="breach d-block">Did not use {}</span>', compound_names(line.tyres.missing))
        if line.tyres is not None and line.tyres.status == "breach"
        else "",
        ", ".join(f"lap {stop.lap}" for stop in line.pit_stops),
        _penalties_cell(line),
        row.points,
        mark_safe('<abbr title="Set by the stewards">*</abbr>') if row.is_points_set else "",
    )


def _result_note(result):
    if result.reason:
        return format_html(
            '<span class="small d-block fw-normal">{}: {}</span>', result.get_status_display(), result.reason
        )
    if result.status == "dnf":
        return mark_safe('<span class="small d-block fw-normal">Did not finish</span>')
    return ""


def _grid_cell(line):
    if not line.grid:
        return ""
    gained = line.places_gained
    if not gained:
        return line.grid
    return format_html(
        '{} <span class="small {}">({})</span>', line.grid, "up" if gained > 0 else "down", signed(gained)
    )


def _penalties_cell(line):
    if not line.penalties:
        return ""
    total = line.penalty_seconds
    return format_html(
        '{}{}<span class="small-muted d-block">{}</span>',
        len(line.penalties),
        f" ({seconds(total)} s)" if total else "",
        "; ".join(f"{p.reason} {seconds(p.seconds)} s" if p.seconds else p.reason for p in line.penalties),
    )


# --- The starting grid -------------------------------------------------------------------------


def grid_items(slots):
    """The list items of a starting grid, from GridSlot rows with their drivers."""
    return mark_safe("\n".join(_grid_item(slot) for slot in slots))


def _grid_item(slot):
    driver = slot.driver
    return format_html(
        '<li class="col"><span class="fw-bold">{}.</span> {}<a href="{}">{}</a>{}</li>',
        slot.position,
        flag(slot.nation_code),
        driver.get_absolute_url(),
        driver.name,
        format_html(
            ' <span class="tyre tyre-{}">{}</span><span class="visually-hidden"> on {}</span>',
            compound_class(slot.compound),
            slot.compound,
            COMPOUNDS.get(slot.compound),
        )
        if slot.compound
        else "",
    )


# --- Standings ---------------------------------------------------------------------------------


def standings_rows(rows, scores_nations):
    """The rows of a standings table, from :class:`results.read.pages.StandingLine` objects.

    ``scores_nations``: the competition scores nations, so names link to nation pages.
    """
    return mark_safe("\n".join(_standings_row(row, scores_nations) for row in rows))


def _standings_row(row, scores_nations):
    if row.slug:
        name = format_html('<a href="{}">{}</a>', link("results:driver", row.slug), row.name)
    elif scores_nations:
        name = format_html('<a href="{}">{}</a>', link("results:nation", row.nation.lower()), row.name)
    else:
        name = row.name
    return format_html(
        '<tr><td>{}</td><th scope="row">{}{}\n{}</th>{}<td class="num">{}</td><td class="num">{}</td>'
        '<td class="num fw-bold">{}</td><td>{}</td></tr>',
        format_html('<abbr title="Shared position">={}</abbr>', row.position)
        if row.is_shared
        else row.position,
        flag(row.nation) if row.nation else "",
        name,
        format_html('<span class="d-block small fw-normal">{}</span>', row.tie_note) if row.tie_note else "",
        format_html_join(
            "",
            '<td class="num hide-narrow">{}</td>',
            (("–" if points is None else points,) for points in row.per_round),
        ),
        row.wins,
        row.podiums,
        row.points,
        movement(row.movement),
    )

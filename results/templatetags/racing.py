"""Formatting for racing pages: flags, compounds, movements, seconds. No racing rules here."""

from datetime import UTC
from functools import cache, lru_cache
from pathlib import Path

from django import template
from django.conf import settings
from django.dispatch import receiver
from django.templatetags.static import static
from django.test.signals import setting_changed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_countries import countries

from results.read import colours
from results.read.charts import COMPOUND_CLASSES
from results.rules.codes import COMPOUNDS
from results.rules.tyres import rule_in_words

register = template.Library()


FLAGS = Path(settings.BASE_DIR) / "static" / "vendor" / "flag-icons" / "4x3"


@cache
def flag_codes():
    """The country codes that have a flag in the vendored flag-icons set (static/vendor/flag-icons)."""
    return frozenset(path.stem for path in FLAGS.glob("*.svg"))


@register.filter
def flag(country, beside=""):
    """A country's flag as an image (flag-icons, served by the site), for a Country or its code.

    Its text is the country's name; with ``"beside"`` (the name is written beside it) the image is
    decorative (empty alt), so a screen reader does not read the name twice. No flag for a code
    without one."""
    return flag_html((getattr(country, "code", country) or "").lower(), bool(beside))


@lru_cache(maxsize=1024)
def flag_html(code, beside):
    """The flag's markup, once per process per code: a page of results draws dozens of flags, and the
    static file's name and the country's name do not change while the process runs."""
    if code not in flag_codes():
        return ""
    name = countries.name(code.upper()) or code.upper()
    return format_html(
        '<img class="flag" src="{}" width="20" height="15" alt="{}"{}>',
        static(f"vendor/flag-icons/4x3/{code}.svg"),
        "" if beside else name,
        "" if beside else format_html(' title="{}"', name),
    )


@register.filter
def nation_colour(country):
    """A nation's accent colour (results.read.colours), for ``style="--edge: …"``."""
    return colours.nation_colour(country)


@register.filter
def team_colour(team):
    """A team's accent colour (results.read.colours), for ``style="--edge: …"``."""
    return colours.team_colour(team)


@register.filter
def compound_name(code):
    """``S`` → ``Soft``."""
    return COMPOUNDS.get(code, code)


@register.filter
def compound_names(codes):
    """``["S", "M"]`` → ``soft, medium``."""
    return ", ".join(compound_name(code).lower() for code in codes)


@register.filter
def tyre_rule(race):
    """A race's mandatory-tyre rule in words: “each of soft and medium”, “at least 2 of …”."""
    names = [compound_name(code).lower() for code in race.required_compounds or ()]
    return rule_in_words(names, race.required_compounds_min)


@register.filter
def compound_class(code):
    """The CSS class that colours a compound: ``S`` → ``soft``."""
    return COMPOUND_CLASSES.get(code, "other")


@register.filter
def seconds(value):
    """Decimal seconds without trailing zeros: 0.500 → 0.5."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


@register.filter
def signed(number):
    """+2, −1 (a true minus sign), 0."""
    if number is None:
        return ""
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "0"


@register.filter
def movement(places):
    """+2 → “▲ 2” (places up); −1 → “▼ 1” (places down); 0 → “=”; None → “–”."""
    if places is None:
        return "–"
    if places > 0:
        return format_html(
            '<span class="up">▲ {}</span><span class="visually-hidden"> {} up</span>',
            places,
            "place" if places == 1 else "places",
        )
    if places < 0:
        return format_html(
            '<span class="down">▼ {}</span><span class="visually-hidden"> {} down</span>',
            -places,
            "place" if places == -1 else "places",
        )
    return mark_safe('<span class="same">=</span><span class="visually-hidden"> no change</span>')


@register.filter
def iso(value):
    """A date-time for <time datetime>, to the second: 2024-07-14T18:30:00+00:00."""
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat()


def _day(day, year=True):
    """30 Nov 2024 (or 30 Nov): English month names whatever the machine's locale."""
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[
        day.month - 1
    ]
    return f"{day.day} {month} {day.year}" if year else f"{day.day} {month}"


def _weekday(day):
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]


@register.filter
def date_span(round_, races):
    """A round's days from its races' days and its own date: “30 Nov – 1 Dec 2024”, “1–2 Dec 2024”."""
    first, last = round_.days(races)
    if first is None:  # a round that has been run has no date to announce: it is not recorded
        return "Date not recorded" if round_.status == round_.Status.COMPLETED else "To be announced"
    if first == last:
        return format_html('<time datetime="{}">{}</time>', first.isoformat(), _day(first))
    if first.year == last.year and first.month == last.month:
        start = str(first.day)
        separator = "–"
    else:
        start = _day(first, year=first.year != last.year)
        separator = " – "
    return format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        first.isoformat(),
        start,
        separator,
        last.isoformat(),
        _day(last),
    )


@register.filter
def race_when(race):
    """A race's day and start: the venue's local time and UTC, each in a <time datetime>."""
    if race.starts_at is None:
        if race.date is None:
            # a race already run whose day no source gives is not "to be announced"
            completed = race.round.status == race.round.Status.COMPLETED
            return "Date not recorded" if completed else "Date to be announced"
        return format_html(
            '<time datetime="{}">{} {}</time>, start time not given',
            race.date.isoformat(),
            _weekday(race.date),
            _day(race.date),
        )
    utc = race.starts_at.astimezone(UTC)
    utc_text = f"{utc:%H:%M} UTC"
    local = race.local_start
    if local is None:
        return format_html(
            '<time datetime="{}">{} {}, {}</time>', iso(utc), _weekday(utc.date()), _day(utc.date()), utc_text
        )
    if utc.date() != local.date():
        utc_text = f"{_weekday(utc.date())} {_day(utc.date(), year=False)}, {utc_text}"
    return format_html(
        '<time datetime="{}">{} {}, {} local time ({})</time> <span class="small-muted">· {}</span>',
        iso(local),
        _weekday(local.date()),
        _day(local.date()),
        f"{local:%H:%M}",
        local.tzname(),
        utc_text,
    )


@receiver(setting_changed)
def forget_flags(**kwargs):
    """Settings changed (in tests): static files' names may have too."""
    flag_html.cache_clear()


@register.simple_tag(takes_context=True)
def result_cells(context):
    """A results row's parts its table draws (``columns.parts``), each rendered once
    (``includes/_result_cell.html``): ``{% result_cells as cells %}``, then ``{{ cells.grid }}``.

    A row shows each part twice, in its column on a wide screen and under the driver's name on a
    narrow one.
    """
    cell = context.template.engine.get_template("includes/_result_cell.html")
    cells = {}
    for part in context["columns"].parts:
        with context.push(part=part):
            cells[part] = cell.render(context)
    return cells

"""The predictions game's leaderboards: a season's, a nation's, and (through community.leagues) a league's.

The ranking is plain Python over the rows one query returns (:func:`rank`): most points first, equal
points share a place, then by display name. A fan's public page takes their place in each season from
the same ranked rows (:func:`read_standings`). A season's rows are read once per version of its
``predictions:<year>`` scope (moved on when picks are scored, and when a fan who picked that season
changes their name or nation or deletes their account: community.models.fans_changed) and kept in
the pages cache beside the pages, so a signed-in fan's page, a nation's and a league's table read no
pick again until the next scoring. The public pages are ``cached_page`` under ``racing`` and that scope
(:func:`scopes_of`); the signed-in fan's own place ("You: =12th") is drawn from the same rows in their
own render, which the page cache never stores.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django_countries import countries

from results.cache import scopes
from results.cache.kept import kept
from results.cache.pages import cached_page, dont_store, positive_number
from results.models import Season

from .models import Pick

PER_PAGE = 50  # fans on a page of a leaderboard, as the site's index pages

# --- The ranking: plain Python ---------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A fan's line on a leaderboard; ``place`` and ``is_shared`` are set by :func:`rank`."""

    fan: int
    name: str
    nation: str  # the profile's country code, "" when not given
    points: int
    scored: int  # picks scored
    exact: int  # picks whose winner won
    place: int = 0
    is_shared: bool = False

    @property
    def place_text(self):
        """ "=3" for a shared third place, "3" otherwise."""
        return f"={self.place}" if self.is_shared else str(self.place)

    @property
    def place_ordinal(self):
        """ "=12th", "1st"."""
        return f"{'=' if self.is_shared else ''}{ordinal(self.place)}"


def ordinal(number):
    """1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd"."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rank(rows):
    """``rows`` (Standings, in any order) ranked: most points first; equal points share a place
    (1, 2, 2, 4), listed by display name (case and accents as typed, case folded) then by fan."""
    ordered = sorted(rows, key=lambda row: (-row.points, row.name.casefold(), row.name, row.fan))
    ranked = []
    for index, row in enumerate(ordered):
        tied_before = index > 0 and ordered[index - 1].points == row.points
        tied_after = index + 1 < len(ordered) and ordered[index + 1].points == row.points
        place = ranked[-1].place if tied_before else index + 1
        ranked.append(replace(row, place=place, is_shared=tied_before or tied_after))
    return ranked


@dataclass(frozen=True)
class NationLine:
    """A nation on a season's leaderboard: its fans, their points together and its best fan."""

    code: str
    name: str
    fans: int
    points: int
    best: Standing


def nations_of(standings):
    """One line per nation with fans in ``standings`` (ranked): most points together first, then by name.
    Its best fan is the first of its fans on the season's table."""
    lines = {}
    for row in standings:
        if not row.nation:
            continue
        line = lines.get(row.nation)
        if line is None:
            lines[row.nation] = NationLine(
                row.nation, countries.name(row.nation) or row.nation, 1, row.points, row
            )
        else:
            lines[row.nation] = replace(line, fans=line.fans + 1, points=line.points + row.points)
    return sorted(lines.values(), key=lambda line: (-line.points, line.name))


def of_fan(standings, fan_id):
    """The fan's line in ``standings``, or None."""
    return next((row for row in standings if row.fan == fan_id), None)


# --- A season's rows, read once per version --------------------------------------------------------


def scopes_of(year, **kwargs):
    """What a leaderboard page shows: the menu's shared rows and the season's scored picks.

    Defined here, not in results.cache.scopes: only the predictions game uses it, and its scope
    (``predictions:<year>``) is named there already. No racing scope moves a leaderboard, and a pick
    or a comment moves none of these."""
    return [scopes.RACING, scopes.predictions(year)]


def season_standings(year):
    """The season's leaderboard, ranked: one query, then kept in the pages cache until the season's
    picks are scored again (under the version of ``predictions:<year>``: results.cache.kept)."""
    name = f"leaderboard:{year}"

    def work_out(names):
        return {name: read_standings([year]).get(year, [])}

    return kept({name: [scopes.predictions(year)]}, work_out)[name]


def read_standings(years):
    """The leaderboards of the seasons ``years`` (years, or a query of them), ranked, from the
    database (one query): ``{year: [Standing, …]}`` for the seasons with a scored pick."""
    rows = defaultdict(list)
    for row in Pick.objects.leaderboard(years):
        rows[row["year"]].append(
            Standing(row["fan"], row["name"], row["nation"], row["points"], row["scored"], row["exact"])
        )
    return {year: rank(season_rows) for year, season_rows in rows.items()}


def season_or_404(year):
    if not Season.objects.filter(year=year).exists():
        raise Http404(f"There is no {year} season.")


def page_of(request, rows):
    """The page of ``rows`` asked for (?page=N): a number past the last shows the last, not kept."""
    asked = positive_number(request.GET.get("page", ""))
    page = Paginator(rows, PER_PAGE).get_page(asked or 1)
    if (request.GET.get("page") is not None and asked is None) or (asked and asked != str(page.number)):
        dont_store(request)
    return page


def you(request, standings):
    """{"you": the signed-in fan's line or None, "you_page": the page it is on}."""
    line = of_fan(standings, request.user.pk) if request.user.is_authenticated else None
    return {"you": line, "you_page": standings.index(line) // PER_PAGE + 1 if line else None}


# --- Pages -----------------------------------------------------------------------------------------

PAGE = {"page": positive_number}


@require_safe
@cached_page(scopes_of, PAGE)
def season(request, year):
    """The season's leaderboard, 50 fans a page, and the nations with fans."""
    season_or_404(year)
    standings = season_standings(year)
    context = {
        "year": year,
        "title": f"Predictions leaderboard {year}",
        "page": page_of(request, standings),
        "nations": nations_of(standings),
        **you(request, standings),
    }
    return render(request, "community/leaderboard_season.html", context)


@require_safe
@cached_page(scopes_of, PAGE)
def nation(request, year, code):
    """The season's leaderboard of the fans whose profile names this nation."""
    name = countries.name(code.upper()) if code.isascii() and len(code) == 2 else ""
    if not name:
        raise Http404(f"No country has the code “{code}”: use a two-letter code such as “fr”.")
    if code != code.lower():
        return redirect("community:leaderboard-nation", year=year, code=code.lower(), permanent=True)
    season_or_404(year)
    standings = rank(row for row in season_standings(year) if row.nation == code.upper())
    context = {
        "year": year,
        "title": f"Predictions leaderboard {year}: {name}",
        "code": code,
        "nation_name": name,
        "page": page_of(request, standings),
        **you(request, standings),
    }
    return render(request, "community/leaderboard_nation.html", context)

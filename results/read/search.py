"""The site search: what fans type, found across every kind of page, accents and case folded.

Each kind (drivers, nations, teams, cars, tracks, rounds, competitions, reports) is asked once, so
a search costs the same number of queries whatever the number of rows. The database picks the
candidates; the hits are then scored here (exact name, name starting with the words, every word
starting a word of the name, anywhere) and grouped by kind, the group with the best hit first.

On PostgreSQL the candidates come from its full-text search over ``unaccent``-ed text (migration
0011 enables the extension) with a prefix match on every word. On SQLite a function named
``unaccent`` that folds accents, case and punctuation as names are matched
(:func:`results.rules.names.fold`) is registered on each connection
(:func:`register_sqlite_unaccent`), and every word must appear in the folded text.
Nothing is stored for search, so no write path has to keep a copy of the text in step.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django_countries import countries

from results.models import Car, Competition, Driver, RaceReport, Round, Team, Track
from results.rules.names import fold  # accents, case and punctuation, as names are matched

MAX_WORDS = 8  # words beyond these are ignored: no query grows with what was typed
CANDIDATES = 50  # rows of each kind the database hands over to be scored
# A report's title names what it is about in passing ("Miyazono snatches Montréal win"): the driver,
# round or team named comes before the report, which still comes before a mention in another field.
REPORT_HANDICAP = 30
ALIAS_HANDICAP = 5  # a driver found by another spelling or a former online ID, below the same by name
SHOWN = 10  # hits shown for each kind
# Words that name a page rather than a thing: "nations cup standings" is the Nations Cup's standings.
STANDINGS_WORDS = {"standings", "standing", "table", "championship", "points", "leaderboard"}


def words_of(query):
    """The folded words of a query: letters and digits only, so markup or operators match nothing."""
    return re.findall(r"\w+", fold(query))[:MAX_WORDS]


def register_sqlite_unaccent(sender, connection, **kwargs):
    """On SQLite, give each new connection an ``unaccent`` function that folds like :func:`fold`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, fold, deterministic=True)


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""
    score: int = 0


@dataclass
class Group:
    kind: str
    hits: list = field(default_factory=list)

    @property
    def best(self):
        return max(hit.score for hit in self.hits)


def score(words, name, *others):
    """How well ``words`` name ``name``: 100 exact, 80 its start, 60 word starts, 40 inside it,
    20 when only another field (a city, a report's text) holds them."""
    folded = " ".join(words_of(name))
    phrase = " ".join(words)
    if folded == phrase:
        return 100
    if folded.startswith(phrase):
        return 80
    name_words = folded.split()
    if all(any(part.startswith(word) for part in name_words) for word in words):
        return 60
    if all(word in folded for word in words):
        return 40
    if any(all(word in fold(other) for word in words) for other in others):
        return 30
    return 20


def matching(queryset, fields, words, also=None):
    """The rows of ``queryset`` whose ``fields`` hold every word (or that match ``also``, a Q),
    the database's best first."""
    text = [Func(F(name), function="unaccent", output_field=CharField()) for name in fields]
    if connection.vendor == "postgresql":
        terms = " & ".join(f"{word}:*" for word in words)
        query = SearchQuery(terms, search_type="raw", config="simple")
        return (
            queryset.annotate(search_document=SearchVector(*text, config="simple"))
            .filter(Q(search_document=query) | (also or Q(pk__in=[])))
            .annotate(search_rank=SearchRank(F("search_document"), query))
            .order_by("-search_rank")
        )
    joined = Concat(*[part for item in text for part in (item, Value(" "))], output_field=CharField())
    every_word = Q(*[Q(search_text__contains=word) for word in words])
    return queryset.annotate(search_text=joined).filter(every_word | (also or Q(pk__in=[])))


def search(query):
    """The groups of hits for ``query``, the group holding the best hit first; [] for no words."""
    words = words_of(query)
    if not words:
        return []
    groups = [
        _drivers(words),
        _nations(words),
        _competitions(words),
        _teams(words),
        _cars(words),
        _tracks(words),
        _rounds(words),
        _reports(words),
    ]
    found = [group for group in groups if group.hits]
    for group in found:
        group.hits = sorted(group.hits, key=lambda hit: -hit.score)[:SHOWN]
    return sorted(found, key=lambda group: -group.best)


def _drivers(words):
    """Drivers by name, online ID or alias (another spelling, a former online ID), which is then
    named beside the nation: a hit by an alias ranks just below the same hit by the name."""
    rows = matching(Driver.objects.all(), ["name", "online_id", "aliases"], words)[:CANDIDATES]
    hits = []
    for driver in rows:
        nation = driver.nation.name if driver.nation else ""
        hit = Hit(driver.name, driver.get_absolute_url(), nation, score(words, driver.name))
        for alias in driver.alias_list:
            if (by_alias := score(words, alias) - ALIAS_HANDICAP) > hit.score:
                hit.score, hit.detail = by_alias, ", ".join(filter(None, [nation, f"also {alias}"]))
        hits.append(hit)
    return Group("Drivers", hits)


def _nations(words):
    """Nations drivers raced for, by name or ISO code (``jp``, ``jpn``, ``japan``)."""
    codes = Driver.objects.exclude(nation="").order_by().values_list("nation", flat=True).distinct()
    hits = []
    for code in codes:
        name = countries.name(code)
        alpha3 = countries.alpha3(code) or ""
        if len(words) == 1 and words[0] in (code.lower(), alpha3.lower()):
            rank = 100
        elif all(word in fold(name) for word in words):
            rank = score(words, name)
        else:
            continue
        hits.append(Hit(name, reverse("results:nation", args=[code.lower()]), alpha3, rank))
    return Group("Nations", hits)


def _competitions(words):
    """Competitions by name; "standings" (or "table", ...) in the query asks for their standings page."""
    asks_standings = any(word in STANDINGS_WORDS for word in words)
    named = [word for word in words if word not in STANDINGS_WORDS] or words
    rows = matching(Competition.objects.select_related("season"), ["name"], named)[:CANDIDATES]
    newest_first = sorted(rows, key=lambda competition: -competition.season.year)  # kept by the stable sort
    bonus = 10 if asks_standings else 0
    hits = [
        Hit(f"{c.name} {c.season.year} standings", c.get_absolute_url(), "", score(named, c.name) + bonus)
        for c in newest_first
    ]
    return Group("Competitions", hits)


def _teams(words):
    rows = matching(Team.objects.all(), ["name"], words)[:CANDIDATES]
    return Group(
        "Teams", [Hit(t.name, t.get_absolute_url(), t.get_kind_display(), score(words, t.name)) for t in rows]
    )


def _cars(words):
    """A car leads to its page (its maker named beside it)."""
    rows = matching(Car.objects.for_links(), ["name"], words)[:CANDIDATES]
    hits = [
        Hit(
            car.name,
            car.get_absolute_url(),
            car.manufacturer.name if car.manufacturer else "",
            score(words, car.name),
        )
        for car in rows
    ]
    return Group("Cars", hits)


def _tracks(words):
    rows = matching(Track.objects.all(), ["name", "layout"], words)[:CANDIDATES]
    return Group("Tracks", [Hit(t.name, t.get_absolute_url(), t.layout, score(words, t.name)) for t in rows])


def _rounds(words):
    """Rounds by name, city or venue, and the rounds held in a nation named by the words (``canada``)."""
    held_in = [code for code, name in countries if all(word in fold(name) for word in words)]
    rows = matching(Round.objects.for_links(), ["name", "city", "venue"], words, Q(country__in=held_in))
    hits = [
        Hit(f"{r.season.year} {r.name}", r.get_absolute_url(), r.city, score(words, r.name, r.city, r.venue))
        for r in rows[:CANDIDATES]
    ]
    return Group("Rounds", hits)


def _reports(words):
    rows = matching(RaceReport.objects.published().with_round(), ["title", "standfirst", "body"], words)
    rows = rows.defer("body")[:CANDIDATES]
    hits = [
        Hit(report.title, report.get_absolute_url(), "", score(words, report.title) - REPORT_HANDICAP)
        for report in rows
    ]
    return Group("Reports", hits)

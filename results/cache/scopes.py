"""The names of what a cached page depends on ("scopes"), in one place.

A cached page is keyed on the versions of its scopes; a write moves on the
versions of the scopes it changed (see :mod:`results.cache.versions`), and only
the pages that depend on them are rendered again.

- ``racing``: what every racing page shows (drivers, tracks, teams, cars, the list of
  seasons). Moved on by a change to those shared rows: rare, and every racing page follows.
- ``season:<year>``: everything of one season: its calendar, rounds, races, standings and
  their API answers.
- ``latest``: moved on with the newest season's scope; the home page follows it.
- ``archive``: moved on by any change of any season; pages that span seasons (drivers,
  nations, teams, tracks) follow it.
- ``reports``: the list of published reports (the home page's latest report, the feeds).
- ``report:<slug>``: one report's text and the races it shows (moved on by its season too).
- ``frame:<year>``: a season's frame: its competitions, rounds and races as rows (names, formats,
  points scales, grids taken from). Moved on with ``racing`` and by any change of the season that
  is not a race's sheet alone.
- ``race:<id>``: one race's sheet (results, crews, grid, stints, stops, penalties, incidents,
  sources). With ``racing`` and its season's ``frame`` it keys the race's results table, a
  fragment the race page and the reports share (:func:`of_race_sheet`): a result saved in one race
  leaves the other races' tables drawn, while every page of the season still goes cold.
- ``comments:<slug>``: the comment section under one report. Comments never move any other
  scope, so a comment never makes a racing page cold.
- ``predictions:<year>``: the predictions game's public parts for one season (leaderboards, the
  crowd's picks under a race). Moved on only when picks are scored, never by a pick itself, and it
  moves no racing scope. Soft, like comment sections: scoring follows each change of a race's results.
- ``predictions:all``: moved on with every season's ``predictions:<year>``: a fan's page, which shows
  their points and places in every season they played.
- ``fan:<user id>``: what a fan's public page shows of their account: display name, nation, whether
  the account is there at all. Moved on by a change to their account or profile.
- ``starts``: which races have started, for pages that list a fan's picks of started races. Nothing
  moves it: its version is made to lapse at the next start of a race open for picks.
- ``start:<year>/<round>/<competition>/<race>``: whether a race has started (its page shows the
  crowd's picks only then). Nothing moves it: while the race is open for picks its version is made
  to lapse at the start (:func:`results.cache.versions.lapse_at`), so the page stored before the
  start is never served after it.

Comment sections are *soft*: a page stale only in them is rendered again by one request at most
once a second (``SOFT_REFRESH_SECONDS`` in :mod:`results.cache.pages`) while other anonymous readers
get the stored page, so comments arriving several a second under a report cost one render a second,
not one each. Signed-in readers, the comment's author included, always get their page fresh.
Racing scopes are hard: after a racing change no reader ever gets the old page.
"""

RACING = "racing"
LATEST = "latest"
ARCHIVE = "archive"
REPORTS = "reports"
ALL_PREDICTIONS = "predictions:all"
STARTS = "starts"


SOFT_PREFIXES = ("comments:", "predictions:")


def is_soft(name):
    """Whether a scope's pages may be served up to a second old to anonymous readers."""
    return name.startswith(SOFT_PREFIXES)


def season(year):
    return f"season:{year}"


def report(slug):
    return f"report:{slug}"


def comments(slug):
    return f"comments:{slug}"


def predictions(year):
    return f"predictions:{year}"


def fan(pk):
    return f"fan:{pk}"


def race_start(year, round_slug, competition, race_slug):
    return f"start:{year}/{round_slug}/{competition}/{race_slug}"


def frame(year):
    return f"frame:{year}"


def race(pk):
    return f"race:{pk}"


def of_race_sheet(year, race_pk):
    """What a race's results table shows: shared rows, its season's frame and its own sheet."""
    return [RACING, frame(year), race(race_pk)]


# What each kind of page shows, from its URL arguments (used with results.cache.pages.cached_page).


def of_home(**kwargs):
    return [RACING, LATEST, REPORTS]


def of_season(year, **kwargs):
    """A season's calendar, rounds, races, standings, and their API answers."""
    return [RACING, season(year)]


def of_race(year, round_slug, competition, race_slug, **kwargs):
    """A race's page: its season, and the predictions game's section under it (its season's scores
    and whether the race has started)."""
    return [RACING, season(year), predictions(year), race_start(year, round_slug, competition, race_slug)]


def of_fan(pk, **kwargs):
    """A fan's public page: their account, their points in every season, their picks of the races
    that started (race and driver names span seasons, as the archive's pages)."""
    return [RACING, ARCHIVE, ALL_PREDICTIONS, fan(pk), STARTS]


def of_archive(**kwargs):
    """Pages that span seasons: drivers, nations, teams, tracks."""
    return [RACING, ARCHIVE]


def of_reports(**kwargs):
    """The list of published reports."""
    return [RACING, REPORTS]


def of_report(slug, **kwargs):
    """A report: its text, its round's races (``report:<slug>`` follows its season) and its comments."""
    return [RACING, report(slug), comments(slug)]

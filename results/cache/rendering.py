"""Pages rendered again in the background after a change, so no reader waits for them.

After a change commits, :func:`after_change` queues one task (django-tasks; in production its
database backend and a ``manage.py db_worker`` process of its own). The task works out the pages
the change touched (the races, their rounds, their competitions' standings and title races, the
season's calendar, the home page, their API answers and the round's reports) and asks for each as an
anonymous reader would, through the site's own request handling: the page cache misses, renders
the page once (single flight) and stores it. The first request after the commit never waits on
the worker: it finds the new versions and renders the page itself if the worker has not yet.
"""

import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.dispatch import receiver
from django.test import Client
from django.test.signals import setting_changed
from django.urls import resolve, reverse
from django_tasks import task

from results.cache import pages

logger = logging.getLogger(__name__)

MAX_PAGES = 300  # a whole season's import touches every race: render the most read pages first
# Rendered by the writer itself before its commit (results.cache.invalidation.render_before_commit):
# a few races' worth, so an editor's save stays quick; the rest is left to the worker.
MAX_PAGES_AHEAD = 40


def after_change(race_ids, seasons):
    """Queue the rendering of the pages these races and seasons show (called after the commit)."""
    if not settings.PAGE_CACHE:
        return
    try:
        render_again.enqueue(list(race_ids), list(seasons))
    except Exception:  # the change is committed; a missed render only costs the next reader a render
        logger.exception("Could not queue the rendering of pages after a change")


def touched_paths(race_ids, seasons):
    """The paths of the pages that show these races and seasons, most read first."""
    from results.models import Competition, Race, RaceReport, Season

    races = list(Race.objects.touched_by_change(race_ids))
    years = set(seasons) | {race.round.season.year for race in races}
    latest = Season.objects.latest_year()
    if not years and latest is not None:
        years = {latest}  # a change every season shows (a driver renamed): the newest season's pages
    paths = []
    if latest in years or latest is None:
        paths.append(reverse("results:home"))
    for race in races:
        year, competition = race.round.season.year, race.competition.slug
        paths += [
            reverse("results:race", args=[year, race.round.slug, competition, race.slug]),
            reverse("api:race-results", args=[year, competition, race.round.slug, race.slug]),
        ]
    for competition in Competition.objects.for_links().of_seasons(years):
        year = competition.season.year
        paths += [
            reverse("results:standings", args=[year, competition.slug]),
            reverse("api:standings", args=[year, competition.slug]),
            reverse("results:title", args=[year, competition.slug]),
            reverse("api:title", args=[year, competition.slug]),
        ]
    for race in races:
        paths.append(reverse("results:round", args=[race.round.season.year, race.round.slug]))
    for year in sorted(years):
        paths += [reverse("results:season", args=[year]), reverse("api:calendar", args=[year])]
    rounds = {race.round_id for race in races}
    paths += [report.get_absolute_url() for report in RaceReport.objects.headlines().of_rounds(rounds)]
    return list(dict.fromkeys(paths))[:MAX_PAGES]


_clients = threading.local()


def site_client():
    """A client that asks as an anonymous browser reading the public site (SITE_URL) would.

    One per thread, kept: a new client loads the whole middleware chain on its first request
    (WhiteNoise alone indexes every static file, ~0.15 s), which an editor's save would pay each
    time. It carries no cookies from one render to the next.
    """
    client = getattr(_clients, "client", None)
    if client is None:
        client = _clients.client = new_site_client()
    client.cookies.clear()
    return client


@receiver(setting_changed)
def forget_site_client(**kwargs):
    """Settings changed (in tests): the next render builds its client under the new ones."""
    _clients.client = None


def new_site_client():
    address = urlsplit(settings.SITE_URL)
    secure = address.scheme == "https"
    # Behind the proxy the site learns it was asked over HTTPS from the proxy's header; without it
    # SECURE_SSL_REDIRECT would answer every render with a redirect.
    proxy = settings.SECURE_PROXY_SSL_HEADER
    proxy_header = dict([proxy]) if secure and proxy else {}
    return Client(
        HTTP_HOST=address.netloc,
        HTTP_ACCEPT_ENCODING="gzip",
        secure=secure,
        raise_request_exception=False,  # a page that fails is logged; the others are still rendered
        **proxy_header,
    )


def paths_ahead(race_ids, seasons):
    """The pages a change touched that fans are reading (cached now, asked for lately), its drivers' included.

    The writer renders these before it commits; API answers, and pages nobody asked for since the
    last change, are left to the worker (a process of lower priority than the site's).
    """
    from results.models import Driver

    paths = touched_paths(race_ids, seasons)
    if len(paths) < MAX_PAGES_AHEAD:
        drivers = Driver.objects.of_races(race_ids).order_by("slug")
        paths += [driver.get_absolute_url() for driver in drivers[: MAX_PAGES_AHEAD - len(paths)]]
    pages_fans_read = [path for path in paths if resolve(path).namespace != "api"]  # API: the worker's
    return pages.being_read(pages_fans_read[:MAX_PAGES_AHEAD])


def render(paths):
    """Ask for each path as an anonymous reader would; returns how many answered 200."""
    client = site_client()
    rendered = 0
    for path in paths:
        with pages.rendering_in_background():
            status = client.get(path).status_code
        if status == 200:
            rendered += 1
        else:
            logger.warning("Rendering %s after a change answered %s", path, status)
    return rendered


@task()
def render_again(race_ids, seasons):
    """Render the pages a change touched into the page cache; returns how many answered 200.

    Those rendered ahead by the writer are found cached and cost a lookup each.
    """
    return render(touched_paths(race_ids, seasons))

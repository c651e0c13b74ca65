"""The public pages: short views that ask results.read.pages for their data and render it."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from results.cache import scopes, versions
from results.cache.pages import cached_page, code_version, dont_store, positive_number, race_reference
from results.models import Season
from results.read import pages
from results.read.search import search as search_pages
from results.site.calendars import calendar_document
from results.site.forms import SearchForm


@require_safe
@never_cache
def healthz(request):
    """For load balancers: the process answers. Touches neither the database nor the cache."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@cached_page(scopes.of_home)
def home(request):
    """The latest report and results, the standings leaders and the next round."""
    return render(request, "results/home.html", {"data": pages.home_page_data()})


@require_safe
@cached_page(scopes.of_season)
def season(request, year):
    """The calendar of a season: every round, done and to come, with its winners."""
    return render(request, "results/season.html", {"data": pages.season_page_data(year)})


@require_safe
@cached_page(scopes.of_season)
def round_detail(request, year, round_slug):
    """One round: its races, their format, their winners and the reports; where no round has the
    slug, the season of the competition that has it (/2024/nations-cup/)."""
    try:
        data = pages.round_page_data(year, round_slug)
    except Http404:
        data = pages.competition_season_data(year, round_slug)
        return render(request, "results/competition_season.html", {"data": data})
    return render(request, "results/round_detail.html", {"data": data})


AFTER = {"after_round": positive_number, "after_race": race_reference}


def _standings_data(request, year, competition):
    """The standings (with the title race) after ?after_round=N or ?after_race=…, or the latest;
    only canonical addresses are stored by the page cache."""
    number = positive_number(request.GET.get("after_round", ""))
    after_round = int(number) if number else None
    asked_race = request.GET.get("after_race", "").strip()
    data = pages.standings_page_data(year, competition, after_round, asked_race or None, with_title=True)
    if data.after_race is not None:
        if after_round is not None or race_reference(asked_race) != str(data.after_race.id):
            dont_store(request)  # the race's id is its canonical name; other spellings are answered, not kept
    elif asked_race:
        dont_store(request)  # no such race: the latest standings with a note, never kept
    elif after_round is not None and after_round not in data.all_rounds:
        dont_store(request)  # shown as after the last round before it; only real rounds are kept
    return data


@require_safe
@cached_page(scopes.of_season, AFTER)
def standings(request, year, competition):
    """A competition's standings after any round (?after_round=N) or any race with results
    (?after_race=<race id> or ?after_race=<round slug>/<race slug>), with who can still win."""
    data = _standings_data(request, year, competition)
    return render(request, "results/standings.html", {"data": data, "year": year})


@require_safe
@cached_page(scopes.of_season, AFTER)
def title(request, year, competition):
    """Who can still win the title and what each contender needs, after the same points as the
    standings."""
    data = _standings_data(request, year, competition)
    return render(request, "results/title.html", {"data": data, "year": year})


@require_safe
@cached_page(scopes.of_season)
def calendar_ics(request, year, competition=None):
    """The races of a season (or of one competition) as an iCalendar feed to subscribe to."""
    data = pages.calendar_data(year, competition)
    response = HttpResponse(calendar_document(data), content_type="text/calendar; charset=utf-8")
    name = f"gtws-{year}-{competition}.ics" if competition else f"gtws-{year}.ics"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
@cached_page(scopes.of_race)
def race_detail(request, year, round_slug, competition, race_slug):
    """One race: the classification with gaps, grid, stints, stops, penalties and points."""
    data = pages.race_page_data(year, competition, round_slug, race_slug)
    return render(request, "results/race_detail.html", {"data": data, "race": data.race})


@require_safe
@cached_page(scopes.of_report, {"page": positive_number})
def report_detail(request, slug):
    """A race report with its round's results and strategies; the comments live below it.

    The report and its races are a fragment cached with the versions of the report's racing scopes,
    so a page made cold by its comment section renders only that section again.
    """
    data = pages.report_page_data(slug)
    racing = [scopes.RACING, scopes.report(slug)]
    lookup = getattr(request, "page_lookup", None)  # an anonymous reader's: the versions are read
    known = dict(zip(lookup.scopes, lookup.tokens, strict=True)) if lookup else {}
    if not set(racing) <= known.keys():
        known = versions.current(racing)[0]
    tokens = [known[scope] for scope in racing]
    context = {"report": data.report, "data": data, "fragment_key": [code_version(), *tokens]}
    return render(request, "results/report_detail.html", context)


def index(request, template, rows_of):
    """An index page: the page of rows asked for (?page=N); a number past the last shows the
    last page, answered but not kept."""
    data = rows_of(positive_number(request.GET.get("page", "")))
    if not data.is_canonical or (request.GET.get("page") is not None and data.asked is None):
        dont_store(request)
    return render(request, template, {"data": data, "page": data.page})


PAGE = {"page": positive_number}


@require_safe
@cached_page(scopes.of_archive, PAGE)
def driver_list(request):
    return index(request, "results/driver_list.html", pages.drivers_index)


@require_safe
@cached_page(scopes.of_archive, PAGE)
def nation_list(request):
    return index(request, "results/nation_list.html", pages.nations_index)


@require_safe
@cached_page(scopes.of_archive, PAGE)
def team_list(request):
    return index(request, "results/team_list.html", pages.teams_index)


@require_safe
@cached_page(scopes.of_archive, PAGE)
def car_list(request):
    return index(request, "results/car_list.html", pages.cars_index)


@require_safe
@cached_page(scopes.of_archive, PAGE)
def track_list(request):
    return index(request, "results/track_list.html", pages.tracks_index)


@require_safe
@cached_page(scopes.of_reports, PAGE)
def report_list(request):
    return index(request, "results/report_list.html", pages.reports_index)


@require_safe
@cached_page(scopes.of_archive)
def driver_detail(request, slug):
    return render(request, "results/driver_detail.html", {"data": pages.driver_page_data(slug)})


@require_safe
@cached_page(scopes.of_archive)
def nation_detail(request, code):
    return render(request, "results/nation_detail.html", {"data": pages.nation_page_data(code)})


@require_safe
@cached_page(scopes.of_archive)
def team_detail(request, slug):
    return render(request, "results/team_detail.html", {"data": pages.team_page_data(slug)})


@require_safe
@cached_page(scopes.of_archive)
def car_detail(request, slug):
    """A car: who raced it, for which teams, in which races; its maker's page."""
    return render(request, "results/car_detail.html", {"data": pages.car_page_data(slug)})


@require_safe
@cached_page(scopes.of_archive)
def track_detail(request, slug):
    return render(request, "results/track_detail.html", {"data": pages.track_page_data(slug)})


@require_safe
def search(request):
    """Every kind of page whose name (or a report's text) holds what was typed, grouped by kind.

    Not cached: its one parameter is free text, so cached entries could be made at will; the page
    costs a fixed number of queries whatever was typed (results.read.search).
    """
    form = SearchForm(request.GET or None)
    query = " ".join(form.cleaned_data["q"].split()) if form.is_valid() else ""
    groups = search_pages(query) if len(query) >= 2 else []
    return render(request, "results/search.html", {"form": form, "query": query, "groups": groups})


@require_safe
def open_data(request):
    """What the open-data API offers, for people; docs/api.md has the details."""
    return render(request, "results/open_data.html", {"site_season": Season.objects.latest_year()})


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    # Search answers are crawlable, each naming /search/ as its canonical page (results/search.html).
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")

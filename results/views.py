from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .caching import versioned
from .models import Race, Result, Round, Season
from .pages import race_page_data, standings_page_data


@require_safe
@never_cache
def healthz(request):
    """For load balancers: the process answers. Touches neither the database nor the cache."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request):
    """The current season's calendar, with the results of its completed rounds."""
    season = Season.objects.first()
    rounds = []
    if season is not None:
        results = Result.objects.select_related("driver", "car").order_by("position", "pk")
        races = (
            Race.objects.select_related("competition", "track", "car")
            .prefetch_related(Prefetch("results", queryset=results))
            .order_by("number", "competition__name")
        )
        rounds = list(season.rounds.prefetch_related(Prefetch("races", queryset=races)))
    next_round = next((r for r in rounds if r.status == Round.Status.SCHEDULED), None)
    return render(
        request, "results/home.html", {"season": season, "rounds": rounds, "next_round": next_round}
    )


@require_safe
@versioned
def standings(request, year, competition):
    """A competition's standings after any round, chosen with ?after_round=N."""
    value = request.GET.get("after_round", "")
    after_round = int(value) if value.isdigit() and int(value) > 0 else None
    data = standings_page_data(year, competition, after_round)
    return render(request, "results/standings.html", {"data": data, "year": year})


@require_safe
@versioned
def race_detail(request, year, round_slug, competition, race_slug):
    """One race: the classification with gaps, grid, stints, stops, penalties and points."""
    data = race_page_data(year, competition, round_slug, race_slug)
    return render(request, "results/race_detail.html", {"data": data, "race": data.race})

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import Race, Result, Round, Season


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

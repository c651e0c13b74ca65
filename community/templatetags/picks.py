"""The predictions game's section under a race page (``{% load picks %}{% race_picks race %}``).

Before the start it invites fans to pick and shows nobody's picks, not even how many; after the
start it shows what the crowd picked and, once scored, how many got the winner right and the best
score. The section is a fragment of the pages cache kept under the season's game scope (moved on
by scoring) and whether the race has started; the page around it follows the same scopes plus the
race's start state (``results.cache.scopes.of_race``), whose version is made to lapse at the start
here, so a page stored before the start is never served after it.
"""

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone

from results.cache import scopes, versions
from results.cache.pages import CACHE_SECONDS, code_version
from results.rules.picks import places_picked

from ..models import Pick

register = template.Library()


@register.simple_tag
def race_picks(race):
    """The race's predictions section (empty for a race not picked or without a start time)."""
    if not places_picked(race.kind) or race.starts_at is None:
        return ""
    now = timezone.now()
    started = race.starts_at <= now
    year = race.round.season.year
    if not started:
        start = scopes.race_start(year, race.round.slug, race.competition.slug, race.slug)
        versions.lapse_at(start, (race.starts_at - now).total_seconds())
        return section_html(race, started=False, now=now)
    scope = scopes.predictions(year)
    token = versions.current([scope])[0][scope]
    key = f"race-picks:{code_version()}:{race.pk}:started:{token}"
    store = caches[versions.CACHE_ALIAS]
    html = store.get(key) if token is not None else None
    if html is None:
        html = section_html(race, started=True, now=now)
        if token is not None:
            store.set(key, html, CACHE_SECONDS)
    return html


def section_html(race, started, now):
    context = {"race": race, "started": started, "places": places_picked(race.kind), "now": now}
    if started:
        summary = Pick.objects.crowd_summary(race)
        winners = list(Pick.objects.crowd_winners(race)[:10]) if summary["picks"] else []
        for row in winners:
            row["name"] = row["winner_driver__name"] or row["winner_team__name"]
            row["share"] = round(100 * row["picks"] / summary["picks"])
        podium = None
        if summary["picks"] and places_picked(race.kind) > 1:
            podium = Pick.objects.crowd_podiums(race).first()
            if podium is not None:
                podium["names"] = [
                    podium[f"{place}_driver__name"] or podium[f"{place}_team__name"]
                    for place in ("winner", "second", "third")
                ]
        context.update(summary=summary, winners=winners, podium=podium)
    return render_to_string("community/picks_race.html", context)

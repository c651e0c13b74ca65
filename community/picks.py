"""The predictions game for fans: the pick form of a race, the races open for picks, a fan's page.

Who may pick: a signed-in fan with a verified e-mail address who is not suspended. Picks open for a
race with a known start in the future, of a kind that is picked (results.rules.picks), and close at
its start: checked on every POST against the server's clock. One row per fan and race, changed in
place until the start. The pick form and the races open are a fan's own and never kept in the
shared cache; a fan's public page is, for readers not signed in (see :func:`fan`).
"""

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from results.cache import scopes, versions
from results.cache.pages import cached_page
from results.models import Competition, Driver, Race, Season, Team
from results.rules.picks import places_picked

from . import leaderboards, ratelimit
from .models import Pick, Profile

PLACES = ("winner", "second", "third")
PLACE_NAMES = {"winner": "Winner", "second": "Second place", "third": "Third place"}


def is_team_race(race):
    return race.competition.scores == Competition.Scores.TEAM


def competitors(race):
    """Who a fan may pick in ``race`` (one query): the teams or the drivers with a result in any race
    of its competition this season, and (drivers) those on the race's own grid."""
    if is_team_race(race):
        return list(Team.objects.entered_in(race).values_list("pk", "name"))
    return list(Driver.objects.entered_in(race).values_list("pk", "name"))


def refusal(user):
    """Why this signed-in fan may not pick, or None. A suspended account, or an address not verified."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.is_suspended:
        return "Your account is suspended: you cannot pick until a moderator lifts the suspension."
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return "Confirm your e-mail address before you pick: follow the link in the e-mail we sent you."
    return None


def is_open(race, now):
    return race.starts_at is not None and race.starts_at > now and places_picked(race.kind) > 0


class PickForm(forms.Form):
    """The places a fan picks in one race, each one of the race's competitors, none twice."""

    def __init__(self, *args, race, field, **kwargs):
        super().__init__(*args, **kwargs)
        self.race = race
        self.places = PLACES[: places_picked(race.kind)]
        self.names = dict(field)
        kind = "team" if is_team_race(race) else "driver"
        choices = [("", f"Choose a {kind}"), *field]
        for place in self.places:
            self.fields[place] = forms.TypedChoiceField(
                label=PLACE_NAMES[place],
                choices=choices,
                coerce=int,
                error_messages={
                    "required": f"{PLACE_NAMES[place]}: choose a {kind}.",
                    "invalid_choice": f"{PLACE_NAMES[place]}: that is not a {kind} of the "
                    f"{race.competition.name} this season. Choose one from the list.",
                },
            )

    def clean(self):
        cleaned = super().clean()
        extra = [place for place in PLACES if place not in self.places and self.data.get(place)]
        if extra:
            raise forms.ValidationError(
                f"Only the winner is picked in a {self.race.get_kind_display().lower()}: "
                "leave out second and third place."
            )
        seen = {}
        for place in self.places:
            chosen = cleaned.get(place)
            if chosen is None:
                continue
            if chosen in seen:
                self.add_error(
                    place,
                    f"{self.names[chosen]} is already your {PLACE_NAMES[seen[chosen]].lower()} pick: "
                    "each place needs a different competitor.",
                )
            else:
                seen[chosen] = place
        return cleaned

    def values(self):
        """The Pick columns the cleaned form sets."""
        kind = "team" if is_team_race(self.race) else "driver"
        return {f"{place}_{kind}_id": self.cleaned_data.get(place) for place in self.places}

    @staticmethod
    def initial_from(pick, race):
        kind = "team" if is_team_race(race) else "driver"
        return {place: getattr(pick, f"{place}_{kind}_id") for place in PLACES} if pick else {}


def pick_values(values):
    """Every place's columns for a pick: the places not picked cleared (a pick changed in place)."""
    cleared = {f"{place}_{kind}_id": None for place in PLACES for kind in ("driver", "team")}
    return {**cleared, **values}


@require_http_methods(["GET", "POST"])
def pick_race(request, race_id):
    """The pick form of a race: shows it (anyone), saves it (a fan who may pick, until the start)."""
    race = get_object_or_404(Race.objects.for_links().select_related("round", "track"), pk=race_id)
    if not places_picked(race.kind):
        raise Http404(f"{race.get_kind_display()} is not picked in the predictions game.")
    now = timezone.now()
    user = request.user
    signed_in = user.is_authenticated
    why_not = refusal(user) if signed_in else None
    pick = Pick.objects.with_names().filter(fan=user, race=race).first() if signed_in else None
    open_now = is_open(race, now)
    context = {
        "race": race,
        "pick": pick,
        "is_open": open_now,
        "now": now,
        "why_not": why_not,
        "places": places_picked(race.kind),
        "login_url": f"{reverse('account_login')}?next={request.path}",
    }
    form = None
    if open_now and signed_in and why_not is None:
        field = competitors(race)
        data = request.POST if request.method == "POST" else None
        form = PickForm(data, race=race, field=field, initial=PickForm.initial_from(pick, race))
        context.update(form=form, field=field)
    if request.method == "GET":
        return render(request, "community/picks_form.html", context)
    if not signed_in:
        return redirect(context["login_url"])
    if not open_now:
        context["error"] = (
            "Picks for this race are closed: they closed at its start."
            if race.starts_at and race.starts_at <= now
            else "Picks for this race are not open: its start time is not known yet."
        )
        return render(request, "community/picks_form.html", context, status=403)
    if why_not is not None:
        return render(request, "community/picks_form.html", context, status=403)
    if not form.is_valid():
        return render(request, "community/picks_form.html", context, status=400)
    with transaction.atomic():
        # The fan's profile locked (PostgreSQL): one fan's saves one after another, a suspension seen.
        profile = Profile.objects.select_for_update().filter(user=user).first()
        if profile is not None and profile.is_suspended:
            context["why_not"] = refusal(user)
            return render(request, "community/picks_form.html", context, status=403)
        if not is_open(race, timezone.now()):  # the start passed while the form was checked
            context["error"] = "Picks for this race are closed: they closed at its start."
            return render(request, "community/picks_form.html", context, status=403)
        if not ratelimit.allow("pick", user.pk, settings.PICK_RATE_LIMITS):
            context["error"] = "You are changing your picks too fast. Wait a minute and try again."
            return render(request, "community/picks_form.html", context, status=429)
        values = pick_values(form.values())
        _, created = Pick.objects.update_or_create(
            fan=user, race=race, defaults={**values, "updated_at": timezone.now()}
        )
    messages.success(request, "Your picks are saved." if created else "Your picks are changed.")
    return redirect(reverse("community:picks", args=[race.pk]))


@require_safe
def predictions(request):
    """The races open for picks (the fan's own picks marked) and those closed but not yet scored."""
    now = timezone.now()
    open_races = list(Race.objects.open_for_picks(now)[:50])
    waiting = list(Pick.objects.races_awaiting_scores(now)[:20])
    mine = {}
    if request.user.is_authenticated:
        races = [race.pk for race in open_races + waiting]
        mine = {
            pick.race_id: pick
            for pick in Pick.objects.with_names().of_fan(request.user).filter(race_id__in=races)
        }
    for race in open_races + waiting:
        race.my_pick = mine.get(race.pk)
    year = Season.objects.latest_year()
    context = {"open_races": open_races, "waiting": waiting, "year": year, "now": now}
    return render(request, "community/picks_list.html", context)


@require_safe
@cached_page(scopes.of_fan)
def fan(request, pk):
    """A fan's public page: their name, nation, points and place per season, and their picks of races
    that started (never one of a race still to start, not even to the fan themself).

    Kept in the page cache for readers not signed in, under the fan's account, every season's scores
    and which races have started: that version is made to lapse at the next start of a race open for
    picks, so the page stored before a start is never served after it.
    """
    user = get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk, is_active=True)
    profile = getattr(user, "profile", None)
    if profile is None:
        raise Http404("There is no such fan.")
    now = timezone.now()
    next_start = Race.objects.open_for_picks(now).values_list("starts_at", flat=True).first()
    if next_start is not None:
        versions.lapse_at(scopes.STARTS, (next_start - now).total_seconds())
    # Their points, picks scored and place in each season: their lines on the seasons' leaderboards.
    standings = leaderboards.read_standings(Pick.objects.years_scored(user))
    seasons = [
        {"year": year, "line": leaderboards.of_fan(standings[year], user.pk)}
        for year in sorted(standings, reverse=True)
    ]
    picks = list(Pick.objects.of_started_races(user, now)[:100])
    context = {"fan": user, "profile": profile, "seasons": seasons, "picks": picks}
    return render(request, "community/fan.html", context)
